import pino, { type Logger } from 'pino';

/** Logs go to stderr as JSON lines, so command output on stdout stays machine-readable. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
export type { Logger };
