import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Choice, ReplyMessage } from '../../domain/types.ts';
import { splitText } from '../split-text.ts';

/** Bot API limits (https://core.telegram.org/bots/api): message text, photo caption, callback_data bytes. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;
export const TELEGRAM_CALLBACK_DATA_MAX_BYTES = 64;
/** Telegram refuses keyboards with more than 100 buttons. */
export const TELEGRAM_MAX_BUTTONS = 100;
/** Sent when a message has buttons but no text, since a keyboard needs a message to hang on. */
export const KEYBOARD_ONLY_TEXT = 'Mời bạn chọn:';

export type PhotoSource = { kind: 'url'; url: string } | { kind: 'bytes'; data: Uint8Array; filename: string };

export type TelegramOp =
  | { method: 'sendMessage'; text: string; reply_markup?: InlineKeyboardMarkup }
  | { method: 'sendPhoto'; photo: PhotoSource; caption?: string; reply_markup?: InlineKeyboardMarkup };

export interface RenderResult {
  /** The calls to make, in order. Plain text only: no parse_mode, so record text can never break Markdown/HTML. */
  ops: TelegramOp[];
  /** What could not be rendered, for a warning in the log (never the text itself). */
  problems: string[];
}

/**
 * A `ReplyMessage` → Telegram calls: the text split at 4,096 characters (paragraph, line or sentence boundaries),
 * the image as a photo with its alt text as caption, sent after the text; choices as an inline keyboard, one button
 * per row (callback_data = choice id), and the link as a URL button under them. The keyboard goes on the last
 * message sent, so the buttons sit at the bottom of the conversation.
 */
export function renderReply(message: ReplyMessage): RenderResult {
  const problems: string[] = [];
  let text = message.text;
  let linkButton: InlineKeyboardButton | null = null;
  if (message.link) {
    if (/^https?:\/\//i.test(message.link.url)) {
      linkButton = { text: message.link.label.trim() || message.link.url, url: message.link.url };
    } else {
      // Telegram only takes http(s) and tg:// URLs in buttons; anything else goes in the text.
      text = `${text}\n\n${message.link.label ? `${message.link.label}: ` : ''}${message.link.url}`;
    }
  }
  const buttons: InlineKeyboardButton[][] = [];
  const room = TELEGRAM_MAX_BUTTONS - (linkButton ? 1 : 0);
  for (const choice of message.choices ?? []) {
    if (!fitsCallbackData(choice)) {
      problems.push(`choice dropped: id is ${byteLength(choice.id)} bytes, callback_data allows ${TELEGRAM_CALLBACK_DATA_MAX_BYTES}`);
      continue;
    }
    if (buttons.length === room) {
      problems.push(`choice dropped: Telegram allows ${TELEGRAM_MAX_BUTTONS} buttons`);
      continue;
    }
    buttons.push([{ text: choice.label, callback_data: choice.id }]);
  }
  if (linkButton) buttons.push([linkButton]);

  const photo = message.image ? photoSource(message.image.url) : null;
  if (message.image && !photo) problems.push('image dropped: neither an http(s) URL nor a base64 data: URL');

  const parts = splitText(text, TELEGRAM_TEXT_LIMIT);
  if (parts.length === 0 && !photo && buttons.length > 0) parts.push(KEYBOARD_ONLY_TEXT);

  const ops: TelegramOp[] = parts.map((t) => ({ method: 'sendMessage', text: t }));
  if (photo) {
    const caption = truncate(message.image!.alt.trim(), TELEGRAM_CAPTION_LIMIT);
    ops.push({ method: 'sendPhoto', photo, ...(caption ? { caption } : {}) });
  }
  const last = ops.at(-1);
  if (last && buttons.length > 0) last.reply_markup = { inline_keyboard: buttons };
  return { ops, problems };
}

export function fitsCallbackData(choice: Choice): boolean {
  const n = byteLength(choice.id);
  return n > 0 && n <= TELEGRAM_CALLBACK_DATA_MAX_BYTES;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** http(s) URLs are fetched by Telegram; `data:image/…;base64,…` (a generated QR code) is uploaded. */
export function photoSource(url: string): PhotoSource | null {
  if (/^https?:\/\//i.test(url)) return { kind: 'url', url };
  const data = /^data:image\/(png|jpe?g|gif|webp);base64,([A-Za-z0-9+/=\s]+)$/i.exec(url);
  if (data) {
    const bytes = Buffer.from(data[2]!, 'base64');
    if (bytes.length > 0) return { kind: 'bytes', data: bytes, filename: `image.${data[1]!.toLowerCase().replace('jpeg', 'jpg')}` };
  }
  return null;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}
