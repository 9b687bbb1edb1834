import { z } from 'zod';
import { cleanText } from '../../channels/clean-text.ts';
import { EndStatusSchema } from '../../domain/staff.ts';
import type { TicketFilter } from '../../services/handover/types.ts';

/**
 * What the console's HTTP API accepts, read with zod at the edge: ticket ids in the path, the queue's filters,
 * and the bodies of claim, release, close and reply. A request that does not parse answers 400 in the one error
 * shape with the Vietnamese message named here.
 */

export const CONSOLE_MAX_REPLY = 4000;

export const CONSOLE_MESSAGES = {
  badTicketId: 'Mã yêu cầu không hợp lệ.',
  badFilter: 'Bộ lọc danh sách không hợp lệ.',
  badTarget: 'Người nhận không hợp lệ.',
  badEndStatus: 'Vui lòng chọn cách kết thúc yêu cầu.',
  badMessageId: 'Mã tin nhắn không hợp lệ. Vui lòng tải lại trang.',
  emptyReply: 'Vui lòng nhập nội dung trả lời.',
  replyTooLong: `Nội dung trả lời quá dài (tối đa ${CONSOLE_MAX_REPLY} ký tự).`,
  badAfter: 'Mã sự kiện không hợp lệ.',
} as const;

// Postgres bigserial ids fit in a JS number far beyond any commune's lifetime; 15 digits keeps them exact.
const DbId = z
  .string()
  .regex(/^[1-9]\d{0,14}$/)
  .transform(Number);

export const TicketParamsSchema = z.object({ id: DbId });

const Flag = z.enum(['0', '1']).transform((v) => v === '1');

export const TicketQuerySchema = z.object({
  status: z.enum(['open', 'waiting', 'with_staff', 'closed', 'all']).default('open'),
  mine: Flag.optional(),
  flagged: Flag.optional(),
});

/** Closed and all tickets grow without end: the console lists the most recent ones. */
const HISTORY_LIMIT = 200;

export function ticketFilter(q: z.infer<typeof TicketQuerySchema>, userId: number): TicketFilter {
  return {
    status: q.status,
    ...(q.mine ? { ownerId: userId } : {}),
    ...(q.flagged ? { flagged: true } : {}),
    ...(q.status === 'closed' || q.status === 'all' ? { limit: HISTORY_LIMIT } : {}),
  };
}

export const ReleaseBodySchema = z.object({ toUserId: z.number().int().positive().optional() }).default({});

export const CloseBodySchema = z.object({ endStatus: EndStatusSchema });

export const ReplyBodySchema = z.object({
  // The page's own id for the message, the same on a retry: it becomes the event's source key (stored once).
  messageId: z
    .string()
    .min(8)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
  text: z
    .string()
    .transform((t) => cleanText(t).trim())
    .pipe(z.string().min(1).max(CONSOLE_MAX_REPLY)),
});

/** `?after=` or, on a reconnect, the Last-Event-ID the browser sends (it wins: it is where the stream stopped). */
export const EventsCursorSchema = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})$/)
  .transform(Number);

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses `input`, or gives the message for the first problem (by the field it is in). */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, messages: Partial<Record<string, string>> & { default: string }): ParseResult<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  if (field === 'text' && issue?.code === 'too_big') return { ok: false, error: CONSOLE_MESSAGES.replyTooLong };
  return { ok: false, error: messages[field] ?? messages.default };
}
