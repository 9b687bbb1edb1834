import type { EndStatus, Ticket, TicketEvent, TicketEventKind, TicketReason, TicketStatus } from '../domain/staff.ts';
import type { ReplyMessage } from '../domain/types.ts';
import type { Queryable } from './db.ts';

/**
 * Handover tickets, their event log, and the staff and system messages they put in the outbox: plain SQL, each
 * function on a `Queryable` so the handover service can run several in one transaction.
 */

const TICKET_COLUMNS = `t.id, t.conversation_id, t.channel, t.chat_id, t.status, t.reason, t.procedure_code, t.summary,
  t.owner_id, u.display_name AS owner_name, t.end_status, t.after_hours, t.callback_requested, t.flagged,
  t.created_at, t.claimed_at, t.closed_at, t.telegram_thread_id, t.telegram_card_message_id`;
const FROM_TICKETS = `FROM tickets t LEFT JOIN users u ON u.id = t.owner_id`;

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toTicket(r: Row): Ticket {
  return {
    id: Number(r.id),
    conversationId: String(r.conversation_id),
    channel: String(r.channel),
    chatId: String(r.chat_id),
    status: r.status as TicketStatus,
    reason: r.reason as TicketReason,
    procedureCode: (r.procedure_code as string | null) ?? null,
    summary: String(r.summary ?? ''),
    ownerId: num(r.owner_id),
    ownerName: (r.owner_name as string | null) ?? null,
    endStatus: (r.end_status as EndStatus | null) ?? null,
    afterHours: Boolean(r.after_hours),
    callbackRequested: Boolean(r.callback_requested),
    flagged: Boolean(r.flagged),
    createdAt: iso(r.created_at)!,
    claimedAt: iso(r.claimed_at),
    closedAt: iso(r.closed_at),
    telegramThreadId: num(r.telegram_thread_id),
    telegramCardMessageId: num(r.telegram_card_message_id),
  };
}

function toEvent(r: Row): TicketEvent {
  return {
    id: Number(r.id),
    ticketId: Number(r.ticket_id),
    kind: r.kind as TicketEventKind,
    actorId: num(r.actor_id),
    actorName: (r.actor_name as string | null) ?? null,
    text: (r.text as string | null) ?? null,
    data: (r.data as Record<string, unknown>) ?? {},
    createdAt: iso(r.created_at)!,
  };
}

export interface NewTicket {
  conversationId: string;
  channel: string;
  chatId: string;
  reason: TicketReason;
  procedureCode: string | null;
  summary: string;
  afterHours: boolean;
  status?: TicketStatus;
  flagged?: boolean;
}

