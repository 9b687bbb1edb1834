import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createZaloChannel, ZaloBotClient, ZaloNetworkError, ZaloSender } from '../../../src/channels/zalo/index.ts';
import type { AcceptResult, EventSink, InboundEvent } from '../../../src/channels/types.ts';
import { startFakeZaloServer, zaloTextUpdate, type FakeZaloServer } from '../../fakes/zalo-server.ts';

const logger = pino({ level: 'silent' });

class RecordingSink implements EventSink {
  readonly events: InboundEvent[] = [];
  async accept(event: InboundEvent): Promise<AcceptResult> {
    this.events.push(event);
    return 'accepted';
  }
}

let fake: FakeZaloServer;
beforeEach(async () => {
  fake = await startFakeZaloServer();
});
afterEach(() => fake.close());

describe('ZaloSender', () => {
  const client = () => new ZaloBotClient({ token: fake.token, apiBase: fake.url });

  it('sends every part of a long answer in order, each accepted by the 2,000-character limit', async () => {
    const sender = new ZaloSender(client(), logger);
    const text = 'Bước tiếp theo là nộp hồ sơ tại bộ phận một cửa của Ủy ban nhân dân xã. '.repeat(70);
    await sender.send('chat-1', { text, choices: [{ id: 'a', label: 'Lệ phí' }, { id: 'b', label: 'Thời hạn' }] });
    expect(fake.sent.length).toBeGreaterThan(2);
    expect(fake.sent.every((s) => s.method === 'sendMessage' && s.chat_id === 'chat-1' && s.text!.length <= 2000)).toBe(true);
    expect(fake.sent.at(-1)?.text).toMatch(/1\. Lệ phí\n2\. Thời hạn\nTrả lời 1 hoặc 2\.$/);
  });

  it('sends the image as a photo, and falls back to a text link when Zalo refuses the photo', async () => {
    const sender = new ZaloSender(client(), logger);
    await sender.send('c', { text: 'Mã QR:', image: { url: 'https://placehold.co/300.png', alt: 'QR lệ phí' } });
    expect(fake.sent).toEqual([
      { method: 'sendMessage', chat_id: 'c', text: 'Mã QR:' },
      { method: 'sendPhoto', chat_id: 'c', photo: 'https://placehold.co/300.png', caption: 'QR lệ phí' },
    ]);
    fake.sent.length = 0;
    fake.failNext('sendPhoto', { errorCode: 400, description: 'The photo URL is invalid' });
    await sender.send('c', { text: 'Mã QR:', image: { url: 'https://upload.wikimedia.org/qr.png', alt: 'QR lệ phí' } });
    expect(fake.sent.map((s) => s.text)).toEqual(['Mã QR:', 'QR lệ phí\nhttps://upload.wikimedia.org/qr.png']);
  });

  it('propagates a failed sendMessage so the caller can retry', async () => {
    const sender = new ZaloSender(client(), logger);
    fake.failNext('sendMessage', { drop: true });
    await expect(sender.send('c', { text: 'hi' })).rejects.toBeInstanceOf(ZaloNetworkError);
  });

  it('typing is best effort: sent as sendChatAction typing, failures swallowed', async () => {
    const sender = new ZaloSender(client(), logger);
    await sender.typing('c');
    expect(fake.calls.at(-1)).toEqual({ method: 'sendChatAction', body: { chat_id: 'c', action: 'typing' } });
    fake.failNext('sendChatAction', { errorCode: 429 });
    await expect(sender.typing('c')).resolves.toBeUndefined();
  });
});

describe('createZaloChannel', () => {
  const cfg = (mode: 'polling' | 'webhook', webhookSecret?: string) => ({ token: fake.token, mode, webhookSecret, apiBase: fake.url });

  it('polling: deletes the webhook, then polls and hands updates to the sink; stop() ends it', async () => {
    await new ZaloBotClient({ token: fake.token, apiBase: fake.url }).setWebhook('https://old.example.vn/hook', 'old-secret');
    const sink = new RecordingSink();
    const ch = createZaloChannel(cfg('polling'), { sink, logger, polling: { pollTimeoutSec: 1, backoff: { initialMs: 10, maxMs: 50 } } });
    expect(ch.sender.channel).toBe('zalo');
    await ch.start();
    expect(fake.webhook.url).toBe('');
    fake.pushUpdate(zaloTextUpdate('/help'));
    await vi.waitFor(() => expect(sink.events).toHaveLength(1), { timeout: 10_000 });
    expect(sink.events[0]).toMatchObject({ kind: 'command', command: 'help' });
    const methods = fake.calls.map((c) => c.method);
    expect(methods.indexOf('deleteWebhook')).toBeLessThan(methods.indexOf('getUpdates'));
    await ch.sender.send(sink.events[0]!.chatId, { text: 'Tôi có thể giúp gì?' });
    expect(fake.sent.at(-1)).toMatchObject({ chat_id: sink.events[0]!.chatId, text: 'Tôi có thể giúp gì?' });
    await ch.stop();
  });

  it('webhook: sets `${publicUrl}/webhooks/zalo` with the secret, and serves the route', async () => {
    const sink = new RecordingSink();
    const ch = createZaloChannel(cfg('webhook', 'hook-secret-123'), { sink, logger, publicUrl: 'https://xa-an-binh.example.vn/' });
    const app = Fastify({ logger: false });
    ch.registerRoutes(app);
    await app.ready();
    await ch.start();
    expect(fake.webhook).toMatchObject({ url: 'https://xa-an-binh.example.vn/webhooks/zalo', secret: 'hook-secret-123' });
    expect(fake.calls.some((c) => c.method === 'getUpdates')).toBe(false);
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': 'hook-secret-123' },
      payload: zaloTextUpdate('Xin chào'),
    });
    expect(res.statusCode).toBe(200);
    expect(sink.events).toHaveLength(1);
    await ch.stop();
    await app.close();
  });

  it('webhook without publicUrl: does not call setWebhook', async () => {
    const ch = createZaloChannel(cfg('webhook', 'hook-secret-123'), { sink: new RecordingSink(), logger });
    await ch.start();
    expect(fake.calls.some((c) => c.method === 'setWebhook')).toBe(false);
    await ch.stop();
  });

  it('webhook: a failed setWebhook does not throw and is retried in the background until stop()', async () => {
    fake.failNext('setWebhook', { errorCode: 403 });
    const ch = createZaloChannel(cfg('webhook', 'hook-secret-123'), { sink: new RecordingSink(), logger, publicUrl: 'https://xa.example.vn' });
    await expect(ch.start()).resolves.toBeUndefined();
    await vi.waitFor(() => expect(fake.webhook.url).toBe('https://xa.example.vn/webhooks/zalo'), { timeout: 10_000 });
    expect(fake.calls.filter((c) => c.method === 'setWebhook')).toHaveLength(2);
    await ch.stop();
  });

  it('polling without a secret registers no webhook route', async () => {
    const ch = createZaloChannel(cfg('polling'), { sink: new RecordingSink(), logger });
    const app = Fastify({ logger: false });
    ch.registerRoutes(app);
    await app.ready();
    const res = await app.inject({ method: 'POST', url: '/webhooks/zalo', payload: {} });
    expect(res.statusCode).toBe(404);
    await app.close();
  });
});
