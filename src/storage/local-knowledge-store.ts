import type { Queryable } from './db.ts';

/**
 * What admins add to the listing from the knowledge-gaps report (migration 013): the citizens' words for a
 * procedure, and staff-written local answers. Rows are never deleted: removing one stamps `removed_at`, so what the
 * bot read at any time stays on record. Every write takes the caller's transaction (the change and its audit entry
 * land together).
 */

export interface VocabularyMapping {
  id: number;
  /** As the admin typed it: "bán hàng online". */
  phrase: string;
  /** As retrieval compares it: "ban hang online". */
  phraseFolded: string;
  code: string;
  /** The procedure's title in the knowledge base, when it is there. */
  title: string | null;
  createdBy: string;
  createdAt: string;
  removedAt: string | null;
}

export interface LocalAnswer {
  id: number;
  topic: string;
  /** Citizens' messages the answer is for ("Trung tâm có chỗ gửi xe máy không?"). */
  examples: string[];
  answer: string;
  createdBy: string;
  createdAt: string;
  removedAt: string | null;
}

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

function mapping(r: Record<string, unknown>): VocabularyMapping {
  return {
    id: Number(r.id),
    phrase: String(r.phrase),
    phraseFolded: String(r.phrase_folded),
    code: String(r.code),
    title: (r.title as string | null) ?? null,
    createdBy: String(r.created_by),
    createdAt: iso(r.created_at),
    removedAt: isoOrNull(r.removed_at),
  };
}

function answer(r: Record<string, unknown>): LocalAnswer {
  return {
    id: Number(r.id),
    topic: String(r.topic),
    examples: (r.examples as string[] | null) ?? [],
    answer: String(r.answer),
    createdBy: String(r.created_by),
    createdAt: iso(r.created_at),
    removedAt: isoOrNull(r.removed_at),
  };
}

const MAPPING_SELECT = `SELECT v.id, v.phrase, v.phrase_folded, v.code, p.title, v.created_by, v.created_at, v.removed_at
  FROM local_vocabulary v LEFT JOIN procedures p ON p.code = v.code`;
const ANSWER_SELECT = 'SELECT id, topic, examples, answer, created_by, created_at, removed_at FROM local_answers';

export class LocalKnowledgeStore {
  constructor(private readonly db: Queryable) {}

  /** The mappings in force, oldest first. */
  async mappings(q: Queryable = this.db): Promise<VocabularyMapping[]> {
    const rows = await q.query<Record<string, unknown>>(`${MAPPING_SELECT} WHERE v.removed_at IS NULL ORDER BY v.id`);
    return rows.map(mapping);
  }

  async mapping(id: number, q: Queryable = this.db): Promise<VocabularyMapping | null> {
    const rows = await q.query<Record<string, unknown>>(`${MAPPING_SELECT} WHERE v.id = $1`, [id]);
    return rows[0] ? mapping(rows[0]) : null;
  }

  /** The mapping in force for this folded phrase and code, if any. */
  async activeMapping(phraseFolded: string, code: string, q: Queryable = this.db): Promise<VocabularyMapping | null> {
    const rows = await q.query<Record<string, unknown>>(`${MAPPING_SELECT} WHERE v.phrase_folded = $1 AND v.code = $2 AND v.removed_at IS NULL`, [phraseFolded, code]);
    return rows[0] ? mapping(rows[0]) : null;
  }

  async addMapping(m: { phrase: string; phraseFolded: string; code: string; createdBy: string }, q: Queryable = this.db): Promise<number> {
    const rows = await q.query<{ id: unknown }>(
      'INSERT INTO local_vocabulary (phrase, phrase_folded, code, created_by) VALUES ($1, $2, $3, $4) RETURNING id',
      [m.phrase, m.phraseFolded, m.code, m.createdBy],
    );
    return Number(rows[0]!.id);
  }

  /** Stamps the mapping removed; false when it is unknown or already removed. */
  async removeMapping(id: number, removedBy: string, q: Queryable = this.db): Promise<boolean> {
    const rows = await q.query(
      'UPDATE local_vocabulary SET removed_at = now(), removed_by = $2 WHERE id = $1 AND removed_at IS NULL RETURNING id',
      [id, removedBy],
    );
    return rows.length > 0;
  }

  /** The local answers in force, oldest first. */
  async answers(q: Queryable = this.db): Promise<LocalAnswer[]> {
    const rows = await q.query<Record<string, unknown>>(`${ANSWER_SELECT} WHERE removed_at IS NULL ORDER BY id`);
    return rows.map(answer);
  }

  async answer(id: number, q: Queryable = this.db): Promise<LocalAnswer | null> {
    const rows = await q.query<Record<string, unknown>>(`${ANSWER_SELECT} WHERE id = $1`, [id]);
    return rows[0] ? answer(rows[0]) : null;
  }

  async addAnswer(a: { topic: string; examples: string[]; answer: string; createdBy: string }, q: Queryable = this.db): Promise<number> {
    const rows = await q.query<{ id: unknown }>(
      'INSERT INTO local_answers (topic, examples, answer, created_by) VALUES ($1, $2::text[], $3, $4) RETURNING id',
      [a.topic, a.examples, a.answer, a.createdBy],
    );
    return Number(rows[0]!.id);
  }

  async removeAnswer(id: number, removedBy: string, q: Queryable = this.db): Promise<boolean> {
    const rows = await q.query('UPDATE local_answers SET removed_at = now(), removed_by = $2 WHERE id = $1 AND removed_at IS NULL RETURNING id', [id, removedBy]);
    return rows.length > 0;
  }
}
