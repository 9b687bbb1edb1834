import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sendError, codeOfFastifyError } from '../../server/errors.ts';
import { servePage } from '../../server/pages.ts';
import type { ReplyMessage } from '../../domain/types.ts';
import { COMMANDS } from '../../domain/commands.ts';
import { cleanText } from '../clean-text.ts';
import type { InboundEvent } from '../types.ts';
import { registerWebUpdates, type WebUpdatesSource } from './updates.ts';

/**
 * The web chat for the commune's site: `GET /` serves a single self-contained page (page.html beside this module:
 * inline CSS and JS, no external resources), `POST /api/chat` takes one citizen message and answers with the
 * assistant's replies in the same response. The page keeps a conversation id in localStorage and sends a fresh
 * message id with every message (the same one again on a retry), which becomes the event's `updateKey`, so the
 * engine's exactly-once handling sees a retried POST as a duplicate, and a counter per conversation (`seq`, the
 * same on a retry), which becomes the event's `sequence`, so the engine answers the page's messages in the order
 * the page sent them. Text and choice are cleaned (`cleanText`) as they are read; nothing readable left is the
 * empty-text (or bad-choice) 400.
 */

export interface WebChatDeps {
  converse: (event: InboundEvent) => Promise<ReplyMessage[]>;
  logger: Logger;
  /** Staff and system messages and the handover state for `GET /api/chat/updates` (updates.ts); without it the page gets no updates. */
  updates?: WebUpdatesSource;
}

/** Larger than any valid request (4,000 UTF-16 units are at most 12 KB of UTF-8 plus the JSON around them). */
export const WEB_CHAT_BODY_LIMIT = 16 * 1024;
export const WEB_CHAT_MAX_TEXT = 4000;
export const WEB_CHAT_MAX_CHOICE = 200;

const Id = z
  .string()
  .min(8)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/);

