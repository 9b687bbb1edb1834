import { GrammyError, HttpError } from 'grammy';

/**
 * Errors leaving the Telegram adapter, safe to log. grammY's errors are not: an `HttpError` carries the underlying
 * fetch error, whose message holds the request URL `…/bot<token>/<method>`, and a `GrammyError` carries the whole
 * payload (the citizen's chat id and the reply text). pino's `err` serializer copies nested errors and enumerable
 * fields, so either would end up in a log line. This keeps the method, Telegram's error code, description and
 * retry_after, with the token replaced everywhere.
 */
export class TelegramApiError extends Error {
  override readonly name = 'TelegramApiError';
  constructor(
    message: string,
    readonly method: string | undefined,
    /** Telegram's error_code (400, 403, 429, 5xx…); undefined for network errors. */
    readonly errorCode: number | undefined,
    readonly description: string | undefined,
    readonly retryAfter: number | undefined,
  ) {
    super(message);
  }
}

export function redact(text: string, token: string): string {
  return token ? text.split(token).join('<token>') : text;
}

/** Turns anything thrown by the Bot API client into a `TelegramApiError` without the token or the payload. */
export function toSafeError(err: unknown, token: string): TelegramApiError {
  if (err instanceof TelegramApiError) return err;
  if (err instanceof GrammyError) {
    return new TelegramApiError(
      redact(err.message, token),
      err.method,
      err.error_code,
      redact(err.description, token),
      err.parameters.retry_after,
    );
  }
  if (err instanceof HttpError) {
    const inner = err.error instanceof Error ? `: ${err.error.message}` : '';
    return new TelegramApiError(redact(`${err.message}${inner}`, token), methodOf(err.message), undefined, undefined, undefined);
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new TelegramApiError(redact(message, token), undefined, undefined, undefined, undefined);
}

/** A log-friendly summary of any error (the sink's included) with the token removed. */
export function safeErr(err: unknown, token: string): { type: string; message: string; code?: number } {
  const e = toSafeError(err, token);
  const original = err instanceof Error ? err.name : typeof err;
  return { type: original, message: e.message, ...(e.errorCode !== undefined ? { code: e.errorCode } : {}) };
}

function methodOf(message: string): string | undefined {
  return /'(\w+)'/.exec(message)?.[1];
}
