import type { Logger } from 'pino';
import { safeErr } from '../../channels/telegram/errors.ts';
import { EndStatusSchema, type Ticket, type TicketEvent } from '../../domain/staff.ts';
import type { HandoverDesk } from '../../services/handover/types.ts';
import type { DeskCursorStore } from '../../storage/desk-cursor-store.ts';
import { transience } from './api-errors.ts';
import type { TicketBoard } from './board.ts';
import { LINES } from './texts.ts';

/** The desk's name in `desk_cursors`. */
export const TELEGRAM_DESK = 'telegram';

export interface NotifierDeps {
  desk: HandoverDesk;
  cursors: Pick<DeskCursorStore, 'get' | 'advance'>;
  board: TicketBoard;
  logger: Logger;
  /** Removed from logged errors. */
  token: string;
  /** Time between two looks at the event log when there was nothing to post (default 1 s). */
  pollMs?: number;
  /** Tries of an event Telegram keeps refusing (a 4xx) before it is skipped (default 5). */
  maxAttempts?: number;
  /**
   * How long a hole in the event ids is waited for (default 2 s). Ids come from a sequence: on PostgreSQL a
   * transaction that started earlier can commit its event after a later one is visible, and a cursor moved past
   * the hole would skip it for good. A hole that stays is a rolled-back insert (or one that found its source key
   * taken), and is passed after this long.
   */
  gapSettleMs?: number;
  batchSize?: number;
  now?: () => number;
}

export type TickResult = 'idle' | 'more' | 'retry';

/**
 * Posts the handover events to the staff group, in order, each once: reads `desk.eventsAfter(cursor)` and moves the
 * stored cursor past an event only after it was posted, so a crash posts again at most the event it was on.
 * Telegram's rate limit, its 5xx and network errors leave the cursor where it is and are retried on the next tick;
 * an event Telegram keeps refusing is logged (ids and Telegram's description only) and skipped after a few tries,
 * so one bad event never holds back the desk.
 */
export class DeskNotifier {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly attempts = new Map<number, number>();
  private readonly gapSince = new Map<number, number>();
  private pausedUntil = 0;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly gapSettleMs: number;
  private readonly batchSize: number;
  private readonly now: () => number;

  constructor(private readonly d: NotifierDeps) {
    this.pollMs = d.pollMs ?? 1_000;
    this.maxAttempts = d.maxAttempts ?? 5;
    this.gapSettleMs = d.gapSettleMs ?? 2_000;
    this.batchSize = d.batchSize ?? 50;
    this.now = d.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Looks at the log now rather than at the next tick (after a button press changed a ticket). */
  poke(): void {
    if (this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
  }

  /** Posts everything there is now (until caught up or an event has to wait). */
  async flush(): Promise<TickResult> {
    let r: TickResult;
    do r = await this.tick();
    while (r === 'more');
    return r;
  }

  /** One pass over the log after the cursor; passes never overlap. */
  tick(): Promise<TickResult> {
    const run = this.chain.then(() => this.pass());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick()
        .catch((err: unknown) => {
          this.d.logger.error({ err: safeErr(err, this.d.token) }, 'Telegram staff desk: pass failed');
          return 'retry' as const;
        })
        .then((r) => {
          if (this.running && !this.timer) this.schedule(r === 'more' ? 0 : Math.max(this.pollMs, this.pausedUntil - this.now()));
        });
    }, ms);
    this.timer.unref?.();
  }

