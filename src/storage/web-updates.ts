import type { ReplyMessage } from '../domain/types.ts';
import type { Queryable } from './db.ts';

/** A message that belongs to no citizen message (a staff reply, a system notice), as the web page receives it. */
export interface WebUpdate {
  id: number;
  /** 'staff' or 'system' (the outbox's `kind`). */
  kind: string;
  message: ReplyMessage;
  /** When it was stored (ISO 8601). */
  at: string;
}

/** The conversation's open ticket, as the page shows it; `status` null when no handover is open. */
export interface WebHandover {
  status: 'waiting' | 'with_staff' | null;
  staffName: string | null;
}

/**
 * What the web chat page fetches besides the answers to its own messages: the outbox rows of a conversation that
 * no inbound update produced, read after the page's cursor (the last id it showed), and the open ticket's state.
 * Bot replies to web messages go back in the POST response and are never returned here.
 */
export class WebUpdatesStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Up to `limit` messages with id > `after`, oldest first. They are marked sent as they are read, for the engine
   * (they were delivered); the status does not filter them, so a re-fetch with the same `after` (a lost response,
   * a second tab, a reopened page) returns them again: the page's cursor decides what is new.
   */
  async messagesAfter(conversationId: string, after: number, limit: number): Promise<WebUpdate[]> {
    const rows = await this.db.query<{ id: string; kind: string; message: ReplyMessage | string; created_at: string | Date }>(
      `SELECT id, kind, message, created_at FROM outbound_messages
        WHERE conversation_id = $1 AND channel = 'web' AND inbound_id IS NULL AND id > $2
        ORDER BY id LIMIT $3`,
      [conversationId, after, limit],
    );
    const pending = rows.map((r) => r.id);
    if (pending.length) {
      await this.db.query(
        `UPDATE outbound_messages SET status = 'sent', sent_at = now()
          WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
        [pending],
      );
    }
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      message: typeof r.message === 'string' ? (JSON.parse(r.message) as ReplyMessage) : r.message,
      at: new Date(r.created_at).toISOString(),
    }));
  }

  /** The open ticket's status and its owner's display name (at most one ticket is open per conversation). */
  async handover(conversationId: string): Promise<WebHandover> {
    const rows = await this.db.query<{ status: 'waiting' | 'with_staff'; display_name: string | null }>(
      `SELECT t.status, u.display_name FROM tickets t LEFT JOIN users u ON u.id = t.owner_id
        WHERE t.conversation_id = $1 AND t.status <> 'closed'
        ORDER BY t.id DESC LIMIT 1`,
      [conversationId],
    );
    const open = rows[0];
    return open ? { status: open.status, staffName: open.status === 'with_staff' ? open.display_name : null } : { status: null, staffName: null };
  }
}