/** Inserts a ticket; null when the conversation already has an open one (the unique partial index). */
export async function insertTicket(q: Queryable, t: NewTicket): Promise<number | null> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO tickets (conversation_id, channel, chat_id, status, reason, procedure_code, summary, after_hours, flagged, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $4 = 'closed' THEN now() END)
     ON CONFLICT (conversation_id) WHERE status <> 'closed' DO NOTHING RETURNING id`,
    [t.conversationId, t.channel, t.chatId, t.status ?? 'waiting', t.reason, t.procedureCode, t.summary, t.afterHours, t.flagged ?? false],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function ticketById(q: Queryable, id: number): Promise<Ticket | null> {
  const rows = await q.query<Row>(`SELECT ${TICKET_COLUMNS} ${FROM_TICKETS} WHERE t.id = $1`, [id]);
  return rows[0] ? toTicket(rows[0]) : null;
}

export async function openTicketOf(q: Queryable, conversationId: string): Promise<Ticket | null> {
  const rows = await q.query<Row>(`SELECT ${TICKET_COLUMNS} ${FROM_TICKETS} WHERE t.conversation_id = $1 AND t.status <> 'closed'`, [conversationId]);
  return rows[0] ? toTicket(rows[0]) : null;
}

export async function listTickets(
  q: Queryable,
  f: { statuses: TicketStatus[]; ownerId?: number; flagged?: boolean; limit: number },
): Promise<Ticket[]> {
  const rows = await q.query<Row>(
    `SELECT ${TICKET_COLUMNS} ${FROM_TICKETS}
      WHERE t.status = ANY($1::text[]) AND ($2::bigint IS NULL OR t.owner_id = $2) AND ($3::boolean IS NULL OR t.flagged = $3)
      ORDER BY CASE t.status WHEN 'waiting' THEN 0 WHEN 'with_staff' THEN 1 ELSE 2 END,
               CASE WHEN t.status = 'closed' THEN NULL ELSE t.id END, t.closed_at DESC NULLS LAST, t.id DESC
      LIMIT $4`,
    [f.statuses, f.ownerId ?? null, f.flagged ?? null, f.limit],
  );
  return rows.map(toTicket);
}

/** Waiting tickets in queue order (oldest first), with the position each citizen was last told. */
export async function waitingQueue(q: Queryable): Promise<{ id: number; conversationId: string; channel: string; chatId: string; toldPosition: number | null }[]> {
  const rows = await q.query<Row>(`SELECT id, conversation_id, channel, chat_id, told_position FROM tickets WHERE status = 'waiting' ORDER BY created_at, id`);
  return rows.map((r) => ({ id: Number(r.id), conversationId: String(r.conversation_id), channel: String(r.channel), chatId: String(r.chat_id), toldPosition: num(r.told_position) }));
}

export async function setToldPosition(q: Queryable, id: number, position: number): Promise<void> {
  await q.query(`UPDATE tickets SET told_position = $2 WHERE id = $1`, [id, position]);
}

/** Minutes from opening to claim of the most recently claimed tickets (for the wait estimate). */
export async function recentWaits(q: Queryable, n: number): Promise<number[]> {
  const rows = await q.query<{ minutes: number }>(
    `SELECT EXTRACT(EPOCH FROM (claimed_at - created_at)) / 60 AS minutes FROM tickets
      WHERE claimed_at IS NOT NULL AND claimed_at > now() - interval '30 days' ORDER BY claimed_at DESC LIMIT $1`,
    [n],
  );
  return rows.map((r) => Number(r.minutes));
}

/** The one conditional update that makes claiming race-safe: only a waiting ticket can be claimed. */
export async function claimTicket(q: Queryable, id: number, userId: number): Promise<boolean> {
  const rows = await q.query(
    `UPDATE tickets SET status = 'with_staff', owner_id = $2, claimed_at = COALESCE(claimed_at, now()) WHERE id = $1 AND status = 'waiting' RETURNING id`,
    [id, userId],
  );
  return rows.length > 0;
}

/** Back to the queue (`toUserId` null) or straight to a colleague; only while someone owns it. */
export async function releaseTicket(q: Queryable, id: number, toUserId: number | null): Promise<boolean> {
  const rows = await q.query(
    `UPDATE tickets SET status = CASE WHEN $2::bigint IS NULL THEN 'waiting' ELSE 'with_staff' END, owner_id = $2, told_position = NULL
      WHERE id = $1 AND status = 'with_staff' RETURNING id`,
    [id, toUserId],
  );
  return rows.length > 0;
}

export async function closeTicket(q: Queryable, id: number, endStatus: EndStatus, retentionDays: number): Promise<boolean> {
  const rows = await q.query(
    `UPDATE tickets SET status = 'closed', end_status = $2, closed_at = now(),
            callback_erase_after = CASE WHEN callback_phone IS NULL THEN NULL ELSE now() + make_interval(days => $3::int) END
      WHERE id = $1 AND status <> 'closed' RETURNING id`,
    [id, endStatus, retentionDays],
  );
  return rows.length > 0;
}

export async function flagTickets(q: Queryable, ids: number[]): Promise<void> {
  if (ids.length) await q.query(`UPDATE tickets SET flagged = true WHERE id = ANY($1::bigint[])`, [ids]);
}

export async function requestCallback(q: Queryable, id: number, phone: string | null): Promise<void> {
  await q.query(
    `UPDATE tickets SET callback_requested = true, callback_phone = COALESCE($2, callback_phone),
            callback_consent_at = CASE WHEN $2::text IS NULL THEN callback_consent_at ELSE now() END WHERE id = $1`,
    [id, phone],
  );
}

export async function callbackPhoneOf(q: Queryable, id: number): Promise<string | null> {
  const rows = await q.query<{ callback_phone: string | null }>(`SELECT callback_phone FROM tickets WHERE id = $1`, [id]);
  return rows[0]?.callback_phone ?? null;
}

/** Erases callback numbers whose retention ended; returns how many. */
export async function eraseExpiredCallbackPhones(q: Queryable, now: Date): Promise<number> {
  const rows = await q.query(
    `UPDATE tickets SET callback_phone = NULL WHERE callback_phone IS NOT NULL AND callback_erase_after IS NOT NULL AND callback_erase_after <= $1 RETURNING id`,
    [now.toISOString()],
  );
  return rows.length;
}

export async function setTelegramTopic(q: Queryable, id: number, threadId: number | null, cardMessageId: number | null): Promise<void> {
  await q.query(`UPDATE tickets SET telegram_thread_id = $2, telegram_card_message_id = $3 WHERE id = $1`, [id, threadId, cardMessageId]);
}

export async function ticketByTelegram(q: Queryable, ref: { threadId?: number; cardMessageId?: number }): Promise<Ticket | null> {
  if (ref.threadId === undefined && ref.cardMessageId === undefined) return null;
  const rows = await q.query<Row>(
    `SELECT ${TICKET_COLUMNS} ${FROM_TICKETS}
      WHERE ($1::bigint IS NOT NULL AND t.telegram_thread_id = $1) OR ($2::bigint IS NOT NULL AND t.telegram_card_message_id = $2)
      ORDER BY t.id DESC LIMIT 1`,
    [ref.threadId ?? null, ref.cardMessageId ?? null],
  );
  return rows[0] ? toTicket(rows[0]) : null;
}

export interface NewTicketEvent {
  ticketId: number;
  kind: TicketEventKind;
  actorId?: number | null;
  text?: string | null;
  data?: Record<string, unknown>;
  /** A platform update or console request id: the same one again is not stored twice. */
  sourceKey?: string | null;
}

/** The event's id, or null when an event with this source key was stored before. */
export async function insertTicketEvent(q: Queryable, e: NewTicketEvent): Promise<number | null> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO ticket_events (ticket_id, kind, actor_id, text, data, source_key) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (source_key) DO NOTHING RETURNING id`,
    [e.ticketId, e.kind, e.actorId ?? null, e.text ?? null, JSON.stringify(e.data ?? {}), e.sourceKey ?? null],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

