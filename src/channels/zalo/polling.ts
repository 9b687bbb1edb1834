import type { Logger } from 'pino';
import type { EventSink, InboundEvent } from '../types.ts';
import { ZaloNetworkError, type ZaloBotClient } from './client.ts';
import { sleep } from './sleep.ts';
import { parseZaloUpdate } from './updates.ts';

type PollingClient = Pick<ZaloBotClient, 'getUpdates'>;

export interface ZaloPollingOptions {
  client: PollingClient;
  sink: EventSink;
  logger: Logger;
  /** Long-poll timeout in seconds (default 30; Zalo answers 408 after it when nothing arrived). */
  pollTimeoutSec?: number;
  /** Back-off after a failed getUpdates or accept: doubles from `initialMs` up to `maxMs` (default 1 s → 30 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Run (and retried with back-off until it succeeds) before the first getUpdates, e.g. deleteWebhook. */
  prepare?: () => Promise<void>;
}

/**
 * The getUpdates loop. Zalo dequeues an update when it answers (no offset, no acknowledgement), so each update is
 * handed to `sink.accept` (which stores it) before anything else, and an `accept` failure is retried with back-off
 * on the same update, in memory, until it succeeds: the loop does not fetch the next one meanwhile, so updates reach
 * the sink one at a time and in order. Calls never overlap. `stop()` aborts the pending long poll and any back-off.
 *
 * What can still be lost, inherent to the protocol: an update Zalo dequeued into a response that `stop()` aborted,
 * and an update whose `accept` was still failing when `stop()` was called (logged at error level with its key).
 */
export class ZaloPolling {
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly timeoutSec: number;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(private readonly o: ZaloPollingOptions) {
    this.timeoutSec = o.pollTimeoutSec ?? 30;
    this.initialMs = o.backoff?.initialMs ?? 1_000;
    this.maxMs = o.backoff?.maxMs ?? 30_000;
  }

  get running(): boolean {
    return this.loop !== null;
  }

  /** Starts the loop; resolves once `prepare` has been tried once (the loop keeps retrying it if it failed). */
  async start(): Promise<void> {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    let firstTry!: () => void;
    const tried = new Promise<void>((resolve) => (firstTry = resolve));
    this.loop = this.run(abort.signal, firstTry).catch((e: unknown) => {
      this.o.logger.error({ err: e }, 'Zalo polling loop crashed');
    });
    await tried;
  }

  /** Ends the loop promptly and waits for it to finish. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = null;
    this.abort = null;
  }

  private async run(signal: AbortSignal, firstTry: () => void): Promise<void> {
    const log = this.o.logger;
    if (this.o.prepare) {
      let delay = this.initialMs;
      for (;;) {
        try {
          await this.o.prepare();
          break;
        } catch (e) {
          log.warn({ err: e, retryInMs: delay }, 'Zalo polling: preparation failed, retrying');
          firstTry();
          if (!(await sleep(delay, signal))) return;
          delay = Math.min(delay * 2, this.maxMs);
        }
      }
    }
    firstTry();
    log.info({ pollTimeoutSec: this.timeoutSec }, 'Zalo polling started');

    let delay = this.initialMs;
    while (!signal.aborted) {
      let updates: unknown[];
      try {
        updates = await this.o.client.getUpdates({ timeout: this.timeoutSec, signal });
        delay = this.initialMs;
      } catch (e) {
        if (signal.aborted || (e instanceof ZaloNetworkError && e.aborted)) break;
        log.warn({ err: e, retryInMs: delay }, 'Zalo getUpdates failed, backing off');
        if (!(await sleep(delay, signal))) break;
        delay = Math.min(delay * 2, this.maxMs);
        continue;
      }
      for (const raw of updates) {
        let event: InboundEvent | null;
        try {
          event = parseZaloUpdate(raw);
        } catch (e) {
          // Retrying cannot fix a malformed update; say so without logging its content (personal data).
          log.warn({ err: e }, 'Zalo polling: malformed update skipped');
          continue;
        }
        if (!event) {
          log.debug('Zalo polling: update of an unhandled type ignored');
          continue;
        }
        await this.deliver(event, signal);
      }
    }
    log.info('Zalo polling stopped');
  }

  /** `accept` until it succeeds; never drops the update while the loop runs. */
  private async deliver(event: InboundEvent, signal: AbortSignal): Promise<void> {
    let delay = this.initialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.o.sink.accept(event);
        if (attempt > 1) this.o.logger.info({ updateKey: event.updateKey, attempt }, 'Zalo update accepted after retry');
        if (result === 'duplicate') this.o.logger.debug({ updateKey: event.updateKey }, 'Zalo update already seen');
        return;
      } catch (e) {
        if (signal.aborted) {
          this.o.logger.error({ err: e, updateKey: event.updateKey, chatId: event.chatId }, 'Zalo update lost: could not store it before stop');
          return;
        }
        this.o.logger.error({ err: e, updateKey: event.updateKey, attempt, retryInMs: delay }, 'Zalo update not stored, retrying');
        if (!(await sleep(delay, signal))) {
          this.o.logger.error({ updateKey: event.updateKey, chatId: event.chatId }, 'Zalo update lost: could not store it before stop');
          return;
        }
        delay = Math.min(delay * 2, this.maxMs);
      }
    }
  }
}
