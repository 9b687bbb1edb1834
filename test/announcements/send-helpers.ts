import { Api } from 'grammy';
import pino from 'pino';
import type { ChannelName, ChannelSender } from '../../src/channels/types.ts';
import { TelegramSender } from '../../src/channels/telegram/sender.ts';
import { ZaloBotClient } from '../../src/channels/zalo/client.ts';
import { ZaloSender } from '../../src/channels/zalo/sender.ts';
import type { ReplyMessage } from '../../src/domain/types.ts';
import type { FakeTelegram } from '../fakes/telegram-server.ts';
import type { FakeZaloServer } from '../fakes/zalo-server.ts';

export const silent = pino({ level: 'silent' });

/**
 * The channels' real senders on the fake platforms, each call's start time recorded. The Telegram API here has
 * no auto-retry, so a 429 reaches the delivery worker (the product's auto-retry gives up after a bound, then it does).
 */
export class TimedSender implements ChannelSender {
  readonly attempts: { chatId: string; at: number; ok: boolean }[] = [];
  /** Called after each accepted send, with how many have been accepted. */
  onSent: ((count: number) => void) | null = null;
  private accepted = 0;
  constructor(private readonly inner: ChannelSender) {}
  get channel(): ChannelName {
    return this.inner.channel;
  }
  async send(chatId: string, message: ReplyMessage): Promise<void> {
    const at = Date.now();
    try {
      await this.inner.send(chatId, message);
      this.attempts.push({ chatId, at, ok: true });
    } catch (err) {
      this.attempts.push({ chatId, at, ok: false });
      throw err;
    }
    this.onSent?.(++this.accepted);
  }
}

export function telegramSender(fake: FakeTelegram): TimedSender {
  return new TimedSender(new TelegramSender({ api: new Api(fake.token, { apiRoot: fake.apiRoot }), logger: silent, token: fake.token }));
}

export function zaloSender(fake: FakeZaloServer): TimedSender {
  return new TimedSender(new ZaloSender(new ZaloBotClient({ token: fake.token, apiBase: fake.url }), silent));
}

/** Waits until `check` holds (polling); throws with `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
