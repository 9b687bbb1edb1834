import type { Queryable } from './db.ts';

/**
 * The rows the staff reports are computed from: ratings (with their procedure's title and field) and handover
 * tickets (with their owner's display name), created within a half-open instant range. Grouping and figures are
 * the report modules' job (src/reports/); this module only reads.
 */

/** [from, to): either end open when null. */
export interface InstantRange {
  from: Date | null;
  to: Date | null;
}

export interface RatingRow {
  createdAt: Date;
  level: number;
  channel: string;
  procedureCode: string | null;
  procedureTitle: string | null;
  /** The procedure's field (lĩnh vực) from the knowledge base, when the procedure is known. */
  field: string | null;
  staff: string | null;
  ticketId: number | null;
  comment: string | null;
}

export interface TicketRow {
  id: number;
  channel: string;
  status: string;
  endStatus: string | null;
  afterHours: boolean;
  callbackRequested: boolean;
  ownerName: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  closedAt: Date | null;
}

/** `created_at >= $1 AND created_at < $2`, an open end passed as null. */
const IN_RANGE = `($1::timestamptz IS NULL OR x.created_at >= $1::timestamptz) AND ($2::timestamptz IS NULL OR x.created_at < $2::timestamptz)`;

function rangeParams(r: InstantRange): (string | null)[] {
  return [r.from ? r.from.toISOString() : null, r.to ? r.to.toISOString() : null];
}

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const asDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));
const asTextOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function ratingsInRange(db: Queryable, range: InstantRange): Promise<RatingRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT x.created_at, x.level, x.channel, x.procedure_code, p.title AS procedure_title, p.field,
            x.staff, x.ticket_id, x.comment
       FROM ratings x LEFT JOIN procedures p ON p.code = x.procedure_code
      WHERE ${IN_RANGE}
      ORDER BY x.created_at, x.id`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    createdAt: asDate(r.created_at),
    level: Number(r.level),
    channel: String(r.channel),
    procedureCode: asTextOrNull(r.procedure_code),
    procedureTitle: asTextOrNull(r.procedure_title),
    field: asTextOrNull(r.field),
    staff: asTextOrNull(r.staff),
    ticketId: r.ticket_id === null || r.ticket_id === undefined ? null : Number(r.ticket_id),
    comment: asTextOrNull(r.comment),
  }));
}

export async function ticketsInRange(db: Queryable, range: InstantRange): Promise<TicketRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT x.id, x.channel, x.status, x.end_status, x.after_hours, x.callback_requested, u.display_name AS owner_name,
            x.created_at, x.claimed_at, x.closed_at
       FROM tickets x LEFT JOIN users u ON u.id = x.owner_id
      WHERE ${IN_RANGE}
      ORDER BY x.created_at, x.id`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    channel: String(r.channel),
    status: String(r.status),
    endStatus: asTextOrNull(r.end_status),
    afterHours: r.after_hours === true,
    callbackRequested: r.callback_requested === true,
    ownerName: asTextOrNull(r.owner_name),
    createdAt: asDate(r.created_at),
    claimedAt: asDateOrNull(r.claimed_at),
    closedAt: asDateOrNull(r.closed_at),
  }));
}

// ——— Issue 11: use of the assistant, the commune's indicators from the dossiers, the guide's funnel ———

/** One citizen message: when, on which channel, in which conversation, how it ended, the first procedure it was about. */
export interface TurnActivityRow {
  conversationId: string;
  channel: string;
  createdAt: Date;
  outcome: string;
  procedureCode: string | null;
  procedureTitle: string | null;
}

export async function turnsInRange(db: Queryable, range: InstantRange): Promise<TurnActivityRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT x.conversation_id, x.channel, x.created_at, x.outcome, x.procedure_codes[1] AS procedure_code, p.title AS procedure_title
       FROM turns x LEFT JOIN procedures p ON p.code = x.procedure_codes[1]
      WHERE ${IN_RANGE}
      ORDER BY x.created_at, x.id`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    conversationId: String(r.conversation_id),
    channel: String(r.channel),
    createdAt: asDate(r.created_at),
    outcome: String(r.outcome),
    procedureCode: asTextOrNull(r.procedure_code),
    procedureTitle: asTextOrNull(r.procedure_title),
  }));
}

/** The (redacted) texts of the messages the assistant could not answer, oldest first. */
export interface UnansweredRow {
  createdAt: Date;
  channel: string;
  textRedacted: string;
}

export async function unansweredInRange(db: Queryable, range: InstantRange): Promise<UnansweredRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT x.created_at, x.channel, x.text_redacted FROM turns x
      WHERE x.outcome = 'no_answer' AND ${IN_RANGE}
      ORDER BY x.created_at, x.id`,
    rangeParams(range),
  );
  return rows.map((r) => ({ createdAt: asDate(r.created_at), channel: String(r.channel), textRedacted: String(r.text_redacted) }));
}

