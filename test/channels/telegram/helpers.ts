import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { AcceptResult, EventSink, InboundEvent } from '../../../src/channels/types.ts';

/** Records accepted events; dedupes by updateKey like the engine; `failNext(n)` makes the next n calls throw. */
export class RecordingSink implements EventSink {
  readonly events: InboundEvent[] = [];
  /** Every call, failed ones included. */
  readonly attempts: InboundEvent[] = [];
  private failures = 0;
  /** update keys whose next accept throws (once per entry). */
  readonly failKeys = new Set<string>();
  private readonly seen = new Set<string>();

  failNext(n = 1): void {
    this.failures += n;
  }

  async accept(event: InboundEvent): Promise<AcceptResult> {
    this.attempts.push(event);
    if (this.failKeys.delete(event.updateKey)) throw new Error('database unavailable');
    if (this.failures > 0) {
      this.failures--;
      throw new Error('database unavailable');
    }
    if (this.seen.has(event.updateKey)) return 'duplicate';
    this.seen.add(event.updateKey);
    this.events.push(event);
    return 'accepted';
  }
}

/** A pino logger writing JSON lines into `lines`, so tests can look for the token in everything logged. */
export function captureLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = pino({ level: 'trace' }, stream);
  return { logger, lines, text: () => lines.join('') };
}
