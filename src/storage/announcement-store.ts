import type { Queryable } from './db.ts';

/**
 * Announcements (migrations 011, 016): the citizens' subscriptions, the announcements an admin writes, and one delivery
 * record per recipient. A delivery is claimed by a conditional update (pending → sending) before it is sent and
 * marked sent only after the platform accepted it, so two workers never send the same one.
 */
export type AnnouncementChannel = 'telegram' | 'zalo';
/** draft → (scheduled →) sending → sent; a scheduled one may be cancelled before it starts. */
export type AnnouncementStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled';
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'blocked';

export interface Subscription {
  conversationId: string;
  channel: string;
  chatId: string;
  subscribed: boolean;
  blocked: boolean;
  changedAt: string;
  offeredAt: string | null;
}

export interface AnnouncementRow {
  id: number;
  text: string;
  link: string | null;
  channels: AnnouncementChannel[];
  procedureCode: string | null;
  status: AnnouncementStatus;
  createdBy: string;
  createdAt: string;
  sentAt: string | null;
  /** The time an admin chose to send it at; null when it was sent at once. */
  scheduledAt: string | null;
  cancelledAt: string | null;
}

export interface NewAnnouncement {
  text: string;
  link: string | null;
  channels: AnnouncementChannel[];
  procedureCode: string | null;
  createdBy: string;
}

export interface ClaimedDelivery {
  id: number;
  announcementId: number;
  conversationId: string;
  channel: AnnouncementChannel;
  chatId: string;
  attempts: number;
}

export type Progress = { recipients: number } & Record<DeliveryStatus, number>;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

function toSubscription(r: Record<string, unknown>): Subscription {
  return {
    conversationId: String(r.conversation_id),
    channel: String(r.channel),
    chatId: String(r.chat_id),
    subscribed: r.subscribed === true,
    blocked: r.blocked === true,
    changedAt: iso(r.changed_at)!,
    offeredAt: iso(r.offered_at),
  };
}

function toAnnouncement(r: Record<string, unknown>): AnnouncementRow {
  const channels = Array.isArray(r.channels) ? r.channels : String(r.channels ?? '').replace(/[{}]/g, '').split(',').filter(Boolean);
  return {
    id: Number(r.id),
    text: String(r.text),
    link: (r.link as string | null) ?? null,
    channels: channels as AnnouncementChannel[],
    procedureCode: (r.procedure_code as string | null) ?? null,
    status: r.status as AnnouncementRow['status'],
    createdBy: String(r.created_by),
    createdAt: iso(r.created_at)!,
    sentAt: iso(r.sent_at),
    scheduledAt: iso(r.scheduled_at),
    cancelledAt: iso(r.cancelled_at),
  };
}

export class AnnouncementStore {
  constructor(private readonly db: Queryable) {}

  // ---- subscriptions

