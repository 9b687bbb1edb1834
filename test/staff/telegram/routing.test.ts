import type { Update } from 'grammy/types';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../../src/channels/telegram/index.ts';
import { groupCallbackUpdate, groupTextUpdate, startFakeTelegram, textUpdate, type FakeTelegram } from '../../fakes/telegram-server.ts';
import { RecordingSink } from '../../channels/telegram/helpers.ts';
import { STAFF_CHAT } from './setup.ts';

describe('the Telegram channel with a staff group', () => {
  let fake: FakeTelegram;
  afterEach(async () => {
    await fake.close();
  });

  it("hands the staff group's messages and presses to the staff desk, never to the engine; citizens still reach the engine", async () => {
    fake = await startFakeTelegram();
    fake.addGroup(STAFF_CHAT, { forum: true });
    const sink = new RecordingSink();
    const staff: Update[] = [];
    const channel = createTelegramChannel(
      { token: fake.token, mode: 'polling', webhookSecret: undefined, apiRoot: fake.apiRoot },
      {
        sink,
        logger: pino({ level: 'silent' }),
        botInfo: fake.botInfo,
        polling: { timeoutSeconds: 1, minRetryDelayMs: 10, maxRetryDelayMs: 20 },
        staff: { chatId: String(STAFF_CHAT), handleUpdate: async (u) => void staff.push(u) },
      },
    );
    await channel.start();
    try {
      fake.pushUpdate(groupTextUpdate('Trưa nay ai trực?', { chatId: STAFF_CHAT, userId: 7001, threadId: 9 }));
      const card = (await channel.api.sendMessage(STAFF_CHAT, 'thẻ', { reply_markup: { inline_keyboard: [[{ text: 'Nhận', callback_data: 'st:c:1' }]] } }));
      fake.pushUpdate(groupCallbackUpdate('st:c:1', { message: card, userId: 7001, queryId: 'q-staff' }));
      fake.pushUpdate(textUpdate('làm giấy khai sinh cần gì', { chatId: 42 }));
      await fake.waitFor(() => sink.events.length === 1 && staff.length === 2);
    } finally {
      await channel.stop();
    }
    expect(staff.map((u) => (u.message ? 'message' : 'callback_query'))).toEqual(['message', 'callback_query']);
    expect(sink.events).toMatchObject([{ chatId: '42', kind: 'text' }]);
    // The desk answers its own presses: the channel did not.
    expect(fake.sent.filter((c) => c.method === 'answerCallbackQuery')).toEqual([]);
  });
});
