import type { Dossier, DossierStatus, PaymentMethod, PaymentStatus, SubmittedVia } from '../domain/dossier.ts';
import type { Queryable } from './db.ts';

/**
 * Dossiers a citizen told the bot about (their mã hồ sơ) and what happened to them: plain SQL, each function on a
 * `Queryable` so the dossier and payment services can run several in one transaction. Codes are matched
 * case-insensitively (the unique index is on lower(code)).
 */

export type DossierEventKind = 'created' | 'status' | 'payment_claimed' | 'payment_confirmed' | 'payment_rejected' | 'payment';

export interface DossierEvent {
  id: number;
  dossierId: number;
  kind: DossierEventKind;
  status: DossierStatus | null;
  note: string | null;
  actorId: number | null;
  /** The staff member's display name, joined from users. */
  actorName: string | null;
  createdAt: string;
}

/** A dossier with its procedure's title (null when the code names no stored record). */
export type DossierRow = Dossier & { procedureTitle: string | null };

const COLUMNS = `d.id, d.code, d.conversation_id, d.channel, d.chat_id, d.procedure_code, d.submitted_via, d.status, d.payment_method,
  d.payment_status, d.fee_charged, d.due_at, d.received_at, d.done_at, d.created_at, d.updated_at, p.title AS procedure_title`;
const FROM = `FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code`;

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toDossier(r: Row): DossierRow {
  return {
    id: Number(r.id),
    code: String(r.code),
    conversationId: String(r.conversation_id),
    channel: String(r.channel),
    chatId: String(r.chat_id),
    procedureCode: (r.procedure_code as string | null) ?? null,
    submittedVia: (r.submitted_via as SubmittedVia | null) ?? null,
    status: r.status as DossierStatus,
    paymentMethod: (r.payment_method as PaymentMethod | null) ?? null,
    paymentStatus: (r.payment_status as PaymentStatus | null) ?? null,
    feeCharged: r.fee_charged === null || r.fee_charged === undefined ? null : Boolean(r.fee_charged),
    dueAt: iso(r.due_at),
    receivedAt: iso(r.received_at),
    doneAt: iso(r.done_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    procedureTitle: (r.procedure_title as string | null) ?? null,
  };
}

export interface NewDossier extends Pick<Dossier, 'code' | 'conversationId' | 'channel' | 'chatId' | 'procedureCode' | 'submittedVia' | 'feeCharged'> {
  dueAt: Date | null;
  /** The guide run that led to it (guide_events.guide_id), when there is one. */
  guideId: string | null;
  createdAt: Date;
}

/** Inserts the dossier; null when its code (any case) is stored already. */
export async function insertDossier(q: Queryable, d: NewDossier): Promise<number | null> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO dossiers (code, conversation_id, channel, chat_id, procedure_code, submitted_via, fee_charged, due_at, guide_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (lower(code)) DO NOTHING RETURNING id`,
    [d.code, d.conversationId, d.channel, d.chatId, d.procedureCode, d.submittedVia, d.feeCharged, d.dueAt?.toISOString() ?? null, d.guideId, d.createdAt.toISOString()],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function dossierByCode(q: Queryable, code: string): Promise<DossierRow | null> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE lower(d.code) = lower($1)`, [code]);
  return rows[0] ? toDossier(rows[0]) : null;
}

export async function dossierById(q: Queryable, id: number): Promise<DossierRow | null> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE d.id = $1`, [id]);
  return rows[0] ? toDossier(rows[0]) : null;
}

/** A conversation's dossiers, newest first. */
export async function dossiersOfConversation(q: Queryable, conversationId: string, limit = 50): Promise<DossierRow[]> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE d.conversation_id = $1 ORDER BY d.id DESC LIMIT $2`, [conversationId, limit]);
  return rows.map(toDossier);
}

export interface DossierListQuery {
  statuses: DossierStatus[];
  /** Only dossiers due before this moment (overdue: now; close to due: now + the margin). */
  dueBefore?: Date;
  /** Only dossiers due at or after this moment (close to due, not yet overdue). */
  dueFrom?: Date;
  limit: number;
}

/** For staff: the soonest due first (those without a due date last), then the newest. */
export async function listDossiers(q: Queryable, f: DossierListQuery): Promise<DossierRow[]> {
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} ${FROM}
      WHERE d.status = ANY($1::text[])
        AND ($2::timestamptz IS NULL OR d.due_at < $2)
        AND ($3::timestamptz IS NULL OR d.due_at >= $3)
      ORDER BY d.due_at ASC NULLS LAST, d.id DESC LIMIT $4`,
    [f.statuses, f.dueBefore?.toISOString() ?? null, f.dueFrom?.toISOString() ?? null, f.limit],
  );
  return rows.map(toDossier);
}

/** Sets the status; the first `received` and the first `done` keep their moment. */
export async function updateDossierStatus(q: Queryable, id: number, status: DossierStatus, at: Date): Promise<void> {
  await q.query(
    `UPDATE dossiers SET status = $2, updated_at = $3,
       received_at = CASE WHEN $2 = 'received' AND received_at IS NULL THEN $3 ELSE received_at END,
       done_at = CASE WHEN $2 = 'done' AND done_at IS NULL THEN $3 ELSE done_at END
     WHERE id = $1`,
    [id, status, at.toISOString()],
  );
}

/** Sets how it was paid and where the payment stands; a field left out keeps its value. */
export async function updateDossierPayment(q: Queryable, id: number, patch: { method?: PaymentMethod; status?: PaymentStatus }, at: Date): Promise<void> {
  await q.query(
    `UPDATE dossiers SET payment_method = COALESCE($2, payment_method), payment_status = COALESCE($3, payment_status), updated_at = $4 WHERE id = $1`,
    [id, patch.method ?? null, patch.status ?? null, at.toISOString()],
  );
}

export interface NewDossierEvent {
  dossierId: number;
  kind: DossierEventKind;
  status?: DossierStatus | null;
  note?: string | null;
  actorId?: number | null;
  sourceKey?: string | null;
  /** The service's clock (injected in tests); the database's when absent. */
  at?: Date;
}

/** Appends an event; null when its source key was stored before. */
export async function insertDossierEvent(q: Queryable, e: NewDossierEvent): Promise<number | null> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO dossier_events (dossier_id, kind, status, note, actor_id, source_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, now()))
     ON CONFLICT (source_key) DO NOTHING RETURNING id`,
    [e.dossierId, e.kind, e.status ?? null, e.note ?? null, e.actorId ?? null, e.sourceKey ?? null, e.at?.toISOString() ?? null],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function dossierEvents(q: Queryable, dossierId: number): Promise<DossierEvent[]> {
  const rows = await q.query<Row>(
    `SELECT e.id, e.dossier_id, e.kind, e.status, e.note, e.actor_id, u.display_name AS actor_name, e.created_at
       FROM dossier_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.dossier_id = $1 ORDER BY e.id`,
    [dossierId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    dossierId: Number(r.dossier_id),
    kind: r.kind as DossierEventKind,
    status: (r.status as DossierStatus | null) ?? null,
    note: (r.note as string | null) ?? null,
    actorId: num(r.actor_id),
    actorName: (r.actor_name as string | null) ?? null,
    createdAt: iso(r.created_at)!,
  }));
}
