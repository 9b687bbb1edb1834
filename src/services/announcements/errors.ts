import { TelegramApiError } from '../../channels/telegram/errors.ts';
import { ZaloApiError, ZaloNetworkError } from '../../channels/zalo/client.ts';

/** What to do with a delivery whose send threw. */
export type SendOutcome =
  | { kind: 'retry'; delayMs: number; pauseChannelMs?: number; error: string }
  | { kind: 'blocked'; error: string }
  | { kind: 'failed'; error: string };

export interface RetryPolicy {
  /** Zalo documents 429 "Quota exceeded" without a retry_after (ZALO.md §1.4): wait this long. */
  zaloQuotaBackoffMs: number;
  /** Backoff for network errors and 5xx: base × 2^(attempts−1), capped at `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { zaloQuotaBackoffMs: 60_000, baseBackoffMs: 1_000, maxBackoffMs: 60_000 };

const TELEGRAM_BLOCKED = /blocked by the user|user is deactivated|bot was kicked|not a member/i;

/**
 * Telegram: 429 → again after `retry_after` (the whole channel waits too); 403 "bot was blocked by the user" (or a
 * deactivated user) → blocked; other 4xx → failed; network and 5xx → backoff. Zalo: 429 "Quota exceeded" → its
 * own wait (no retry_after); 400/401/404 → failed; its 403 is documented as "Internal server error" (sic) and no
 * "blocked" code is documented, so it is retried like a 5xx; network → backoff.
 */
export function classifySendError(err: unknown, attempts: number, policy: RetryPolicy = DEFAULT_RETRY): SendOutcome {
  const backoff = Math.min(policy.baseBackoffMs * 2 ** Math.max(attempts - 1, 0), policy.maxBackoffMs);
  if (err instanceof TelegramApiError) {
    const error = `telegram ${err.errorCode ?? 'network'}: ${err.description ?? err.message}`;
    if (err.errorCode === 429) {
      const ms = Math.max(1, err.retryAfter ?? 1) * 1000;
      return { kind: 'retry', delayMs: ms, pauseChannelMs: ms, error };
    }
    if (err.errorCode === 403) return TELEGRAM_BLOCKED.test(err.description ?? '') ? { kind: 'blocked', error } : { kind: 'failed', error };
    if (err.errorCode !== undefined && err.errorCode >= 400 && err.errorCode < 500) return { kind: 'failed', error };
    return { kind: 'retry', delayMs: backoff, error };
  }
  if (err instanceof ZaloApiError) {
    const error = `zalo ${err.errorCode}: ${err.description}`;
    if (err.errorCode === 429) return { kind: 'retry', delayMs: policy.zaloQuotaBackoffMs, pauseChannelMs: policy.zaloQuotaBackoffMs, error };
    if ([400, 401, 404].includes(err.errorCode)) return { kind: 'failed', error };
    return { kind: 'retry', delayMs: backoff, error };
  }
  if (err instanceof ZaloNetworkError) return { kind: 'retry', delayMs: backoff, error: `zalo network ${err.code}` };
  return { kind: 'retry', delayMs: backoff, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}
