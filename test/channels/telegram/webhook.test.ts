import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, TELEGRAM_WEBHOOK_PATH } from '../../../src/channels/telegram/index.ts';
import type { AcceptResult, EventSink, InboundEvent } from '../../../src/channels/types.ts';
import { callbackUpdate, startFakeTelegram, stickerUpdate, textUpdate, type FakeTelegram } from '../../fakes/telegram-server.ts';
import { captureLogger, RecordingSink } from './helpers.ts';

const SECRET = 'webhook_Secret-0123456789abcdef';

let fake: FakeTelegram;
let app: FastifyInstance;
let url: string;
let sink: RecordingSink;
let logs: ReturnType<typeof captureLogger>;

async function serve(s: EventSink, webhookTimeoutMs?: number) {
  const channel = createTelegramChannel(
    { token: fake.token, mode: 'webhook', webhookSecret: SECRET, apiRoot: fake.apiRoot },
    { sink: s, logger: logs.logger, botInfo: fake.botInfo, ...(webhookTimeoutMs ? { webhookTimeoutMs } : {}) },
  );
  app = Fastify();
  channel.registerRoutes(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${TELEGRAM_WEBHOOK_PATH}`;
  return channel;
}

beforeEach(async () => {
  fake = await startFakeTelegram();
  logs = captureLogger();
  sink = new RecordingSink();
});
afterEach(async () => {
  await app?.close();
  await fake.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, body: await r.text() }));

describe('POST /webhooks/telegram over real HTTP', () => {
  it('401 without the secret header, 401 with a wrong one; the sink is not called', async () => {
    await serve(sink);
    expect((await fake.postWebhook(url, textUpdate('xin chào'))).status).toBe(401);
    expect((await fake.postWebhook(url, textUpdate('xin chào'), 'wrong-secret-0123456789')).status).toBe(401);
    expect((await fake.postWebhook(url, textUpdate('xin chào'), SECRET.slice(0, -1))).status).toBe(401);
    expect(sink.attempts).toEqual([]);
  });

  it('200 with the right secret; the sink is called once with the event', async () => {
    await serve(sink);
    const res = await fake.postWebhook(url, textUpdate('Làm giấy khai sinh cần gì?', { chatId: 77 }), SECRET);
    expect(res.status).toBe(200);
    expect(sink.attempts).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({ channel: 'telegram', kind: 'text', chatId: '77', text: 'Làm giấy khai sinh cần gì?' });
  });

  it('a button press: choice stored, then the callback query answered through the API', async () => {
    await serve(sink);
    const res = await fake.postWebhook(url, callbackUpdate('proc:1.001193', { queryId: 'q-77' }), SECRET);
    expect(res.status).toBe(200);
    expect(sink.events[0]).toMatchObject({ kind: 'choice', choice: 'proc:1.001193' });
    expect(fake.sent).toMatchObject([{ method: 'answerCallbackQuery', status: 200, payload: { callback_query_id: 'q-77' } }]);
  });

  it('5xx when accept throws, so Telegram retries; the retry is stored once, a further redelivery is a duplicate', async () => {
    await serve(sink);
    const update = { ...textUpdate('Lệ phí bao nhiêu?'), update_id: 555 };
    sink.failNext();
    const failed = await fake.postWebhook(url, update, SECRET);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.body).not.toMatch(/database unavailable/); // nothing internal leaks
    expect(sink.events).toEqual([]);
    expect((await fake.postWebhook(url, update, SECRET)).status).toBe(200);
    expect((await fake.postWebhook(url, update, SECRET)).status).toBe(200);
    expect(sink.events).toHaveLength(1);
    expect(sink.attempts).toHaveLength(3);
    expect(logs.text()).toContain('answering 500 so Telegram retries');
    expect(logs.text()).not.toContain(fake.token);
  });

  it('a callback query whose accept throws is not answered (Telegram redelivers it)', async () => {
    await serve(sink);
    sink.failNext();
    expect((await fake.postWebhook(url, callbackUpdate('x'), SECRET)).status).toBe(500);
    expect(fake.sent).toEqual([]);
  });

  it('500 when accept takes longer than the webhook timeout', async () => {
    const slow: EventSink = { accept: (e: InboundEvent) => new Promise<AcceptResult>((r) => setTimeout(() => r(sink.accept(e)), 600)) };
    await serve(slow, 100);
    expect((await fake.postWebhook(url, textUpdate('chậm'), SECRET)).status).toBe(500);
  });

  it('400 on malformed JSON, and the next request is served normally', async () => {
    await serve(sink);
    const bad = await post('{"update_id": 1, "message": {', { 'x-telegram-bot-api-secret-token': SECRET });
    expect(bad.status).toBe(400);
    const good = await fake.postWebhook(url, textUpdate('sau lỗi'), SECRET);
    expect(good.status).toBe(200);
    expect(sink.events.map((e) => e.text)).toEqual(['sau lỗi']);
  });

  it('400 for JSON that is not an update (null, array, no update_id); 401 first when the secret is missing', async () => {
    await serve(sink);
    const h = { 'x-telegram-bot-api-secret-token': SECRET };
    expect((await post('null', h)).status).toBe(400);
    expect((await post('[]', h)).status).toBe(400);
    expect((await post('{"message":{}}', h)).status).toBe(400);
    expect((await post('{not json')).status).toBe(401);
    expect(sink.attempts).toEqual([]);
  });

  it('unsupported content → unsupported event; unknown update types → 200 and ignored', async () => {
    await serve(sink);
    expect((await fake.postWebhook(url, stickerUpdate(), SECRET)).status).toBe(200);
    expect((await post(JSON.stringify({ update_id: 9001, edited_message: textUpdate('sửa').message }), { 'x-telegram-bot-api-secret-token': SECRET })).status).toBe(200);
    expect(sink.events.map((e) => e.kind)).toEqual(['unsupported']);
  });

  it('polling mode registers no route', async () => {
    const channel = createTelegramChannel(
      { token: fake.token, mode: 'polling', webhookSecret: undefined, apiRoot: fake.apiRoot },
      { sink, logger: logs.logger, botInfo: fake.botInfo },
    );
    app = Fastify();
    channel.registerRoutes(app);
    await app.ready();
    expect(app.hasRoute({ method: 'POST', url: TELEGRAM_WEBHOOK_PATH })).toBe(false);
  });
});