export const ChatRequestSchema = z.object({
  conversationId: Id,
  messageId: Id.optional(),
  /** The page's own counter of messages in this conversation (1, 2, 3, …), kept on a retry. */
  seq: z.number().int().nonnegative().optional(),
  text: z.string().max(WEB_CHAT_MAX_TEXT).transform((t) => cleanText(t)).optional(),
  choice: z.string().min(1).max(WEB_CHAT_MAX_CHOICE).transform((c) => cleanText(c)).optional(),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export const WEB_CHAT_MESSAGES = {
  invalid: 'Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại.',
  badConversation: 'Mã cuộc trò chuyện không hợp lệ. Vui lòng tải lại trang.',
  oneOf: 'Vui lòng nhập câu hỏi hoặc chọn một mục (chỉ một trong hai).',
  emptyText: 'Vui lòng nhập câu hỏi.',
  textTooLong: `Câu hỏi quá dài (tối đa ${WEB_CHAT_MAX_TEXT} ký tự). Vui lòng rút gọn.`,
  badChoice: 'Lựa chọn không hợp lệ. Vui lòng chọn lại.',
  tooLarge: 'Tin nhắn quá dài. Vui lòng rút gọn câu hỏi.',
  badJson: 'Dữ liệu gửi lên không đúng định dạng. Vui lòng tải lại trang và thử lại.',
  badContentType: 'Dữ liệu gửi lên phải ở dạng JSON.',
  busy: 'Hệ thống đang bận, vui lòng thử lại sau ít phút.',
  tooFast: 'Bạn đang gửi quá nhanh. Vui lòng chờ một phút rồi gửi tiếp.',
} as const;

/**
 * Requests per minute from one address to the chat (when the rate limiter is registered, as in the product): well
 * above what people behind one carrier address type, low enough that rotating conversation ids does not let one
 * client flood the assistant. Each conversation is also slowed down by the engine.
 */
export const WEB_CHAT_RATE_LIMIT = { rateLimit: { max: 120, timeWindow: '1 minute' } };

const COMMAND = new RegExp(`^/(${COMMANDS.join('|')})(?:@\\w+)?(?=\\s|$)`, 'i');

/** The event handed to the engine for one validated request. */
export function toInboundEvent(req: ChatRequest, now: Date = new Date()): InboundEvent {
  const base = {
    channel: 'web' as const,
    updateKey: req.messageId ?? randomUUID(),
    ...(req.seq !== undefined ? { sequence: req.seq } : {}),
    chatId: req.conversationId,
    userId: null,
    receivedAt: now,
  };
  if (req.choice !== undefined) return { ...base, kind: 'choice', choice: req.choice };
  const text = (req.text ?? '').trim();
  const command = COMMAND.exec(text)?.[1]?.toLowerCase();
  if (command) return { ...base, kind: 'command', command, text };
  return { ...base, kind: 'text', text };
}

/** Validates a request body: the request, or the Vietnamese message for a 400. */
export function parseChatRequest(body: unknown): { ok: true; value: ChatRequest } | { ok: false; error: string } {
  const r = ChatRequestSchema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues[0];
    const field = first?.path[0];
    if (field === 'conversationId' || field === 'messageId') return { ok: false, error: WEB_CHAT_MESSAGES.badConversation };
    if (field === 'text') return { ok: false, error: first?.code === 'too_big' ? WEB_CHAT_MESSAGES.textTooLong : WEB_CHAT_MESSAGES.invalid };
    if (field === 'choice') return { ok: false, error: WEB_CHAT_MESSAGES.badChoice };
    return { ok: false, error: WEB_CHAT_MESSAGES.invalid };
  }
  const { text, choice } = r.data;
  if ((text === undefined) === (choice === undefined)) return { ok: false, error: WEB_CHAT_MESSAGES.oneOf };
  if (text !== undefined && text.trim() === '') return { ok: false, error: WEB_CHAT_MESSAGES.emptyText };
  if (choice === '') return { ok: false, error: WEB_CHAT_MESSAGES.badChoice };
  return { ok: true, value: r.data };
}

export function registerWebChat(app: FastifyInstance, deps: WebChatDeps): void {
  const log = deps.logger;
  servePage(app, '/', readFileSync(new URL('./page.html', import.meta.url), 'utf8'));

  app.post(
    '/api/chat',
    {
      bodyLimit: WEB_CHAT_BODY_LIMIT,
      config: WEB_CHAT_RATE_LIMIT,
      // Body-parsing failures (too large, malformed JSON, not JSON) answer in the one error shape, with the chat's wording.
      errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
        const code = codeOfFastifyError(error);
        const message =
          code === 'payload_too_large' ? WEB_CHAT_MESSAGES.tooLarge
          : code === 'unsupported_media_type' ? WEB_CHAT_MESSAGES.badContentType
          : code === 'malformed_json' || code === 'bad_request' ? WEB_CHAT_MESSAGES.badJson
          : code === 'too_many_requests' ? WEB_CHAT_MESSAGES.tooFast
          : WEB_CHAT_MESSAGES.busy;
        if (code === 'internal_error') log.error({ err: error, reqId: request.id }, 'web chat: request failed');
        else log.info({ code: error.code, status: error.statusCode, reqId: request.id }, 'web chat: request rejected');
        return sendError(reply.header('cache-control', 'no-store'), code === 'bad_request' ? 'malformed_json' : code, message);
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const parsed = parseChatRequest(request.body);
      if (!parsed.ok) return sendError(reply, 'bad_request', parsed.error);
      const event = toInboundEvent(parsed.value);
      let messages: ReplyMessage[];
      try {
        messages = await deps.converse(event);
      } catch (err) {
        // The citizen's text is not logged here: it may hold personal data.
        log.error({ err, chatId: event.chatId, updateKey: event.updateKey, kind: event.kind }, 'web chat: converse failed');
        return sendError(reply, 'unavailable', WEB_CHAT_MESSAGES.busy);
      }
      // the handover state after this message (a ticket just opened, or closed by "Quay lại trợ lý ảo"), so the
      // page's status line follows at once rather than at its next poll
      const handover = deps.updates ? await deps.updates.handover(`web:${event.chatId}`).catch(() => undefined) : undefined;
      return reply.send(handover ? { messages, handover } : { messages });
    },
  );

  if (deps.updates) registerWebUpdates(app, { source: deps.updates, logger: log });
}