const EVENT_COLUMNS = `e.id, e.ticket_id, e.kind, e.actor_id, u.display_name AS actor_name, e.text, e.data, e.created_at`;

export async function ticketEvents(q: Queryable, ticketId: number, afterId = 0): Promise<TicketEvent[]> {
  const rows = await q.query<Row>(
    `SELECT ${EVENT_COLUMNS} FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = $1 AND e.id > $2 ORDER BY e.id`,
    [ticketId, afterId],
  );
  return rows.map(toEvent);
}

export async function eventsAfter(q: Queryable, afterId: number, limit: number): Promise<TicketEvent[]> {
  const rows = await q.query<Row>(
    `SELECT ${EVENT_COLUMNS} FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map(toEvent);
}

export interface OutboxMessage {
  conversationId: string;
  channel: string;
  chatId: string;
  /** staff: a staff member's message; system: a handover notice. Both go out while a staff member owns the conversation. */
  kind: 'staff' | 'system';
  message: ReplyMessage;
  sourceKey?: string | null;
}

/** Puts a message in the outbox (belonging to no inbound update); false when its source key was stored before. */
export async function enqueueOutbound(q: Queryable, m: OutboxMessage): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO outbound_messages (inbound_id, conversation_id, channel, chat_id, seq, message, status, kind, source_key)
     VALUES (NULL, $1, $2, $3, 0, $4::jsonb, 'pending', $5, $6) ON CONFLICT (source_key) DO NOTHING RETURNING id`,
    [m.conversationId, m.channel, m.chatId, JSON.stringify(m.message), m.kind, m.sourceKey ?? null],
  );
  return rows.length > 0;
}

/** True while a staff member owns the conversation (the bot must then stay silent). */
export async function isWithStaff(q: Queryable, conversationId: string): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM tickets WHERE conversation_id = $1 AND status = 'with_staff'`, [conversationId]);
  return rows.length > 0;
}

export interface TranscriptLine {
  who: 'citizen' | 'bot';
  text: string;
  at: string;
}

/** The conversation's last messages before a handover: the citizen's (redacted, from the turn log) and the bot's. */
export async function recentTranscript(q: Queryable, conversationId: string, n: number): Promise<TranscriptLine[]> {
  const rows = await q.query<{ who: 'citizen' | 'bot'; text: string; at: string }>(
    `SELECT who, text, at FROM (
       SELECT 'citizen' AS who, text_redacted AS text, created_at AS at, id AS ord FROM turns WHERE conversation_id = $1
       UNION ALL
       SELECT 'bot', message->>'text', created_at, id FROM outbound_messages WHERE conversation_id = $1 AND kind = 'bot'
       ORDER BY at DESC, ord DESC LIMIT $2) recent
     ORDER BY at, who DESC`,
    [conversationId, n],
  );
  return rows.map((r) => ({ who: r.who, text: r.text, at: new Date(r.at).toISOString() }));
}

/** An active account a ticket can be handed to. */
export async function activeStaffMember(q: Queryable, id: number): Promise<{ id: number; displayName: string } | null> {
  const rows = await q.query<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE id = $1 AND active`, [id]);
  return rows[0] ? { id: Number(rows[0].id), displayName: rows[0].display_name } : null;
}
