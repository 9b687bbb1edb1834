import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { registerZaloWebhook } from '../../../src/channels/zalo/webhook.ts';
import { secretMatches } from '../../../src/util/secret.ts';
import type { AcceptResult, EventSink, InboundEvent } from '../../../src/channels/types.ts';
import { zaloTextUpdate } from '../../fakes/zalo-server.ts';

const SECRET = 'zalo-webhook-secret-123';
const logger = pino({ level: 'silent' });

/** Records what reaches the engine; `failing` makes accept throw (the database is down). */
class RecordingSink implements EventSink {
  readonly events: InboundEvent[] = [];
  failing = false;
  calls = 0;
  async accept(event: InboundEvent): Promise<AcceptResult> {
    this.calls++;
    if (this.failing) throw new Error('database unavailable');
    const seen = this.events.some((e) => e.updateKey === event.updateKey);
    if (!seen) this.events.push(event);
    return seen ? 'duplicate' : 'accepted';
  }
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(sink: EventSink): Promise<FastifyInstance> {
  app = Fastify({ logger: false });
  registerZaloWebhook(app, { secret: SECRET, sink, logger });
  app.get('/health', async () => ({ ok: true }));
  await app.ready();
  return app;
}

const headers = (secret?: string) => ({ 'content-type': 'application/json', ...(secret !== undefined ? { 'x-bot-api-secret-token': secret } : {}) });

describe('POST /webhooks/zalo (inject)', () => {
  it('accepts a good update once and answers 200', async () => {
    const sink = new RecordingSink();
    const a = await build(sink);
    const res = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: zaloTextUpdate('Xin chào') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    expect(sink.calls).toBe(1);
    expect(sink.events[0]).toMatchObject({ channel: 'zalo', kind: 'text', text: 'Xin chào', updateKey: 'message.text.received:2d758cb5e222177a4e35' });
  });

  it('accepts the wrapped body too, and answers 200 to a retry (duplicate) without a second event', async () => {
    const sink = new RecordingSink();
    const a = await build(sink);
    const body = { ok: true, result: zaloTextUpdate('Xin chào') };
    for (let i = 0; i < 2; i++) {
      const res = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: body });
      expect(res.statusCode).toBe(200);
    }
    expect(sink.events).toHaveLength(1);
  });

  it('answers 401 on a missing or wrong secret, before reading the body, and stores nothing', async () => {
    const sink = new RecordingSink();
    const a = await build(sink);
    for (const h of [headers(), headers('wrong-secret'), headers(''), headers(`${SECRET}x`), headers(SECRET.slice(0, -1))]) {
      const res = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: h, payload: zaloTextUpdate('hi') });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ ok: false, code: 'unauthorized' });
    }
    const malformed = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers('wrong'), payload: '{not json' });
    expect(malformed.statusCode).toBe(401);
    expect(sink.calls).toBe(0);
  });

  it('answers 400 JSON on malformed JSON, and keeps serving', async () => {
    const sink = new RecordingSink();
    const a = await build(sink);
    const res = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: '{"event_name": "message.text' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toMatchObject({ ok: false });
    const next = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: zaloTextUpdate('tiếp') });
    expect(next.statusCode).toBe(200);
    expect(sink.events).toHaveLength(1);
  });

  it('answers 400 when the body does not fit the update schema', async () => {
    const sink = new RecordingSink();
    const a = await build(sink);
    const res = await a.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: headers(SECRET),
      payload: { event_name: 'message.text.received', message: { text: 'no ids' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, code: 'malformed_update' });
    expect(sink.calls).toBe(0);
  });

  it('answers 200 {ok:true} and ignores unknown events and the empty probe', async () => {
    const sink = new RecordingSink();
    const a = await build(sink);
    const unknown = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: { event_name: 'bot.added.to.group' } });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toMatchObject({ ok: true });
    const probe = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: '' });
    expect(probe.statusCode).toBe(200);
    expect(sink.calls).toBe(0);
  });

  it('answers 503 when the sink cannot store the update, so Zalo retries', async () => {
    const sink = new RecordingSink();
    sink.failing = true;
    const a = await build(sink);
    const res = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: zaloTextUpdate('hi') });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ ok: false, code: 'unavailable' });
    sink.failing = false;
    const retry = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: zaloTextUpdate('hi') });
    expect(retry.statusCode).toBe(200);
    expect(sink.events).toHaveLength(1);
  });

  it('refuses bodies over 1 MiB', async () => {
    const a = await build(new RecordingSink());
    const res = await a.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers(SECRET), payload: zaloTextUpdate('a'.repeat(1_100_000)) });
    expect(res.statusCode).toBe(413);
  });

  it('leaves the rest of the app alone (its own JSON parser still rejects empty bodies)', async () => {
    app = Fastify({ logger: false });
    registerZaloWebhook(app, { secret: SECRET, sink: new RecordingSink(), logger });
    app.post('/other', async (req) => ({ got: req.body }));
    await app.ready();
    const res = await app.inject({ method: 'POST', url: '/other', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(res.statusCode).toBe(400);
    const ok = await app.inject({ method: 'POST', url: '/other', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
    expect(ok.json()).toEqual({ got: { a: 1 } });
  });

  it('compares secrets exactly', () => {
    expect(secretMatches(SECRET, SECRET)).toBe(true);
    expect(secretMatches(undefined, SECRET)).toBe(false);
    expect(secretMatches([SECRET, SECRET], SECRET)).toBe(false);
    expect(secretMatches(SECRET.toUpperCase(), SECRET)).toBe(false);
    expect(secretMatches('', '')).toBe(false);
  });
});

describe('POST /webhooks/zalo (real HTTP)', () => {
  it('401 / 400 / 200 / 503 over a socket, and the server keeps answering after a malformed body', async () => {
    const sink = new RecordingSink();
    const a = await build(sink);
    await a.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`;
    const post = (body: string, secret?: string) =>
      fetch(`${base}/webhooks/zalo`, { method: 'POST', headers: headers(secret), body });

    expect((await post(JSON.stringify(zaloTextUpdate('hi')))).status).toBe(401);
    expect((await post(JSON.stringify(zaloTextUpdate('hi')), 'nope-nope')).status).toBe(401);

    const bad = await post('{"event_name":', SECRET);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/json/);
    expect(await bad.json()).toMatchObject({ ok: false });

    expect((await fetch(`${base}/health`)).status).toBe(200);
    const good = await post(JSON.stringify(zaloTextUpdate('Lệ phí kết hôn?')), SECRET);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ ok: true });
    expect(sink.calls).toBe(1);
    expect(sink.events[0]?.text).toBe('Lệ phí kết hôn?');

    expect((await post(JSON.stringify({ event_name: 'user.follow' }), SECRET)).status).toBe(200);

    sink.failing = true;
    expect((await post(JSON.stringify(zaloTextUpdate('x', { messageId: 'ffffffffffffffffffff' })), SECRET)).status).toBe(503);
    expect(sink.events).toHaveLength(1);
  });
});
