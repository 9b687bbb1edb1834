import { InputFile, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { ReplyMessage } from '../../domain/types.ts';
import type { ChannelName, ChannelSender } from '../types.ts';
import { safeErr, toSafeError } from './errors.ts';
import { renderReply, type PhotoSource } from './render.ts';

export interface TelegramSenderDeps {
  /** The bot's API, with auto-retry installed (429 and 5xx, bounded). */
  api: Api;
  /** For best-effort calls (typing) that must not wait through retries; defaults to `api`. */
  quickApi?: Api;
  logger: Logger;
  /** Removed from errors and log lines. */
  token: string;
}

/**
 * Sends channel-neutral replies on Telegram. Messages go out in order; the first failure stops the message and
 * is thrown as a `TelegramApiError` (no token, no payload), e.g. 403 when the citizen blocked the bot.
 */
export class TelegramSender implements ChannelSender {
  readonly channel: ChannelName = 'telegram';

  constructor(private readonly deps: TelegramSenderDeps) {}

  async send(chatId: string, message: ReplyMessage): Promise<void> {
    const { ops, problems } = renderReply(message);
    if (problems.length) this.deps.logger.warn({ chatId, problems }, 'Telegram: part of a reply could not be rendered');
    for (const op of ops) {
      try {
        if (op.method === 'sendMessage') {
          await this.deps.api.sendMessage(chatId, op.text, {
            ...(op.reply_markup ? { reply_markup: op.reply_markup } : {}),
          });
        } else {
          await this.deps.api.sendPhoto(chatId, toInput(op.photo), {
            ...(op.caption ? { caption: op.caption } : {}),
            ...(op.reply_markup ? { reply_markup: op.reply_markup } : {}),
          });
        }
      } catch (err) {
        throw toSafeError(err, this.deps.token);
      }
    }
  }

  /** "typing…" for about five seconds or until the next message; failures are logged, never thrown. */
  async typing(chatId: string): Promise<void> {
    try {
      await (this.deps.quickApi ?? this.deps.api).sendChatAction(chatId, 'typing');
    } catch (err) {
      this.deps.logger.debug({ chatId, err: safeErr(err, this.deps.token) }, 'Telegram: sendChatAction failed');
    }
  }
}

function toInput(photo: PhotoSource): string | InputFile {
  return photo.kind === 'url' ? photo.url : new InputFile(photo.data, photo.filename);
}
