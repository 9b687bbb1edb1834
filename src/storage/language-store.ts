import type { Queryable } from './db.ts';

/**
 * The admins' revisions of the shipped language data files (migration 015): one row per save, restore or reset,
 * never changed afterwards. The newest row of a file is in force; its `data` null means the shipped file is.
 * Every write takes the caller's transaction (the revision and its audit entry land together).
 */

export type LanguageAction = 'save' | 'restore' | 'reset';

export interface LanguageRevision {
  id: number;
  name: string;
  /** The whole file as the bot reads it; null for a reset (the shipped file). */
  data: unknown;
  action: LanguageAction;
  restoredFrom: number | null;
  createdBy: string;
  createdAt: string;
}

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

function revision(r: Record<string, unknown>): LanguageRevision {
  // jsonb comes back parsed from pg, and as a string from some PGlite paths
  const raw = r.data;
  return {
    id: Number(r.id),
    name: String(r.name),
    data: typeof raw === 'string' ? JSON.parse(raw) : (raw ?? null),
    action: String(r.action) as LanguageAction,
    restoredFrom: r.restored_from === null || r.restored_from === undefined ? null : Number(r.restored_from),
    createdBy: String(r.created_by),
    createdAt: iso(r.created_at),
  };
}

const SELECT = 'SELECT id, name, data, action, restored_from, created_by, created_at FROM language_revisions';

export class LanguageStore {
  constructor(private readonly db: Queryable) {}

  /** The revision in force for each file that has one. */
  async current(q: Queryable = this.db): Promise<LanguageRevision[]> {
    const rows = await q.query<Record<string, unknown>>(
      `SELECT DISTINCT ON (name) id, name, data, action, restored_from, created_by, created_at
         FROM language_revisions ORDER BY name, id DESC`,
    );
    return rows.map(revision);
  }

  async latest(name: string, q: Queryable = this.db): Promise<LanguageRevision | null> {
    const rows = await q.query<Record<string, unknown>>(`${SELECT} WHERE name = $1 ORDER BY id DESC LIMIT 1`, [name]);
    return rows[0] ? revision(rows[0]) : null;
  }

  async get(id: number, q: Queryable = this.db): Promise<LanguageRevision | null> {
    const rows = await q.query<Record<string, unknown>>(`${SELECT} WHERE id = $1`, [id]);
    return rows[0] ? revision(rows[0]) : null;
  }

  /** A file's revisions, newest first (at most `limit`). */
  async history(name: string, limit = 100, q: Queryable = this.db): Promise<LanguageRevision[]> {
    const rows = await q.query<Record<string, unknown>>(`${SELECT} WHERE name = $1 ORDER BY id DESC LIMIT $2`, [name, limit]);
    return rows.map(revision);
  }

  /**
   * Serialises writers of one file until the caller's transaction ends (an advisory lock: it holds even before the
   * file's first revision exists), then reads its newest revision, which the service compares with the one the
   * admin loaded. Call inside a transaction.
   */
  async lockLatest(name: string, q: Queryable): Promise<LanguageRevision | null> {
    await q.query("SELECT pg_advisory_xact_lock(hashtext('language_revisions:' || $1))", [name]);
    return this.latest(name, q);
  }

  async add(
    r: { name: string; data: unknown; action: LanguageAction; restoredFrom: number | null; createdBy: string },
    q: Queryable,
  ): Promise<LanguageRevision> {
    const rows = await q.query<Record<string, unknown>>(
      `INSERT INTO language_revisions (name, data, action, restored_from, created_by) VALUES ($1, $2::jsonb, $3, $4, $5)
       RETURNING id, name, data, action, restored_from, created_by, created_at`,
      [r.name, r.data === null ? null : JSON.stringify(r.data), r.action, r.restoredFrom, r.createdBy],
    );
    return revision(rows[0]!);
  }
}
