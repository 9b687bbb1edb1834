import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ChannelName, ChannelSender } from '../../channels/types.ts';
import type { AnnouncementChannel, AnnouncementStore, ClaimedDelivery } from '../../storage/announcement-store.ts';
import { classifySendError, DEFAULT_RETRY, type RetryPolicy } from './errors.ts';
import { announcementMessage } from './messages.ts';
import { RateGate } from './rate-gate.ts';
import type { ReplyMessage } from '../../domain/types.ts';

export interface ChannelLimit {
  /** Messages started per second on the channel, all chats together. */
  perSecond: number;
  /** Sends in flight at once (so a slow platform answer does not lower the rate). */
  concurrency: number;
}

/**
 * Telegram: about 30 messages a second in all, held at 28 (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this);
 * one a second per chat is held because each recipient gets one message per announcement (≤ 1,500 characters and a
 * link button: one sendMessage). Zalo publishes no numeric limit (ZALO.md §1.7, only 429 "Quota exceeded"): a
 * conservative 5 a second; an announcement fits one sendMessage there too (≤ 2,000 characters).
 */
export const DEFAULT_LIMITS: Record<AnnouncementChannel, ChannelLimit> = {
  // 28, not 30: sends are spaced at start, and the network bunches their arrivals (measured by `npm run bench`: at
  // 30 a second, up to 31 arrived within one second)
  telegram: { perSecond: 28, concurrency: 4 },
  zalo: { perSecond: 5, concurrency: 2 },
};

/** A claim this old with no answer is a process killed mid-send (a send's own timeout is far shorter). */
export const DEFAULT_CLAIM_TIMEOUT_MS = 300_000;

export interface DeliveryWorkerDeps {
  store: AnnouncementStore;
  senders: Partial<Record<ChannelName, ChannelSender>>;
  logger: Logger;
  limits?: Partial<Record<AnnouncementChannel, ChannelLimit>>;
  retry?: Partial<RetryPolicy>;
  /** Attempts before a delivery is failed (429 waits count). */
  maxAttempts?: number;
  /** A claim older than this with no answer is a process killed mid-send: failed, never resent. */
  claimTimeoutMs?: number;
}

/**
 * Sends one announcement's deliveries: per channel, claim the next due delivery (a conditional update), check the
 * citizen is still opted in, wait for the channel's rate, send through the channel's sender, and mark it sent only
 * after the platform accepted it. An abort stops claiming; sends in flight finish and are recorded, so a new worker
 * on the same database resumes with nothing sent twice and nothing lost.
 */
export class DeliveryWorker {
  private readonly limits: Record<AnnouncementChannel, ChannelLimit>;
  private readonly retry: RetryPolicy;
  private readonly gates = new Map<AnnouncementChannel, RateGate>();

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.limits = { telegram: { ...DEFAULT_LIMITS.telegram, ...deps.limits?.telegram }, zalo: { ...DEFAULT_LIMITS.zalo, ...deps.limits?.zalo } };
    this.retry = { ...DEFAULT_RETRY, ...deps.retry };
  }

  /**
   * Resolves when the announcement is done (marked sent) or when `signal` aborted; true when done. A scheduled one
   * starts only once its time has come (`begin`, checked by the database's clock): false before, with nothing sent,
   * and false for a cancelled one.
   */
  async run(announcementId: number, signal?: AbortSignal): Promise<boolean> {
    const { store, logger } = this.deps;
    const interrupted = await store.failInterrupted(announcementId, this.deps.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS);
    if (interrupted) logger.warn({ announcementId, interrupted }, 'announcement: deliveries interrupted mid-send marked failed (not resent)');
    let a = await store.get(announcementId);
    if (a?.status === 'scheduled' && (await store.begin(announcementId))) a = await store.get(announcementId);
    if (!a || a.status !== 'sending') return a?.status === 'sent';
    const message = announcementMessage(a);
    await Promise.all(
      a.channels.map(async (channel) => {
        const sender = this.deps.senders[channel];
        if (!sender) {
          logger.warn({ announcementId, channel }, 'announcement: channel is off in this process; its deliveries wait');
          return;
        }
        const loops = Array.from({ length: this.limits[channel].concurrency }, () => this.channelLoop(announcementId, channel, sender, message, signal));
        await Promise.all(loops);
      }),
    );
    if (signal?.aborted) return false;
    return store.finishIfDone(announcementId);
  }

  private gate(channel: AnnouncementChannel): RateGate {
    let g = this.gates.get(channel);
    if (!g) this.gates.set(channel, (g = new RateGate(this.limits[channel].perSecond)));
    return g;
  }

  private async channelLoop(announcementId: number, channel: AnnouncementChannel, sender: ChannelSender, message: ReplyMessage, signal?: AbortSignal): Promise<void> {
    const { store } = this.deps;
    const gate = this.gate(channel);
    while (!signal?.aborted) {
      // the turn is waited for before a delivery is claimed, not after: a process killed while it waits leaves
      // nothing claimed (a claim without an answer is never resent), only the sends truly in flight
      await gate.wait(signal);
      if (signal?.aborted) return;
      const d = await store.claim(announcementId, channel);
      if (!d) {
        const due = await store.nextDue(announcementId, channel);
        if (due.waiting === 0) return;
        try {
          await sleep(Math.min(Math.max(due.inMs, 20), 1_000), undefined, { signal });
        } catch {
          return;
        }
        continue;
      }
      await this.deliver(d, sender, message, signal);
    }
  }

  private async deliver(d: ClaimedDelivery, sender: ChannelSender, message: ReplyMessage, signal?: AbortSignal): Promise<void> {
    const { store, logger } = this.deps;
    const gate = this.gate(d.channel);
    // checked right before sending: an opt-out while the announcement was being sent is honoured
    if (!(await store.stillSubscribed(d.conversationId))) return store.markSkipped(d.id, 'opted out or blocked before sending');
    try {
      await sender.send(d.chatId, message);
    } catch (err) {
      const outcome = classifySendError(err, d.attempts, this.retry);
      if (outcome.kind === 'blocked') return store.markBlocked(d, outcome.error);
      if (outcome.kind === 'failed' || d.attempts >= (this.deps.maxAttempts ?? 10)) {
        logger.warn({ announcementId: d.announcementId, deliveryId: d.id, error: outcome.error }, 'announcement: delivery failed');
        return store.markFailed(d.id, outcome.error);
      }
      if (outcome.pauseChannelMs) gate.pause(outcome.pauseChannelMs);
      return store.retryLater(d.id, outcome.error, outcome.delayMs);
    }
    await store.markSent(d.id);
  }
}
