import type { Queryable } from './db.ts';
import type { InstantRange } from './report-queries.ts';

/**
 * The rows of the knowledge-gaps report (src/admin/gaps/): what the assistant could not serve in a half-open
 * instant range, each with the (already redacted) words the citizen used and the procedures it came near. Grouping
 * is the report's job; this module only reads.
 */

export type GapKind = 'no_answer' | 'handover' | 'low_rating';

export interface GapRow {
  kind: GapKind;
  createdAt: Date;
  channel: string;
  conversationId: string;
  /** What the citizen wrote, redacted as stored: the turn's text, the ticket's summary, the rated conversation's last message. */
  text: string;
  /** Procedures the conversation was about at the time (the turn's codes, the ticket's procedure). */
  codes: string[];
  /** The search's top score at the time, when a turn recorded one. */
  topScore: number | null;
  /** A low rating's level (1–2). */
  level?: number;
  /** A low rating's conversation: its last typed messages, newest first. */
  context?: string[];
}

/** The last turns of a rated conversation taken as what the rating was about. */
export const RATED_TURNS = 3;
/** Ratings at or below this level are gaps. */
export const LOW_RATING = 2;

const IN_RANGE = `($1::timestamptz IS NULL OR x.created_at >= $1::timestamptz) AND ($2::timestamptz IS NULL OR x.created_at < $2::timestamptz)`;
const params = (r: InstantRange) => [r.from ? r.from.toISOString() : null, r.to ? r.to.toISOString() : null];
const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const scoreOf = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function gapRowsInRange(db: Queryable, range: InstantRange): Promise<GapRow[]> {
  const [turns, tickets, ratings] = [
    await db.query<Record<string, unknown>>(
      `SELECT x.created_at, x.channel, x.conversation_id, x.text_redacted, x.procedure_codes, x.retrieval_scores[1] AS top_score
         FROM turns x WHERE x.outcome = 'no_answer' AND ${IN_RANGE} ORDER BY x.created_at, x.id`,
      params(range),
    ),
    await db.query<Record<string, unknown>>(
      `SELECT x.created_at, x.channel, x.conversation_id, x.summary, x.procedure_code FROM tickets x
        WHERE ${IN_RANGE} ORDER BY x.created_at, x.id`,
      params(range),
    ),
    // the rated conversation's last typed messages before the rating, newest first
    await db.query<Record<string, unknown>>(
      `SELECT x.created_at, x.channel, x.conversation_id, x.level, x.procedure_code, t.texts, t.codes, t.top_score
         FROM ratings x
         LEFT JOIN LATERAL (
           SELECT array_agg(l.text_redacted ORDER BY l.id DESC) AS texts,
                  array_agg(l.procedure_codes[1] ORDER BY l.id DESC) AS codes,
                  max(l.retrieval_scores[1]) AS top_score
             FROM (SELECT id, text_redacted, procedure_codes, retrieval_scores FROM turns
                    WHERE conversation_id = x.conversation_id AND created_at <= x.created_at AND text_redacted NOT LIKE '[chọn]%'
                    ORDER BY id DESC LIMIT ${RATED_TURNS}) l
         ) t ON true
        WHERE x.level <= ${LOW_RATING} AND ${IN_RANGE} ORDER BY x.created_at, x.id`,
      params(range),
    ),
  ];
  const rows: GapRow[] = [];
  for (const r of turns) {
    rows.push({
      kind: 'no_answer',
      createdAt: asDate(r.created_at),
      channel: String(r.channel),
      conversationId: String(r.conversation_id),
      text: String(r.text_redacted),
      codes: (r.procedure_codes as string[] | null) ?? [],
      topScore: scoreOf(r.top_score),
    });
  }
  for (const r of tickets) {
    rows.push({
      kind: 'handover',
      createdAt: asDate(r.created_at),
      channel: String(r.channel),
      conversationId: String(r.conversation_id),
      text: String(r.summary ?? ''),
      codes: r.procedure_code ? [String(r.procedure_code)] : [],
      topScore: null,
    });
  }
  for (const r of ratings) {
    const texts = ((r.texts as (string | null)[] | null) ?? []).filter((t): t is string => !!t);
    const codes = [r.procedure_code, ...((r.codes as (string | null)[] | null) ?? [])].filter((c): c is string => !!c);
    rows.push({
      kind: 'low_rating',
      createdAt: asDate(r.created_at),
      channel: String(r.channel),
      conversationId: String(r.conversation_id),
      text: texts[0] ?? '',
      codes: [...new Set(codes)],
      topScore: scoreOf(r.top_score),
      level: Number(r.level),
      context: texts,
    });
  }
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The titles of the procedures named, by code (codes not in the knowledge base left out). */
export async function procedureTitles(db: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.query<{ code: string; title: string }>('SELECT code, title FROM procedures WHERE code = ANY($1::text[])', [[...codes]]);
  return new Map(rows.map((r) => [r.code, r.title]));
}