  async subscription(conversationId: string, q: Queryable = this.db): Promise<Subscription | null> {
    const rows = await q.query(`SELECT * FROM subscriptions WHERE conversation_id = $1`, [conversationId]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** Opts in or out (opting in again clears `blocked`); returns the row as it was before, null when there was none. */
  async setSubscribed(who: { conversationId: string; channel: string; chatId: string }, subscribed: boolean): Promise<Subscription | null> {
    const before = await this.subscription(who.conversationId);
    await this.db.query(
      `INSERT INTO subscriptions (conversation_id, channel, chat_id, subscribed, changed_at, blocked)
       VALUES ($1, $2, $3, $4, now(), false)
       ON CONFLICT (conversation_id) DO UPDATE
         SET subscribed = EXCLUDED.subscribed, chat_id = EXCLUDED.chat_id, changed_at = now(),
             blocked = CASE WHEN EXCLUDED.subscribed THEN false ELSE subscriptions.blocked END`,
      [who.conversationId, who.channel, who.chatId, subscribed],
    );
    return before;
  }

  /** Records that the choice was offered; true only the first time for a conversation (no row yet). */
  async markOffered(who: { conversationId: string; channel: string; chatId: string }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO subscriptions (conversation_id, channel, chat_id, subscribed, offered_at)
       VALUES ($1, $2, $3, false, now()) ON CONFLICT (conversation_id) DO NOTHING RETURNING conversation_id`,
      [who.conversationId, who.channel, who.chatId],
    );
    return rows.length === 1;
  }

  // ---- announcements

  async create(a: NewAnnouncement, q: Queryable = this.db): Promise<number> {
    const rows = await q.query<{ id: unknown }>(
      `INSERT INTO announcements (text, link, channels, procedure_code, created_by) VALUES ($1, $2, $3::text[], $4, $5) RETURNING id`,
      [a.text, a.link, a.channels, a.procedureCode, a.createdBy],
    );
    return Number(rows[0]!.id);
  }

  async get(id: number, q: Queryable = this.db): Promise<AnnouncementRow | null> {
    const rows = await q.query(`SELECT * FROM announcements WHERE id = $1`, [id]);
    return rows[0] ? toAnnouncement(rows[0]) : null;
  }

  async list(limit = 50): Promise<AnnouncementRow[]> {
    const rows = await this.db.query(`SELECT * FROM announcements ORDER BY id DESC LIMIT $1`, [limit]);
    return rows.map(toAnnouncement);
  }

  /** How many opted-in, unblocked citizens the audience holds now. */
  async audienceSize(a: Pick<AnnouncementRow, 'channels' | 'procedureCode'>, q: Queryable = this.db): Promise<number> {
    const rows = await q.query<{ n: unknown }>(`SELECT count(*) AS n FROM subscriptions s WHERE ${audience('$1::text[]', '$2::text')}`, [a.channels, a.procedureCode]);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Creates one pending delivery per opted-in recipient of the audience, in the caller's transaction, and marks the
   * announcement as sending, or as scheduled when `at` is given: then the deliveries are due at `at` (`not_before`),
   * so none is claimed earlier, and `begin` starts it at that time. Null when it is not a draft any more (already
   * sent, scheduled or cancelled): nothing is added.
   */
  async schedule(id: number, q: Queryable, at: Date | null = null): Promise<number | null> {
    const updated = await q.query<{ id: unknown }>(
      `UPDATE announcements SET status = $2, scheduled_at = $3 WHERE id = $1 AND status = 'draft' RETURNING id`,
      [id, at ? 'scheduled' : 'sending', at],
    );
    if (!updated[0]) return null;
    const rows = await q.query(
      `INSERT INTO deliveries (announcement_id, conversation_id, channel, chat_id, not_before)
       SELECT a.id, s.conversation_id, s.channel, s.chat_id, COALESCE(a.scheduled_at, now())
         FROM announcements a JOIN subscriptions s ON ${audience('a.channels', 'a.procedure_code')}
        WHERE a.id = $1
       ON CONFLICT (announcement_id, conversation_id) DO NOTHING RETURNING id`,
      [id],
    );
    return rows.length;
  }

  /**
   * A scheduled announcement whose time has come starts sending (one statement: it cannot both start and be
   * cancelled). Who receives it is decided now: the deliveries created when it was scheduled stay (an opt-out since
   * is skipped by the worker's check before each send), and citizens of the audience who opted in since are added.
   * False when it is not scheduled (cancelled, already started) or its time has not come.
   */
  async begin(id: number): Promise<boolean> {
    const rows = await this.db.query<{ started: unknown }>(
      `WITH started AS (
         UPDATE announcements SET status = 'sending' WHERE id = $1 AND status = 'scheduled' AND scheduled_at <= now()
         RETURNING id, channels, procedure_code
       ), added AS (
         INSERT INTO deliveries (announcement_id, conversation_id, channel, chat_id)
         SELECT a.id, s.conversation_id, s.channel, s.chat_id FROM started a JOIN subscriptions s ON ${audience('a.channels', 'a.procedure_code')}
         ON CONFLICT (announcement_id, conversation_id) DO NOTHING RETURNING id
       )
       SELECT (SELECT count(*) FROM started) AS started, (SELECT count(*) FROM added) AS added`,
      [id],
    );
    return Number(rows[0]?.started ?? 0) === 1;
  }

  /**
   * Cancels a scheduled announcement before it starts, in the caller's transaction: its pending deliveries are
   * removed (nothing is sent). The number removed, or null when it is not scheduled any more.
   */
  async cancel(id: number, q: Queryable): Promise<number | null> {
    const updated = await q.query(`UPDATE announcements SET status = 'cancelled', cancelled_at = now() WHERE id = $1 AND status = 'scheduled' RETURNING id`, [id]);
    if (!updated[0]) return null;
    const removed = await q.query(`DELETE FROM deliveries WHERE announcement_id = $1 AND status = 'pending' RETURNING id`, [id]);
    return removed.length;
  }

  async progress(id: number): Promise<Progress> {
    const rows = await this.db.query<{ status: DeliveryStatus; n: unknown }>(
      `SELECT status, count(*) AS n FROM deliveries WHERE announcement_id = $1 GROUP BY status`,
      [id],
    );
    const p: Progress = { recipients: 0, pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0, blocked: 0 };
    for (const r of rows) {
      p[r.status] = Number(r.n);
      p.recipients += Number(r.n);
    }
    return p;
  }

  /**
   * Announcements sending and not finished, or scheduled for later: what a starting worker queues (a scheduled one
   * for its time, `startAt`; a sending one at once, `startAt` null).
   */
  async unfinished(): Promise<{ id: number; startAt: Date | null }[]> {
    const rows = await this.db.query<{ id: unknown; status: string; scheduled_at: unknown }>(
      `SELECT id, status, scheduled_at FROM announcements WHERE status IN ('scheduled', 'sending') ORDER BY id`,
    );
    return rows.map((r) => ({ id: Number(r.id), startAt: r.status === 'scheduled' && r.scheduled_at ? new Date(r.scheduled_at as string) : null }));
  }

  // ---- deliveries

  /**
   * Claims the next due delivery of an announcement on a channel: a conditional update, so a delivery is claimed
   * by one worker only, even with several processes on one database.
   */
  async claim(announcementId: number, channel: AnnouncementChannel): Promise<ClaimedDelivery | null> {
    const rows = await this.db.query<Record<string, unknown>>(
      `UPDATE deliveries SET status = 'sending', claimed_at = now(), attempts = attempts + 1
        WHERE id = (SELECT id FROM deliveries WHERE announcement_id = $1 AND channel = $2 AND status = 'pending' AND not_before <= now()
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND status = 'pending'
        RETURNING id, announcement_id, conversation_id, channel, chat_id, attempts`,
      [announcementId, channel],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: Number(r.id),
      announcementId: Number(r.announcement_id),
      conversationId: String(r.conversation_id),
      channel: r.channel as AnnouncementChannel,
      chatId: String(r.chat_id),
      attempts: Number(r.attempts),
    };
  }

  /** Pending deliveries of the channel not yet due (waiting for a retry), with the time the first one is. */
  async nextDue(announcementId: number, channel: AnnouncementChannel): Promise<{ waiting: number; inMs: number }> {
    const rows = await this.db.query<{ n: unknown; ms: unknown }>(
      `SELECT count(*) AS n, GREATEST(0, EXTRACT(EPOCH FROM (min(not_before) - now())) * 1000) AS ms
         FROM deliveries WHERE announcement_id = $1 AND channel = $2 AND status = 'pending'`,
      [announcementId, channel],
    );
    return { waiting: Number(rows[0]?.n ?? 0), inMs: Number(rows[0]?.ms ?? 0) };
  }

  /** Still opted in and not blocked: checked right before each send, so an opt-out during a send is honoured. */
  async stillSubscribed(conversationId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM subscriptions WHERE conversation_id = $1 AND subscribed AND NOT blocked`, [conversationId]);
    return rows.length === 1;
  }

  async markSent(id: number): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1 AND status = 'sending'`, [id]);
  }

  async markSkipped(id: number, reason: string): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = 'skipped', last_error = $2 WHERE id = $1 AND status = 'sending'`, [id, reason]);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'sending'`, [id, error.slice(0, 500)]);
  }

  /** The citizen blocked the bot: the delivery is marked and so is the subscription (no later announcement tries). */
  async markBlocked(d: Pick<ClaimedDelivery, 'id' | 'conversationId'>, error: string): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = 'blocked', last_error = $2 WHERE id = $1 AND status = 'sending'`, [d.id, error.slice(0, 500)]);
    await this.db.query(`UPDATE subscriptions SET blocked = true WHERE conversation_id = $1`, [d.conversationId]);
  }

  /** Back to pending, due again in `delayMs` (a 429's retry_after, a backoff). */
  async retryLater(id: number, error: string, delayMs: number): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET status = 'pending', last_error = $2, claimed_at = NULL, not_before = now() + make_interval(secs => $3::double precision)
        WHERE id = $1 AND status = 'sending'`,
      [id, error.slice(0, 500), delayMs / 1000],
    );
  }

  /**
   * Claims a process left behind (killed between the claim and the platform's answer): whether the platform got the
   * message is unknown, so they are marked failed, never sent again — nobody receives an announcement twice.
   */
  async failInterrupted(announcementId: number, olderThanMs: number): Promise<number> {
    const rows = await this.db.query(
      `UPDATE deliveries SET status = 'failed', last_error = 'interrupted while sending: not sent again, to avoid a duplicate'
        WHERE announcement_id = $1 AND status = 'sending' AND claimed_at < now() - make_interval(secs => $2::double precision) RETURNING id`,
      [announcementId, olderThanMs / 1000],
    );
    return rows.length;
  }

  /** Marks the announcement sent once no delivery is pending or being sent. */
  async finishIfDone(id: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE announcements SET status = 'sent', sent_at = now()
        WHERE id = $1 AND status = 'sending'
          AND NOT EXISTS (SELECT 1 FROM deliveries WHERE announcement_id = $1 AND status IN ('pending', 'sending'))
        RETURNING id`,
      [id],
    );
    return rows.length === 1;
  }
}

/** The opted-in, unblocked subscriptions `s` of an audience: SQL expressions for its channels and procedure code (or null). */
const audience = (channels: string, procedureCode: string) => `s.subscribed AND NOT s.blocked AND s.channel = ANY(${channels})
  AND (${procedureCode} IS NULL OR EXISTS (SELECT 1 FROM dossiers d WHERE d.conversation_id = s.conversation_id AND d.procedure_code = ${procedureCode}))`;
