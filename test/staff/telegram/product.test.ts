import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../../src/storage/user-store.ts';
import { groupCallbackUpdate, groupTextUpdate, textUpdate, type NewUpdate } from '../../fakes/telegram-server.ts';
import { type Product, startProduct, TG_SECRET } from '../../helpers/product.ts';
import { LAN_TG, MINH_TG, STAFF_CHAT } from './setup.ts';

/**
 * The whole product with TELEGRAM_STAFF_CHAT_ID: a citizen on Telegram asks for a person, the ticket appears in
 * the staff group's topic, a staff member claims it and answers from the topic, all through the real webhook.
 */
describe('staff on Telegram, end to end', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct({ TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT) });
    product.telegram.addGroup(STAFF_CHAT, { forum: true });
    const users = new UserStore(product.running.db);
    await users.insert({ username: 'lan', displayName: 'Lan', role: 'staff', passwordHash: 'x', telegramId: String(LAN_TG) });
    await users.insert({ username: 'minh', displayName: 'Minh', role: 'staff', passwordHash: 'x', telegramId: String(MINH_TG) });
  });
  afterAll(async () => {
    await product?.close();
  });

  const deliver = async (u: NewUpdate | ReturnType<Product['telegram']['newUpdate']>) => {
    const update = 'update_id' in u ? u : product.telegram.newUpdate(u);
    const r = await product.telegram.postWebhook(product.url('/webhooks/telegram'), update, TG_SECRET);
    expect(r.status).toBe(200);
    return update;
  };

  it('a citizen reaches a person, who claims the ticket and answers from the topic; the citizen writes back', async () => {
    const { telegram } = product;
    const CITIZEN = 4242;
    await deliver(textUpdate('cho tôi gặp cán bộ', { chatId: CITIZEN }));
    await telegram.waitFor(() => telegram.topics(STAFF_CHAT).length === 1 && telegram.messagesIn(STAFF_CHAT).some((m) => m.reply_markup));
    const topic = telegram.topics(STAFF_CHAT)[0]!;
    expect(topic.name).toMatch(/^#\d+ · Telegram · /);
    const card = () => telegram.messagesIn(STAFF_CHAT, topic.message_thread_id).find((m) => m.reply_markup || m.text?.includes('Yêu cầu #'))!;
    expect(card().text).toContain('👤 Người dân: cho tôi gặp cán bộ');
    const claim = card().reply_markup!.inline_keyboard[0]!.find((b) => b.text === 'Nhận') as { callback_data: string };

    // The staff group's messages never reach the engine: the bot does not answer them as a citizen's.
    const before = product.telegramTexts(STAFF_CHAT).length;
    await deliver(groupTextUpdate('Ai trực chiều nay?', { chatId: STAFF_CHAT, userId: MINH_TG }));

    await deliver(groupCallbackUpdate(claim.callback_data, { message: card(), userId: LAN_TG, queryId: 'q-e2e' }));
    await telegram.waitFor(() => product.telegramTexts(CITIZEN).some((t) => t.includes('Lan')));
    await telegram.waitFor(() => card().text!.includes('Lan đang xử lý'));
    expect(card().reply_markup!.inline_keyboard[0]!.map((b) => b.text)).toEqual(['Chuyển', 'Đóng']);
    expect(telegram.sent.filter((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === 'q-e2e')).toHaveLength(1);

    // Telegram delivers the owner's message twice: the citizen gets it once.
    const reply = telegram.newUpdate(groupTextUpdate('Chào bạn, mình là Lan. Bạn cần làm thủ tục gì?', { chatId: STAFF_CHAT, userId: LAN_TG, threadId: topic.message_thread_id }));
    await deliver(reply);
    await deliver(reply);
    await telegram.waitFor(() => product.telegramTexts(CITIZEN).some((t) => t.includes('Bạn cần làm thủ tục gì?')));

    await deliver(textUpdate('Tôi cần đăng ký khai sinh cho con', { chatId: CITIZEN }));
    await telegram.waitFor(() => telegram.messagesIn(STAFF_CHAT, topic.message_thread_id).some((m) => m.text === '👤 Người dân: Tôi cần đăng ký khai sinh cho con'));

    expect(product.telegramTexts(CITIZEN).filter((t) => t.includes('Bạn cần làm thủ tục gì?'))).toHaveLength(1);
    expect(product.telegramTexts(STAFF_CHAT).slice(before).some((t) => t.includes('Ai trực'))).toBe(false);
    const toGroupOutsideTopics = telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(STAFF_CHAT) && c.payload.message_thread_id === undefined);
    expect(toGroupOutsideTopics).toEqual([]);
  });
});
