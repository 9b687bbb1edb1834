import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app/server.ts';
import { callbackUpdate, stickerUpdate, textUpdate, type FakeTelegram } from '../fakes/telegram-server.ts';
import { type FakeZaloServer, zaloTextUpdate } from '../fakes/zalo-server.ts';
import { type Product, startProduct, TG_SECRET, ZALO_SECRET } from '../helpers/product.ts';

/**
 * The whole product through its real HTTP endpoints: `startApp` as `npm start` runs it, Telegram by webhook and
 * Zalo by long polling and webhook, against local fake Bot API servers speaking the documented protocols, on
 * PGlite or (with DATABASE_URL) the PostgreSQL server.
 */

describe('channels end to end', () => {
  let product: Product;
  let telegram: FakeTelegram;
  let zalo: FakeZaloServer;
  let running: RunningApp;
  let base: string;

  beforeAll(async () => {
    product = await startProduct();
    ({ telegram, zalo, running } = product);
    base = running.url;
  });
  afterAll(async () => {
    await product?.close();
  });

  const tgTexts = (chatId: number) =>
    telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text));
  const hook = (p: string) => new URL(p, base).toString();

  it('is healthy and ready, and the Telegram commands are registered in Vietnamese', async () => {
    expect((await fetch(hook('/healthz'))).status).toBe(200);
    const ready = await fetch(hook('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, database: true, knowledge: true });
    expect(telegram.commands.map((c) => c.command)).toEqual(expect.arrayContaining(['start', 'help', 'menu', 'lienhe']));
  });

  it('Telegram: a webhook update is answered once, with buttons, even when Telegram delivers it twice', async () => {
    const update = telegram.pushUpdate(textUpdate('đăng ký tạm trú cần giấy tờ gì', { chatId: 101 }));
    expect((await telegram.postWebhook(hook('/webhooks/telegram'), update, TG_SECRET)).status).toBe(200);
    expect((await telegram.postWebhook(hook('/webhooks/telegram'), update, TG_SECRET)).status).toBe(200);
    await telegram.waitFor(() => tgTexts(101).length >= 1);
    await running.engine.stop();
    expect(tgTexts(101)).toHaveLength(1);
    expect(tgTexts(101)[0]).toContain('(mã 1.004194)');
    const sent = telegram.sent.find((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '101')!;
    expect(JSON.stringify(sent.payload.reply_markup)).toContain('aspect:');
  });

  it('Telegram: a pressed button is answered and the callback query is acknowledged', async () => {
    const update = telegram.pushUpdate(callbackUpdate('aspect:fee', { chatId: 101 }));
    expect((await telegram.postWebhook(hook('/webhooks/telegram'), update, TG_SECRET)).status).toBe(200);
    await telegram.waitFor(() => tgTexts(101).length >= 2);
    expect(tgTexts(101)[1]).toContain('Lệ phí');
    expect(telegram.sent.some((c) => c.method === 'answerCallbackQuery')).toBe(true);
  });

  it('Telegram: a sticker gets a helpful reply, not silence', async () => {
    const update = telegram.pushUpdate(stickerUpdate({ chatId: 102 }));
    await telegram.postWebhook(hook('/webhooks/telegram'), update, TG_SECRET);
    await telegram.waitFor(() => tgTexts(102).length >= 1);
    expect(tgTexts(102)[0]).toContain('tin nhắn chữ');
  });

  it('Telegram: a wrong or missing secret gets 401, malformed JSON 400, and the server keeps serving', async () => {
    const update = telegram.pushUpdate(textUpdate('xin chào', { chatId: 103 }));
    expect((await telegram.postWebhook(hook('/webhooks/telegram'), update, 'wrong-secret-0123456789')).status).toBe(401);
    expect((await telegram.postWebhook(hook('/webhooks/telegram'), update)).status).toBe(401);
    const bad = await fetch(hook('/webhooks/telegram'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
      body: '{"update_id": 1, "message": ',
    });
    expect(bad.status).toBe(400);
    expect((await fetch(hook('/healthz'))).status).toBe(200);
    await running.engine.stop();
    expect(tgTexts(103)).toHaveLength(0);
  });

  it('Zalo: a long-polled message is answered within 2,000 characters, choices as numbered lines', async () => {
    zalo.pushUpdate(zaloTextUpdate('đăng ký thường trú cần giấy tờ gì', { chatId: 'zchat1', messageId: 'm1' }));
    await waitUntil(() => zalo.sent.some((s) => s.chat_id === 'zchat1'));
    const texts = zalo.sent.filter((s) => s.chat_id === 'zchat1').map((s) => s.text ?? '');
    expect(texts.join('\n')).toContain('(mã 1.004222)');
    expect(texts.join('\n')).toMatch(/Trả lời 1, 2/);
    for (const x of texts) expect(x.length).toBeLessThanOrEqual(2000);
  });

  it('Zalo: a typed number picks the offered choice', async () => {
    const before = zalo.sent.filter((s) => s.chat_id === 'zchat1').length;
    const last = zalo.sent.filter((s) => s.chat_id === 'zchat1').at(-1)!.text!;
    const feeLine = /^(\d+)\. Lệ phí$/m.exec(last)!;
    zalo.pushUpdate(zaloTextUpdate(feeLine[1]!, { chatId: 'zchat1', messageId: 'm2' }));
    await waitUntil(() => zalo.sent.filter((s) => s.chat_id === 'zchat1').length > before);
    expect(zalo.sent.filter((s) => s.chat_id === 'zchat1').at(-1)!.text).toContain('Lệ phí');
  });

  it('Zalo: webhook with the secret is answered once; a wrong secret gets 401', async () => {
    const body = JSON.stringify(zaloTextUpdate('xin chào', { chatId: 'zchat2', messageId: 'w1' }));
    const post = (secret?: string) =>
      fetch(hook('/webhooks/zalo'), { method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { 'x-bot-api-secret-token': secret } : {}) }, body });
    expect((await post('nope-nope')).status).toBe(401);
    expect((await post()).status).toBe(401);
    expect((await post(ZALO_SECRET)).status).toBe(200);
    expect((await post(ZALO_SECRET)).status).toBe(200);
    await waitUntil(() => zalo.sent.some((s) => s.chat_id === 'zchat2'));
    await running.engine.stop();
    expect(zalo.sent.filter((s) => s.chat_id === 'zchat2')).toHaveLength(1);
  });

  it('web chat answers through the same engine', async () => {
    const r = await fetch(hook('/api/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'e2e-web-1', text: 'cháy nhà cứu với' }),
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(await r.json())).toContain('114');
  });

  // last: it breaks the database under the running server
  it('when the database is unreachable, a webhook answers 5xx so the platform retries', async () => {
    await running.db.close();
    const update = telegram.pushUpdate(textUpdate('xin chào', { chatId: 104 }));
    const res = await telegram.postWebhook(hook('/webhooks/telegram'), update, TG_SECRET);
    expect(res.status).toBeGreaterThanOrEqual(500);
    const z = await fetch(hook('/webhooks/zalo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': ZALO_SECRET },
      body: JSON.stringify(zaloTextUpdate('xin chào', { chatId: 'zchat3', messageId: 'w9' })),
    });
    expect(z.status).toBeGreaterThanOrEqual(500);
    expect((await fetch(hook('/readyz'))).status).toBe(503);
  });
});

async function waitUntil(pred: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
