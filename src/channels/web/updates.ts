import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sendError } from '../../server/errors.ts';
import type { WebHandover, WebUpdate } from '../../storage/web-updates.ts';
import { conversationIdOf } from '../types.ts';
import { ChatRequestSchema, WEB_CHAT_MESSAGES } from './routes.ts';

/**
 * `GET /api/chat/updates`: what reaches the web citizen besides the answers to their own messages — staff replies
 * and system notices (queue position, "Cán bộ … đã nhận", the rating question when the ticket closes) — and the
 * open ticket's state, so the page can say "Đang chờ cán bộ…" or "Cán bộ Lan đang trả lời". The page sends the
 * last id it showed (`after`) and gets what came later; with `wait` it long-polls: the request re-checks every
 * `pollMs` until something new arrives, the wait ends, the client goes away or the server closes. No database
 * connection is held between checks.
 */

export interface WebUpdatesSource {
  messagesAfter(conversationId: string, after: number, limit: number): Promise<WebUpdate[]>;
  handover(conversationId: string): Promise<WebHandover>;
}

export interface WebUpdatesDeps {
  source: WebUpdatesSource;
  logger: Logger;
  /** How often a long poll re-checks (default 1 s). */
  pollMs?: number;
}

export const WEB_UPDATES_MAX_WAIT_S = 25;
/** Messages per response; the page asks again at once when it got a full page. */
export const WEB_UPDATES_LIMIT = 50;

export interface WebUpdatesQuery {
  /** The page's conversation id (the web chat id). */
  conversationId: string;
  after: number;
  wait: number;
}

export interface WebUpdatesResponse {
  ok: true;
  messages: WebUpdate[];
  handover: WebHandover;
  /** The last id returned, else `after`: the page sends it back as the next `after`. */
  cursor: number;
}

/** Digits only: the query string is text, and coercion would let "1e3", "" or "0x10" through. */
const whole = (maxDigits: number) => z.string().regex(new RegExp(`^\\d{1,${maxDigits}}$`)).transform(Number);

/** Validates the query string: the query, or the page's Vietnamese message for a 400. */
export function parseUpdatesQuery(query: unknown): { ok: true; value: WebUpdatesQuery } | { ok: false; error: string } {
  // Built here, not at import: routes.ts registers this route, so the two modules import each other.
  const schema = z.object({
    conversationId: ChatRequestSchema.shape.conversationId,
    after: whole(15).optional(),
    wait: whole(2).refine((n) => n <= WEB_UPDATES_MAX_WAIT_S).optional(),
  });
  const r = schema.safeParse(query);
  if (!r.success) {
    const field = r.error.issues[0]?.path[0];
    return { ok: false, error: field === 'conversationId' ? WEB_CHAT_MESSAGES.badConversation : WEB_CHAT_MESSAGES.invalid };
  }
  return { ok: true, value: { conversationId: r.data.conversationId, after: r.data.after ?? 0, wait: r.data.wait ?? 0 } };
}

const sameHandover = (a: WebHandover, b: WebHandover) => a.status === b.status && a.staffName === b.staffName;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export function registerWebUpdates(app: FastifyInstance, deps: WebUpdatesDeps): void {
  const { source, logger: log } = deps;
  const pollMs = deps.pollMs ?? 1000;
  // Long polls still waiting, so closing the server answers them at once instead of waiting up to 25 s.
  const waiting = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const c of waiting) c.abort();
  });

  async function check(conversationId: string, after: number): Promise<WebUpdatesResponse> {
    // The ticket first, then the messages: a close stores the ticket and the rating question together, so a
    // response that says no handover is open also holds the question (the other order could miss it).
    const handover = await source.handover(conversationId);
    const messages = await source.messagesAfter(conversationId, after, WEB_UPDATES_LIMIT);
    return { ok: true, messages, handover, cursor: messages.at(-1)?.id ?? after };
  }

  app.get('/api/chat/updates', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const parsed = parseUpdatesQuery(request.query);
    if (!parsed.ok) return sendError(reply, 'bad_request', parsed.error);
    const { after, wait } = parsed.value;
    const conversationId = conversationIdOf({ channel: 'web', chatId: parsed.value.conversationId });

    const stop = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) stop.abort();
    };
    reply.raw.on('close', onClose);
    waiting.add(stop);
    try {
      const first = await check(conversationId, after);
      let latest = first;
      const deadline = Date.now() + wait * 1000;
      while (!latest.messages.length && sameHandover(latest.handover, first.handover) && !stop.signal.aborted) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await pause(Math.min(pollMs, left), stop.signal);
        if (stop.signal.aborted) break;
        latest = await check(conversationId, after);
      }
      if (stop.signal.aborted && reply.raw.destroyed) {
        log.debug({ conversationId }, 'web updates: client gone, long poll stopped');
        // Nobody to answer: leave the response to Node, which has already closed it.
        return reply.hijack();
      }
      return reply.send(latest);
    } catch (err) {
      log.error({ err, conversationId }, 'web updates: check failed');
      return sendError(reply, 'unavailable', WEB_CHAT_MESSAGES.busy);
    } finally {
      waiting.delete(stop);
      reply.raw.off('close', onClose);
    }
  });
}
