import type { ReplyMessage } from '../../../src/domain/types.ts';
import type { Queryable } from '../../../src/storage/db.ts';

/**
 * Rows as the handover service stores them, written with SQL so the web chat's updates can be tested on their
 * own: staff and system messages for a web conversation (no inbound update, pending), staff accounts, tickets.
 */

export async function storeOutbound(db: Queryable, chatId: string, kind: 'staff' | 'system', message: ReplyMessage): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO outbound_messages (inbound_id, conversation_id, channel, chat_id, seq, message, status, kind)
     VALUES (NULL, $1, 'web', $2, 0, $3, 'pending', $4) RETURNING id`,
    [`web:${chatId}`, chatId, JSON.stringify(message), kind],
  );
  return Number(rows[0]!.id);
}

export async function addStaff(db: Queryable, displayName: string): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO users (username, display_name, role, password_hash)
     VALUES ('staff_' || substr(md5(random()::text), 1, 12), $1, 'staff', 'not-a-hash') RETURNING id`,
    [displayName],
  );
  return Number(rows[0]!.id);
}

export async function openTicket(db: Queryable, chatId: string, status: 'waiting' | 'with_staff' = 'waiting', ownerId: number | null = null): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO tickets (conversation_id, channel, chat_id, status, reason, owner_id)
     VALUES ($1, 'web', $2, $3, 'asked_for_person', $4) RETURNING id`,
    [`web:${chatId}`, chatId, status, ownerId],
  );
  return Number(rows[0]!.id);
}

export async function claimTicket(db: Queryable, ticketId: number, ownerId: number): Promise<void> {
  await db.query(`UPDATE tickets SET status = 'with_staff', owner_id = $2, claimed_at = now() WHERE id = $1`, [ticketId, ownerId]);
}

export async function closeTicket(db: Queryable, ticketId: number): Promise<void> {
  await db.query(`UPDATE tickets SET status = 'closed', end_status = 'resolved', closed_at = now() WHERE id = $1`, [ticketId]);
}
