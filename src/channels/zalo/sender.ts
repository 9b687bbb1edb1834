import type { Logger } from 'pino';
import type { ReplyMessage } from '../../domain/types.ts';
import type { ChannelSender } from '../types.ts';
import { ZaloApiError, type ZaloBotClient } from './client.ts';
import { renderZaloMessage } from './render.ts';

type SendingClient = Pick<ZaloBotClient, 'sendMessage' | 'sendPhoto' | 'sendChatAction'>;

/**
 * Sends replies through the Zalo Bot API, one `sendMessage` per ≤ 2,000-character part, in order. Errors from
 * sendMessage propagate (the caller decides about retries); a photo Zalo refuses (some hosts are, ZALO.md §1.4)
 * falls back to its alt text and URL as a text message.
 */
export class ZaloSender implements ChannelSender {
  readonly channel = 'zalo' as const;

  constructor(
    private readonly client: SendingClient,
    private readonly logger?: Logger,
  ) {}

  async send(chatId: string, message: ReplyMessage): Promise<void> {
    for (const out of renderZaloMessage(message)) {
      if (out.type === 'text') {
        await this.client.sendMessage(chatId, out.text);
        continue;
      }
      try {
        await this.client.sendPhoto(chatId, out.url, out.caption);
      } catch (e) {
        if (!(e instanceof ZaloApiError)) throw e;
        this.logger?.warn({ err: e, method: 'sendPhoto' }, 'Zalo refused a photo; sending its link as text');
        await this.client.sendMessage(chatId, out.caption ? `${out.caption}\n${out.url}` : out.url);
      }
    }
  }

  /** Best effort: the indicator lasts about 5 s and a failure must never hold up the answer. */
  async typing(chatId: string): Promise<void> {
    try {
      await this.client.sendChatAction(chatId, 'typing');
    } catch (e) {
      this.logger?.debug({ err: e, method: 'sendChatAction' }, 'Zalo typing indicator failed');
    }
  }
}