/** Conversations first seen in the range, per channel. */
export async function newConversationsInRange(db: Queryable, range: InstantRange): Promise<{ channel: string; count: number }[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT x.channel, count(*) AS n FROM conversations x WHERE ${IN_RANGE} GROUP BY x.channel ORDER BY x.channel`,
    rangeParams(range),
  );
  return rows.map((r) => ({ channel: String(r.channel), count: Number(r.n) }));
}

/** A dossier with what the indicators read. */
export interface DossierIndicatorRow {
  createdAt: Date;
  submittedVia: string | null;
  status: string;
  paymentMethod: string | null;
  paymentStatus: string | null;
  feeCharged: boolean | null;
  dueAt: Date | null;
  doneAt: Date | null;
}

/**
 * Dossiers registered in the range, and dossiers done in the range (whenever registered): the submission and
 * payment rates count the first, the on-time rate the second.
 */
export async function dossiersInRange(db: Queryable, range: InstantRange): Promise<DossierIndicatorRow[]> {
  const doneInRange = IN_RANGE.replaceAll('x.created_at', 'x.done_at');
  const rows = await db.query<Record<string, unknown>>(
    `SELECT x.created_at, x.submitted_via, x.status, x.payment_method, x.payment_status, x.fee_charged, x.due_at, x.done_at
       FROM dossiers x
      WHERE (${IN_RANGE}) OR (x.done_at IS NOT NULL AND ${doneInRange})
      ORDER BY x.created_at, x.id`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    createdAt: asDate(r.created_at),
    submittedVia: asTextOrNull(r.submitted_via),
    status: String(r.status),
    paymentMethod: asTextOrNull(r.payment_method),
    paymentStatus: asTextOrNull(r.payment_status),
    feeCharged: r.fee_charged === null || r.fee_charged === undefined ? null : r.fee_charged === true,
    dueAt: asDateOrNull(r.due_at),
    doneAt: asDateOrNull(r.done_at),
  }));
}

/** One guide run started in the range: the steps it recorded, and what became of the dossier it led to. */
export interface GuideRunRow {
  guideId: string;
  channel: string;
  procedureCode: string;
  startedAt: Date;
  steps: string[];
  /** A dossier of this run is done. */
  done: boolean;
  /** A dossier of this run has nothing to pay (exempt, or the procedure is free for the case). */
  free: boolean;
  /** The citizen rated the dossier's result (the rating asked after done: episode dossier:<id>). */
  rated: boolean;
}

export async function guideRunsInRange(db: Queryable, range: InstantRange): Promise<GuideRunRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT x.guide_id, x.channel, x.procedure_code, x.created_at,
            ARRAY(SELECT e.step FROM guide_events e WHERE e.guide_id = x.guide_id ORDER BY e.id) AS steps,
            COALESCE(d.done, false) AS done, COALESCE(d.free, false) AS free, COALESCE(d.rated, false) AS rated
       FROM guide_events x
       LEFT JOIN LATERAL (
         SELECT bool_or(dd.status = 'done') AS done,
                bool_or(dd.payment_method = 'exempt' OR dd.fee_charged = false) AS free,
                bool_or(EXISTS (SELECT 1 FROM ratings r WHERE r.conversation_id = dd.conversation_id AND r.episode = 'dossier:' || dd.id)) AS rated
           FROM dossiers dd WHERE dd.guide_id = x.guide_id
       ) d ON true
      WHERE x.step = 'started' AND ${IN_RANGE}
      ORDER BY x.created_at, x.id`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    guideId: String(r.guide_id),
    channel: String(r.channel),
    procedureCode: String(r.procedure_code),
    startedAt: asDate(r.created_at),
    steps: Array.isArray(r.steps) ? r.steps.map(String) : [],
    done: r.done === true,
    free: r.free === true,
    rated: r.rated === true,
  }));
}
