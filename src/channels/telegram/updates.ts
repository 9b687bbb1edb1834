import { type Command, COMMANDS } from '../../domain/commands.ts';
import type { Context, MiddlewareFn } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { Logger } from 'pino';
import { cleanText } from '../clean-text.ts';
import { type EventSink, INBOUND_CHOICE_MAX, INBOUND_TEXT_MAX, type InboundEvent } from '../types.ts';
import { safeErr } from './errors.ts';

/** The commands the engine understands, without the slash. Any other /word arrives as plain text. */
export const TELEGRAM_COMMANDS = COMMANDS;
export type TelegramCommand = Command;

/** The update types the adapter reads; passed as `allowed_updates` to getUpdates and setWebhook. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * Message fields that carry something a citizen sent but we cannot read (→ 'unsupported'). Service messages
 * (members joining, pinned messages, chat title changes…) are not in the list: they are ignored, not answered.
 */
const UNSUPPORTED_CONTENT = [
  'sticker',
  'photo',
  'voice',
  'audio',
  'video',
  'video_note',
  'animation',
  'document',
  'paid_media',
  'story',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
  'game',
  'checklist',
] as const;

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)/;

export interface ToInboundOptions {
  /** The bot's own username: a command addressed to another bot (`/start@other_bot`, in a group) is ignored. */
  botUsername?: string;
  now?: () => Date;
}

/**
 * One Telegram update → one `InboundEvent`, or null when the update is not for the engine (edited messages,
 * channel posts, service messages, callback queries without data or without a chat…). Pure; never throws for
 * any object that has an `update_id`.
 *
 * Texts, captions and button data are cleaned (`cleanText`: no NUL, lone surrogate, zero-width or bidi junk, NFC)
 * before anything reads them; a text with nothing readable left is handled like a sticker ('unsupported'), button
 * data with nothing left like a button without data. The update_id is the event's `sequence`: Telegram numbers
 * updates in the order they happened, while its webhooks arrive concurrently.
 */
export function toInboundEvent(update: Update, o: ToInboundOptions = {}): InboundEvent | null {
  const receivedAt = (o.now ?? (() => new Date()))();
  const updateKey = String(update.update_id);
  const sequence = update.update_id;

  if (update.message) {
    const m = update.message;
    const base = { channel: 'telegram' as const, updateKey, sequence, chatId: String(m.chat.id), userId: m.from ? String(m.from.id) : null, receivedAt };
    if (typeof m.text === 'string') {
      const text = cleanText(m.text, INBOUND_TEXT_MAX);
      if (!text.trim()) return { ...base, kind: 'unsupported' };
      const cmd = COMMAND.exec(text);
      if (cmd) {
        const name = cmd[1]!.toLowerCase();
        const addressee = cmd[2];
        if (addressee && o.botUsername && addressee.toLowerCase() !== o.botUsername.toLowerCase()) return null;
        if ((TELEGRAM_COMMANDS as readonly string[]).includes(name)) {
          const args = text.slice(cmd[0].length).trim();
          return { ...base, kind: 'command', command: name, ...(args ? { text: args } : {}) };
        }
        // An unknown command is text, without the @botname so the engine sees what the citizen meant.
        return { ...base, kind: 'text', text: addressee ? `/${cmd[1]}${text.slice(cmd[0].length)}` : text };
      }
      return { ...base, kind: 'text', text };
    }
    if (hasUnsupportedContent(m)) {
      const caption = typeof m.caption === 'string' ? cleanText(m.caption, INBOUND_TEXT_MAX) : '';
      return { ...base, kind: 'unsupported', ...(caption.trim() ? { text: caption } : {}) };
    }
    return null;
  }

  if (update.callback_query) {
    const q = update.callback_query;
    // No data: a game button. No message: a button under an inline-mode message, in a chat we cannot write to.
    const choice = typeof q.data === 'string' ? cleanText(q.data, INBOUND_CHOICE_MAX) : '';
    if (choice === '' || !q.message) return null;
    return {
      channel: 'telegram',
      updateKey,
      sequence,
      chatId: String(q.message.chat.id),
      userId: String(q.from.id),
      kind: 'choice',
      choice,
      receivedAt,
    };
  }

  return null;
}

function hasUnsupportedContent(m: Message): boolean {
  const fields = m as unknown as Record<string, unknown>;
  return UNSUPPORTED_CONTENT.some((k) => fields[k] !== undefined);
}

export interface UpdateHandlerDeps {
  sink: EventSink;
  logger: Logger;
  /** Removed from every log line. */
  token: string;
  /**
   * Answers a callback query (best effort, so the button stops spinning). Default: `ctx.answerCallbackQuery()`.
   * The channel passes an API without auto-retry, so a rate limit cannot hold up the update.
   */
  answerCallbackQuery?: (ctx: Context, id: string) => Promise<unknown>;
  /**
   * The staff group (TELEGRAM_STAFF_CHAT_ID): its messages and button presses go to the staff desk, never to the
   * conversation engine. Staff are not citizens: the engine would answer their chatter with procedure answers and
   * store it as a citizen's conversation, and a staff button would be read as a citizen's choice. The desk answers
   * its own button presses.
   */
  staff?: { chatId: string; handleUpdate(update: Update): Promise<void> };
}

/**
 * The grammY middleware: update → `await sink.accept(event)`. An `accept` that throws is not caught: the error
 * propagates out of `bot.handleUpdate`, so the webhook answers 5xx and the polling loop retries the same update.
 * Callback queries are answered after `accept` resolved (also for a duplicate, i.e. a redelivery), and also when
 * they are ignored; a failed answer is logged, never thrown (the update is stored by then).
 */
export function createUpdateHandler(deps: UpdateHandlerDeps): MiddlewareFn<Context> {
  const answer = deps.answerCallbackQuery ?? ((ctx: Context) => ctx.answerCallbackQuery());
  return async (ctx) => {
    const update = ctx.update;
    if (deps.staff && chatIdOf(update) === deps.staff.chatId) return deps.staff.handleUpdate(update);
    const event = toInboundEvent(update, { botUsername: ctx.me?.username });
    if (event) {
      const result = await deps.sink.accept(event);
      deps.logger.debug({ updateKey: event.updateKey, kind: event.kind, result }, 'Telegram update accepted');
    } else {
      deps.logger.debug({ updateId: update.update_id, types: Object.keys(update).filter((k) => k !== 'update_id') }, 'Telegram update ignored');
    }
    const q = update.callback_query;
    if (q) {
      try {
        await answer(ctx, q.id);
      } catch (err) {
        deps.logger.warn({ err: safeErr(err, deps.token), updateId: update.update_id }, 'Telegram: answerCallbackQuery failed');
      }
    }
  };
}

function chatIdOf(update: Update): string | null {
  const chat = update.message?.chat ?? update.callback_query?.message?.chat;
  return chat ? String(chat.id) : null;
}
