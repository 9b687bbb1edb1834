import { GrammyError, type Api, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { safeErr } from './errors.ts';
import { ALLOWED_UPDATES } from './updates.ts';

/** grammY types signals with the abort-controller shim; the native AbortSignal works at runtime (node-fetch 2). */
type GrammySignal = Parameters<Api['getUpdates']>[1];
const asGrammy = (s: AbortSignal) => s as unknown as GrammySignal;

export interface TelegramPollingOptions {
  bot: Bot;
  logger: Logger;
  token: string;
  /** Long-poll timeout in seconds (default 30). */
  timeoutSeconds?: number;
  /** Back-off after a failed getUpdates or a failed update: doubles from `minRetryDelayMs` to `maxRetryDelayMs` (1 s → 30 s). */
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/**
 * Our own getUpdates loop, instead of `bot.start()`.
 *
 * Why: grammY's built-in polling sets `lastTriedUpdateId` before it runs the middleware and computes the next
 * offset from it. When the middleware throws, `bot.catch` (if set) logs and the loop moves on, so the next
 * getUpdates confirms the failed update to Telegram and it is gone; without `bot.catch`, the default handler calls
 * `bot.stop()`, which itself sends getUpdates with offset = failed id + 1 (confirming it) before rethrowing. Either
 * way an update whose `sink.accept` failed is lost.
 *
 * Here the offset only moves past an update once `bot.handleUpdate` resolved, i.e. once `accept` stored it. When it
 * throws, the rest of the batch is dropped (not confirmed), the loop waits (back-off) and asks Telegram again from
 * that update: it is redelivered, followed by the ones after it, so the sink sees updates one at a time and in
 * order. It is retried until it succeeds (`accept` failing means storage is down; every later update would fail
 * too); each failure is logged at error level with the update id.
 *
 * `stop()` aborts the pending long poll and any back-off at once, lets an update being handled finish, then
 * confirms the handled updates to Telegram (best effort, 2 s) so a restart does not redeliver them (a redelivery
 * would be harmless anyway: the sink dedupes by update_id).
 */
export class TelegramPolling {
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  /** Next update_id to ask for; everything below has been accepted. */
  private offset = 0;
  private confirmedOffset = 0;
  private readonly timeoutSeconds: number;
  private readonly minMs: number;
  private readonly maxMs: number;

  constructor(private readonly o: TelegramPollingOptions) {
    this.timeoutSeconds = o.timeoutSeconds ?? 30;
    this.minMs = o.minRetryDelayMs ?? 1_000;
    this.maxMs = o.maxRetryDelayMs ?? 30_000;
  }

  get running(): boolean {
    return this.loop !== null;
  }

  /** Starts the loop in the background and returns at once. */
  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal).catch((err: unknown) => {
      this.o.logger.error({ err: safeErr(err, this.o.token) }, 'Telegram polling loop crashed');
    });
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.abort?.abort();
    await loop;
    this.loop = null;
    this.abort = null;
    if (this.offset > this.confirmedOffset) {
      try {
        await this.o.bot.api.getUpdates({ offset: this.offset, limit: 1, timeout: 0 }, asGrammy(AbortSignal.timeout(2_000)));
        this.confirmedOffset = this.offset;
      } catch (err) {
        this.o.logger.debug({ err: safeErr(err, this.o.token) }, 'Telegram: could not confirm the last updates on stop');
      }
    }
    this.o.logger.info('Telegram polling stopped');
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { bot, logger } = this.o;
    let failures = 0;
    const backoff = async (what: string, err: unknown, level: 'warn' | 'error', extra: object = {}) => {
      failures++;
      const delayMs = Math.min(this.maxMs, this.minMs * 2 ** Math.min(failures - 1, 20));
      logger[level]({ err: safeErr(err, this.o.token), attempt: failures, retryInMs: delayMs, ...extra }, `Telegram polling: ${what} failed`);
      await sleep(delayMs, signal);
    };

    // getMe (unless botInfo was given) and deleteWebhook: getUpdates answers 409 while a webhook is set.
    while (!signal.aborted) {
      try {
        await bot.init(asGrammy(signal));
        await bot.api.deleteWebhook({ drop_pending_updates: false }, asGrammy(signal));
        failures = 0;
        break;
      } catch (err) {
        if (signal.aborted) return;
        if (isUnauthorized(err)) return logger.error('Telegram polling: the bot token was rejected (401); polling not started');
        await backoff('start-up', err, 'warn');
      }
    }
    if (!signal.aborted) logger.info({ username: bot.botInfo.username }, 'Telegram polling started');

    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset: this.offset, timeout: this.timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
          asGrammy(signal),
        );
        this.confirmedOffset = this.offset;
      } catch (err) {
        if (signal.aborted) return;
        if (isUnauthorized(err)) return logger.error('Telegram polling: the bot token was rejected (401); polling stopped');
        // 409: a webhook was set or another instance polls with the same token.
        await backoff('getUpdates', err, 'warn');
        continue;
      }
      failures = 0;
      for (const update of updates) {
        if (signal.aborted) return;
        if (update.update_id < this.offset) continue;
        try {
          await bot.handleUpdate(update);
          this.offset = update.update_id + 1;
          failures = 0;
        } catch (err) {
          // Not confirmed: the next getUpdates starts from this update again.
          await backoff('update', errorOf(err), 'error', { updateId: update.update_id });
          break;
        }
      }
    }
  }
}

function isUnauthorized(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 401;
}

/** grammY wraps middleware errors in a BotError whose `error` is what the middleware threw. */
function errorOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'error' in err ? (err as { error: unknown }).error : err;
}

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
