import { type ReplyMessage, ReplyMessageSchema } from '../domain/types.ts';
import { type InboundEvent, InboundEventSchema, conversationIdOf } from '../channels/types.ts';
import type { Db } from '../storage/db.ts';

/** Stored inbound updates, stored replies and conversation leases: plain SQL behind a small API. */
export interface StoredUpdate {
  id: number;
  conversationId: string;
  event: InboundEvent;
  attempts: number;
}

export interface StoredReply {
  id: number;
  channel: string;
  chatId: string;
  message: ReplyMessage;
  attempts: number;
  /** bot: a reply to a citizen's message; staff: a staff member's; system: a handover notice. */
  kind: 'bot' | 'staff' | 'system';
}

export class Inbox {
  constructor(private readonly db: Db) {}

  /**
   * Stores the update (and its conversation's row) once; false when this update was stored before. One statement,
   * so one round trip and atomic: this is on every webhook's path.
   */
  async store(event: InboundEvent): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `WITH ins AS (
         INSERT INTO inbound_updates (channel, update_key, conversation_id, event, sequence) VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (channel, update_key) DO NOTHING RETURNING id
       ), conv AS (
         INSERT INTO conversations (id, channel) SELECT $3, $1 WHERE EXISTS (SELECT 1 FROM ins)
         ON CONFLICT (id) DO NOTHING
       )
       SELECT id FROM ins`,
      [event.channel, event.updateKey, conversationIdOf(event), JSON.stringify(event), event.sequence ?? null],
    );
    return rows.length > 0;
  }

  /** Takes the conversation for `ms` unless another instance holds it; true when this instance now holds it. */
  async lease(conversationId: string, owner: string, ms: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE conversations SET lease_owner = $2, lease_until = now() + make_interval(secs => $3::float8 / 1000)
        WHERE id = $1 AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $2) RETURNING id`,
      [conversationId, owner, ms],
    );
    return rows.length > 0;
  }

  async release(conversationId: string, owner: string): Promise<void> {
    await this.db.query(`UPDATE conversations SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`, [conversationId, owner]);
  }

  /**
   * The unprocessed update of a conversation that comes first in the platform's own order: the lowest `sequence`,
   * then arrival (id). So updates stored out of order (concurrent webhooks) are processed in the order they were
   * sent, and one that arrives late, with a lower sequence than updates already processed, is simply next: nothing
   * is dropped for being late. An update without a sequence cannot be placed among the others; it goes first, in
   * arrival order, so it can never be kept waiting behind a stream of later ones.
   */
  async nextPending(conversationId: string): Promise<StoredUpdate | null> {
    const rows = await this.db.query<{ id: string; event: unknown; attempts: number }>(
      `SELECT id, event, attempts FROM inbound_updates WHERE conversation_id = $1 AND status = 'pending'
        ORDER BY sequence NULLS FIRST, id LIMIT 1`,
      [conversationId],
    );
    const r = rows[0];
    return r ? { id: Number(r.id), conversationId, event: InboundEventSchema.parse(r.event), attempts: r.attempts } : null;
  }

  /**
   * Marks an update processed and stores its replies, in one transaction: either both happen or neither, so a
   * crash in between processes the update again rather than losing or doubling its replies. The stored event
   * keeps only the redacted text.
   */
  async complete(update: StoredUpdate, redactedText: string | null, replies: ReplyMessage[], delivered: boolean): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE inbound_updates SET status = 'done', processed_at = now(), attempts = attempts + 1,
                event = CASE WHEN $2::text IS NULL THEN event ELSE jsonb_set(event, '{text}', to_jsonb($2::text)) END
          WHERE id = $1`,
        [update.id, redactedText],
      );
      for (const [seq, message] of replies.entries()) {
        await tx.query(
          `INSERT INTO outbound_messages (inbound_id, conversation_id, channel, chat_id, seq, message, status, sent_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, CASE WHEN $7 = 'sent' THEN now() END)
           ON CONFLICT (inbound_id, seq) DO NOTHING`,
          [update.id, update.conversationId, update.event.channel, update.event.chatId, seq, JSON.stringify(message), delivered ? 'sent' : 'pending'],
        );
      }
    });
  }

  /** How many updates this conversation sent in the last `seconds` (this one included): for the flood limit. */
  async recentCount(conversationId: string, seconds: number): Promise<number> {
    const rows = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM inbound_updates WHERE conversation_id = $1 AND received_at > now() - make_interval(secs => $2::float8)`,
      [conversationId, seconds],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async failAttempt(updateId: number, error: string, giveUpAfter: number): Promise<void> {
    await this.db.query(
      `UPDATE inbound_updates SET attempts = attempts + 1, last_error = $2,
              status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END
        WHERE id = $1`,
      [updateId, error.slice(0, 500), giveUpAfter],
    );
  }

  /** Replies not yet sent, oldest first. */
  async pendingReplies(conversationId: string): Promise<StoredReply[]> {
    const rows = await this.db.query<{ id: string; channel: string; chat_id: string; message: unknown; attempts: number; kind: StoredReply['kind'] }>(
      `SELECT id, channel, chat_id, message, attempts, kind FROM outbound_messages
        WHERE conversation_id = $1 AND status = 'pending' ORDER BY id`,
      [conversationId],
    );
    return rows.map((r) => ({ id: Number(r.id), channel: r.channel, chatId: r.chat_id, message: ReplyMessageSchema.parse(r.message), attempts: r.attempts, kind: r.kind }));
  }

  /** A bot reply not sent because a staff member owns the conversation (kept, for the transcript). */
  async markWithheld(replyId: number): Promise<void> {
    await this.db.query(`UPDATE outbound_messages SET status = 'withheld' WHERE id = $1`, [replyId]);
  }

  async markSent(replyId: number): Promise<void> {
    await this.db.query(`UPDATE outbound_messages SET status = 'sent', sent_at = now(), attempts = attempts + 1 WHERE id = $1`, [replyId]);
  }

  async failDelivery(replyId: number, error: string, giveUpAfter: number): Promise<void> {
    await this.db.query(
      `UPDATE outbound_messages SET attempts = attempts + 1, last_error = $2,
              status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END
        WHERE id = $1`,
      [replyId, error.slice(0, 500), giveUpAfter],
    );
  }

  /** The replies stored for one update (a web request answered again after a retry gets the same ones). */
  async repliesFor(channel: string, updateKey: string): Promise<ReplyMessage[]> {
    const rows = await this.db.query<{ message: unknown }>(
      `SELECT o.message FROM outbound_messages o JOIN inbound_updates i ON i.id = o.inbound_id
        WHERE i.channel = $1 AND i.update_key = $2 ORDER BY o.seq`,
      [channel, updateKey],
    );
    return rows.map((r) => ReplyMessageSchema.parse(r.message));
  }

  async statusOf(channel: string, updateKey: string): Promise<string | null> {
    const rows = await this.db.query<{ status: string }>(`SELECT status FROM inbound_updates WHERE channel = $1 AND update_key = $2`, [channel, updateKey]);
    return rows[0]?.status ?? null;
  }

  /** Conversations with work left: unprocessed updates or unsent replies (not web: those go back in the HTTP answer). */
  async conversationsWithWork(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM inbound_updates WHERE status = 'pending'
       UNION SELECT conversation_id FROM outbound_messages WHERE status = 'pending' AND channel <> 'web'
       LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.conversation_id);
  }
}
