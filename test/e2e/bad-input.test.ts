import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app/server.ts';
import { callbackUpdate, textUpdate, type FakeTelegram } from '../fakes/telegram-server.ts';
import { type FakeZaloServer, zaloTextUpdate } from '../fakes/zalo-server.ts';
import { type Product, startProduct, TG_SECRET, ZALO_SECRET } from '../helpers/product.ts';

/**
 * Bad characters at the channel boundary, through the whole product (`startApp`, real HTTP, fake Telegram and Zalo
 * Bot API servers, PGlite or with DATABASE_URL the PostgreSQL server). NUL and lone surrogates are what PostgreSQL
 * refuses to store in jsonb; before cleaning, such a message got a 5xx (Telegram then retried it for ever, holding
 * back later updates) and was lost on the web chat. Now each channel answers 200, stores the cleaned text and
 * replies.
 */
const QUESTION = 'đăng ký tạm trú cần giấy tờ gì';
/** The question as a hostile or broken client might send it: decomposed marks, NUL, lone surrogates, zero-width and bidi junk. */
const JUNKED = `\u0000\u202e${'đăng ký'.normalize('NFD')}\u200b tạm\ud800 trú\u0007 cần\udc00 giấy\u2066 tờ\ufeff gì\u2069\u0000`;

describe('bad input at the channel boundary, end to end', () => {
  let product: Product;
  let telegram: FakeTelegram;
  let zalo: FakeZaloServer;
  let running: RunningApp;

  beforeAll(async () => {
    product = await startProduct();
    ({ telegram, zalo, running } = product);
  });
  afterAll(async () => {
    await product?.close();
  });

  const hook = (p: string) => new URL(p, running.url).toString();
  const tgTexts = (chatId: number) =>
    telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text));
  const zaloTexts = (chatId: string) => zalo.sent.filter((s) => s.chat_id === chatId).map((s) => s.text ?? '');
  const stored = async (channel: string, updateKey: string) => {
    const rows = await running.db.query<{ event: { kind: string; text?: string; choice?: string }; status: string }>(
      `SELECT event, status FROM inbound_updates WHERE channel = $1 AND update_key = $2`,
      [channel, updateKey],
    );
    return rows[0];
  };

  it('Telegram: a webhook text full of junk is answered 200, stored clean, and replied to', async () => {
    const update = telegram.pushUpdate(textUpdate(JUNKED, { chatId: 201 }));
    const res = await telegram.postWebhook(hook('/webhooks/telegram'), update, TG_SECRET);
    expect(res.status).toBe(200);
    await telegram.waitFor(() => tgTexts(201).length >= 1);
    expect(tgTexts(201)[0]).toContain('(mã 1.004194)');
    await running.engine.stop();
    expect(await stored('telegram', String(update.update_id))).toMatchObject({ status: 'done', event: { kind: 'text', text: QUESTION } });
  });

  it('Telegram: a button whose data carries junk is stored clean and answered; a junk-only text is answered like a sticker', async () => {
    const press = telegram.pushUpdate(callbackUpdate('aspect:fee\u0000\u200b\ud800', { chatId: 201 }));
    expect((await telegram.postWebhook(hook('/webhooks/telegram'), press, TG_SECRET)).status).toBe(200);
    await telegram.waitFor(() => tgTexts(201).length >= 2);
    await running.engine.stop();
    expect(await stored('telegram', String(press.update_id))).toMatchObject({ status: 'done', event: { kind: 'choice', choice: 'aspect:fee' } });

    const junkOnly = telegram.pushUpdate(textUpdate('\u0000\u200b\u202e\ud800\u2066', { chatId: 202 }));
    expect((await telegram.postWebhook(hook('/webhooks/telegram'), junkOnly, TG_SECRET)).status).toBe(200);
    await telegram.waitFor(() => tgTexts(202).length >= 1);
    await running.engine.stop();
    expect(await stored('telegram', String(junkOnly.update_id))).toMatchObject({ status: 'done', event: { kind: 'unsupported' } });
  });

  it('Zalo: a webhook text full of junk is answered 200, stored clean, and replied to', async () => {
    const body = zaloTextUpdate(JUNKED, { chatId: 'zbad1', messageId: 'bad-m1' });
    const res = await fetch(hook('/webhooks/zalo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': ZALO_SECRET },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    await waitUntil(() => zaloTexts('zbad1').length >= 1);
    expect(zaloTexts('zbad1').join('\n')).toContain('(mã 1.004194)');
    await running.engine.stop();
    expect(await stored('zalo', 'message.text.received:bad-m1')).toMatchObject({ status: 'done', event: { kind: 'text', text: QUESTION } });
  });

  it('Zalo: a long-polled text full of junk is stored clean and replied to', async () => {
    zalo.pushUpdate(zaloTextUpdate(JUNKED, { chatId: 'zbad2', messageId: 'bad-m2' }));
    await waitUntil(() => zaloTexts('zbad2').length >= 1);
    expect(zaloTexts('zbad2').join('\n')).toContain('(mã 1.004194)');
    await running.engine.stop();
    expect(await stored('zalo', 'message.text.received:bad-m2')).toMatchObject({ status: 'done', event: { kind: 'text', text: QUESTION } });
  });

  it('web chat: a text full of junk is answered 200 with the reply, and stored clean', async () => {
    const res = await fetch(hook('/api/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'e2e-bad-web-1', messageId: 'bad-web-msg-1', text: JUNKED }),
    });
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: { text: string }[] };
    expect(messages[0]!.text).toContain('(mã 1.004194)');
    expect(await stored('web', 'bad-web-msg-1')).toMatchObject({ status: 'done', event: { kind: 'text', text: QUESTION } });
  });
});

async function waitUntil(pred: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