  private async pass(): Promise<TickResult> {
    if (this.now() < this.pausedUntil) return 'retry';
    let cursor: number;
    let events: TicketEvent[];
    try {
      cursor = await this.d.cursors.get(TELEGRAM_DESK);
      events = await this.d.desk.eventsAfter(cursor, this.batchSize);
    } catch (err) {
      this.d.logger.warn({ err: safeErr(err, this.d.token) }, 'Telegram staff desk: could not read the event log; retrying');
      return 'retry';
    }
    let expected = cursor + 1;
    for (const ev of events) {
      if (ev.id > expected && !this.gapSettled(expected)) return 'retry';
      expected = ev.id + 1;
      const where = { eventId: ev.id, ticketId: ev.ticketId, kind: ev.kind };
      try {
        await this.post(ev);
      } catch (err) {
        const t = transience(err);
        if (t.transient) {
          if (t.retryAfterSeconds) this.pausedUntil = this.now() + t.retryAfterSeconds * 1000;
          this.d.logger.warn({ ...where, err: safeErr(err, this.d.token) }, 'Telegram staff desk: posting failed; retrying');
          return 'retry';
        }
        const n = (this.attempts.get(ev.id) ?? 0) + 1;
        if (n < this.maxAttempts) {
          this.attempts.set(ev.id, n);
          this.d.logger.warn({ ...where, attempt: n, err: safeErr(err, this.d.token) }, 'Telegram staff desk: posting failed; retrying');
          return 'retry';
        }
        this.d.logger.error({ ...where, attempts: n, err: safeErr(err, this.d.token) }, 'Telegram staff desk: event skipped after repeated failures');
      }
      try {
        await this.d.cursors.advance(TELEGRAM_DESK, ev.id);
      } catch (err) {
        this.d.logger.warn({ ...where, err: safeErr(err, this.d.token) }, 'Telegram staff desk: could not store the cursor; retrying');
        return 'retry';
      }
      this.attempts.delete(ev.id);
      for (const id of this.gapSince.keys()) if (id <= ev.id) this.gapSince.delete(id);
    }
    return events.length >= this.batchSize ? 'more' : 'idle';
  }

  private gapSettled(missingId: number): boolean {
    const since = this.gapSince.get(missingId);
    if (since === undefined) {
      this.gapSince.set(missingId, this.now());
      return this.gapSettleMs <= 0;
    }
    return this.now() - since >= this.gapSettleMs;
  }

  /** One event → the staff group. */
  private async post(ev: TicketEvent): Promise<void> {
    const found = await this.d.desk.getTicket(ev.ticketId);
    if (!found) return;
    let t: Ticket = found;
    // Closed before the desk ever posted it (or a closed entry made for the lead): nothing for the group to act on.
    if (t.status === 'closed' && t.telegramThreadId === null && t.telegramCardMessageId === null) return;
    const board = this.d.board;
    switch (ev.kind) {
      case 'opened':
        await board.ensureCard(t, ev.id);
        return;
      case 'citizen_message':
        if (ev.text?.trim()) await board.postLine(t, LINES.citizen(ev.text.trim()), ev.id - 1);
        return;
      case 'claimed':
        t = await board.refreshCard(t, ev.id);
        await board.postLine(t, LINES.claimed(ev.actorName), ev.id);
        return;
      case 'released':
        t = await board.refreshCard(t, ev.id);
        await board.postLine(t, LINES.released(ev.actorName), ev.id);
        return;
      case 'transferred': {
        const toName = typeof ev.data.toName === 'string' ? ev.data.toName : ev.data.toId === t.ownerId ? t.ownerName : null;
        t = await board.refreshCard(t, ev.id);
        await board.postLine(t, LINES.transferred(ev.actorName, toName), ev.id);
        return;
      }
      case 'closed': {
        const endStatus = EndStatusSchema.safeParse(ev.data.endStatus);
        t = await board.refreshCard(t, ev.id);
        await board.postLine(t, LINES.closed(ev.actorName, endStatus.success ? endStatus.data : t.endStatus), ev.id);
        await board.closeTopic(t);
        return;
      }
      case 'callback_requested':
        t = await board.refreshCard(t, ev.id);
        await board.postLine(t, LINES.callback, ev.id);
        return;
      // A reply written in the group is already there; one written in the web console is posted, so the topic
      // holds the whole conversation. The bot's own notices (queue position) would only be noise.
      case 'staff_message':
        if (ev.data.via === 'console' && ev.text?.trim()) await board.postLine(t, LINES.staff(ev.actorName, ev.text.trim()), ev.id);
        return;
      case 'bot_message':
        return;
    }
  }
}
