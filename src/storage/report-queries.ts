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
