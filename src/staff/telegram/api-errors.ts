import { GrammyError, HttpError } from 'grammy';

/**
 * What a failed Bot API call means for the desk. Telegram tells a missing topic apart only by the description
 * (https://core.telegram.org/bots/api#making-requests: `description` is "human-readable"), so these match the
 * descriptions Telegram answers today.
 */
const THREAD_GONE = /message thread not found|TOPIC_DELETED|thread not found|TOPIC_ID_INVALID/i;
const TOPIC_CLOSED = /TOPIC_CLOSED/i;
const NOT_FORUM = /not a forum|CHAT_NOT_FORUM|topics? (?:are|is) not enabled/i;
const NOT_MODIFIED = /message is not modified|TOPIC_NOT_MODIFIED/i;
const MESSAGE_GONE = /message to edit not found|MESSAGE_ID_INVALID|message can't be edited/i;

const description = (err: unknown) => (err instanceof GrammyError ? err.description : '');

export const isThreadGone = (err: unknown) => THREAD_GONE.test(description(err));
export const isTopicClosed = (err: unknown) => TOPIC_CLOSED.test(description(err));
export const isNotForum = (err: unknown) => NOT_FORUM.test(description(err));
export const isNotModified = (err: unknown) => NOT_MODIFIED.test(description(err));
export const isMessageGone = (err: unknown) => MESSAGE_GONE.test(description(err));

/**
 * Worth retrying unchanged later: Telegram's rate limit (429, with retry_after), its server errors (5xx), or the
 * network (no answer at all). Anything else (a 4xx, or an error of ours) will not get better by itself.
 */
export function transience(err: unknown): { transient: boolean; retryAfterSeconds?: number } {
  if (err instanceof HttpError) return { transient: true };
  if (err instanceof GrammyError) {
    if (err.error_code === 429) return { transient: true, ...(err.parameters.retry_after ? { retryAfterSeconds: err.parameters.retry_after } : {}) };
    return { transient: err.error_code >= 500 };
  }
  return { transient: false };
}
