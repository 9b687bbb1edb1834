import { COMMANDS } from '../../domain/commands.ts';
import { z } from 'zod';
import { cleanText } from '../clean-text.ts';
import { INBOUND_TEXT_MAX, InboundEventSchema, type InboundEvent } from '../types.ts';

/**
 * The Zalo Bot Platform update object (ZALO.md §1.5) and its translation into an `InboundEvent`.
 *
 * Lenient where the sources disagree: ids and dates as strings or numbers, `photo` or `photo_url`, dates in ms or
 * seconds, webhook bodies wrapped in `{ok:true, result}` or not, unknown extra fields kept.
 */

/**
 * Zalo ids are opaque 20-hex strings; accept numbers too and keep them as strings. They are stored (chat id, update
 * key), so they are cleaned like texts: an id that is nothing but junk becomes '' and the update is malformed (400).
 */
const IdSchema = z.union([z.string().min(1).max(200), z.number().int().nonnegative()]).transform((id) => cleanText(String(id)));

export const ZaloSenderSchema = z.looseObject({
  id: IdSchema,
  display_name: z.string().optional(),
  name: z.string().optional(),
  is_bot: z.boolean().optional(),
  avatar: z.string().optional(),
});

export const ZaloChatSchema = z.looseObject({
  id: IdSchema,
  /** 'PRIVATE' | 'GROUP' (groups are beta); kept open. */
  chat_type: z.string().optional(),
});

export const ZaloMessageSchema = z.looseObject({
  message_id: IdSchema.optional(),
  /** Epoch ms in the docs and real payloads; some code accepts seconds. */
  date: z.union([z.number(), z.string()]).optional(),
  from: ZaloSenderSchema.optional(),
  chat: ZaloChatSchema.optional(),
  text: z.string().optional(),
  /** The docs say `photo`; real payloads carry `photo_url`. */
  photo: z.unknown().optional(),
  photo_url: z.string().optional(),
  caption: z.string().optional(),
  message_type: z.string().optional(),
  sticker: z.string().optional(),
  url: z.string().optional(),
  voice_url: z.string().optional(),
});

export const ZaloUpdateSchema = z.looseObject({
  event_name: z.string().min(1).max(200),
  message: ZaloMessageSchema.optional(),
});
export type ZaloUpdate = z.infer<typeof ZaloUpdateSchema>;
export type ZaloMessage = z.infer<typeof ZaloMessageSchema>;

/** The body does not follow the update schema (the webhook answers 400; polling logs and skips it). */
export class ZaloUpdateError extends Error {
  override name = 'ZaloUpdateError';
}

/** The commands the engine knows, without the slash. Only recognised with a leading slash. */
export const ZALO_COMMANDS = COMMANDS;

/** Message events: `message.text.received`, `message.image.received`, …, and later ones of the same shape. */
const MESSAGE_EVENT = /^message\.[a-z_]+\.received$/;

/**
 * The update inside a webhook body or a getUpdates result. The docs show `{ok:true, result:{…}}`; captured payloads
 * and OpenClaw's code say Zalo sends `{event_name, message}` unwrapped. Both are accepted.
 */
export function unwrapZaloBody(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true && 'result' in body) {
    return (body as { result: unknown }).result;
  }
  return body;
}

/**
 * A Zalo update as an `InboundEvent`:
 * - text → kind 'text' (a number answering offered choices stays text: the engine maps "1", "2" to choices);
 * - "/start", "/help", "/menu", "/lienhe" (also "/liên hệ"-style accents, any case) → kind 'command';
 * - image, sticker, voice, "unsupported" (protected-group senders, no content), and any later `message.*.received`
 *   without text → kind 'unsupported', so the engine can answer that only text is read;
 * - an empty body, `{}` or `{ok:true, result:{}}` (a polling edge case and the empty probe), or an event that is not
 *   a message (non-message event names) → null: acknowledge and ignore;
 * - anything else that does not fit → throws `ZaloUpdateError`.
 */
export function parseZaloUpdate(body: unknown, now: Date = new Date()): InboundEvent | null {
  const raw = unwrapZaloBody(body);
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ZaloUpdateError('Zalo update is not an object');
  if (Object.keys(raw).length === 0) return null;

  const parsed = ZaloUpdateSchema.safeParse(raw);
  if (!parsed.success) throw new ZaloUpdateError(`Zalo update does not match the schema: ${describeIssues(parsed.error)}`);
  const u = parsed.data;
  if (!MESSAGE_EVENT.test(u.event_name)) return null;

  const m = u.message;
  if (!m) throw new ZaloUpdateError(`${u.event_name} without a message`);
  // Reply to chat.id; in private chats chat.id === from.id.
  const chatId = m.chat?.id || m.from?.id;
  if (!chatId) throw new ZaloUpdateError(`${u.event_name} without chat.id or from.id`);
  if (!m.message_id) throw new ZaloUpdateError(`${u.event_name} without message_id`);
  if (u.event_name === 'message.text.received' && typeof m.text !== 'string') {
    throw new ZaloUpdateError('message.text.received without text');
  }

  const sent = dateOf(m.date);
  const base = {
    channel: 'zalo' as const,
    updateKey: `${u.event_name}:${m.message_id}`,
    // Zalo gives no update counter (no update_id, no offset); the message's time, in ms, is its own order.
    ...(sent ? { sequence: sent.getTime() } : {}),
    chatId,
    userId: m.from?.id || null,
    receivedAt: sent ?? now,
  };
  const event = classify(u.event_name, m, base);
  const checked = InboundEventSchema.safeParse(event);
  if (!checked.success) throw new ZaloUpdateError(`Zalo update gives an invalid event: ${describeIssues(checked.error)}`);
  return checked.data;
}

type Base = Pick<InboundEvent, 'channel' | 'updateKey' | 'sequence' | 'chatId' | 'userId' | 'receivedAt'>;

function classify(eventName: string, m: ZaloMessage, base: Base): InboundEvent {
  // Decide on the fields present, not only on event_name (ZALO.md §1.5): media first, then text.
  const media = m.voice_url ?? m.photo_url ?? m.photo ?? m.sticker;
  // Cleaned before anything reads it (NUL, lone surrogates, zero-width and bidi junk out; NFC): a text with nothing
  // readable left is handled like a sticker.
  const text = typeof m.text === 'string' ? cleanText(m.text, INBOUND_TEXT_MAX) : undefined;
  if (media !== undefined || eventName !== 'message.text.received' || !text?.trim()) {
    return { ...base, kind: 'unsupported' };
  }
  const command = commandOf(text);
  return command ? { ...base, kind: 'command', command, text } : { ...base, kind: 'text', text };
}

/** "/start", "/Help", "/menu@bot", "/lienhe …", "/liênhệ" → the command; anything else → undefined. */
export function commandOf(text: string): string | undefined {
  const m = /^\s*\/(\S+)/.exec(text);
  if (!m?.[1]) return undefined;
  const word = m[1]
    .replace(/@.*$/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
  return (ZALO_COMMANDS as readonly string[]).includes(word) ? word : undefined;
}

function dateOf(d: number | string | undefined): Date | undefined {
  if (d === undefined || d === '') return undefined;
  const n = Number(d);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const ms = n < 1e12 ? n * 1000 : n; // seconds (OpenClaw accepts them) or ms (docs, real payloads)
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
