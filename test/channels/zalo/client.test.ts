import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redactToken, ZaloApiError, ZaloBotClient, ZaloNetworkError } from '../../../src/channels/zalo/client.ts';
import { startFakeZaloServer, zaloTextUpdate, type FakeZaloServer } from '../../fakes/zalo-server.ts';

const TOKEN = '8801234567:s3cr3t-Tok3n_value';
let fake: FakeZaloServer;
let client: ZaloBotClient;

beforeAll(async () => {
  fake = await startFakeZaloServer({ token: TOKEN });
  client = new ZaloBotClient({ token: TOKEN, apiBase: fake.url });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.sent.length = 0;
  fake.calls.length = 0;
});

/** Everything an error could show in a log: message, String(), stack, JSON, util.inspect and a pino line. */
function everyRendering(err: unknown): string {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  );
  logger.error({ err }, 'failed');
  const e = err as Error;
  return [e.message, String(err), e.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), ...lines].join('\n');
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const secretPart = TOKEN.split(':')[1]!;

describe('ZaloBotClient', () => {
  it('unwraps the envelope (getMe, sendMessage) and posts JSON to /bot<token>/<method>', async () => {
    const me = await client.getMe();
    expect(me.account_type).toBe('BASIC');
    const r = await client.sendMessage('6ede9afa66b88fe6d6a9', 'Xin chào');
    expect(r.message_id).toMatch(/^[0-9a-f]{20}$/);
    expect(fake.sent).toEqual([{ method: 'sendMessage', chat_id: '6ede9afa66b88fe6d6a9', text: 'Xin chào' }]);
    expect(fake.calls.map((c) => c.method)).toEqual(['getMe', 'sendMessage']);
  });

  it('sends photos with an optional caption, chat actions, and manages the webhook', async () => {
    await client.sendPhoto('c1', 'https://placehold.co/600x400.png', 'Mẫu tờ khai');
    await client.sendPhoto('c1', 'https://placehold.co/1.png');
    await client.sendChatAction('c1', 'typing');
    expect(fake.sent).toEqual([
      { method: 'sendPhoto', chat_id: 'c1', photo: 'https://placehold.co/600x400.png', caption: 'Mẫu tờ khai' },
      { method: 'sendPhoto', chat_id: 'c1', photo: 'https://placehold.co/1.png' },
    ]);
    expect(fake.calls.find((c) => c.method === 'sendChatAction')?.body).toEqual({ chat_id: 'c1', action: 'typing' });

    const set = await client.setWebhook('https://xa.example.vn/webhooks/zalo', 'a-secret-of-16ch');
    expect(set.url).toBe('https://xa.example.vn/webhooks/zalo');
    expect((await client.getWebhookInfo()).url).toBe('https://xa.example.vn/webhooks/zalo');
    expect((await client.deleteWebhook()).url).toBe('');
    expect((await client.getWebhookInfo()).url).toBe('');
  });

  it('turns ok:false with HTTP 200 into a typed ZaloApiError', async () => {
    const err = await caught(client.sendMessage('c1', 'x'.repeat(2001)));
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ method: 'sendMessage', errorCode: 400, status: 200 });
    expect((err as ZaloApiError).description).toMatch(/2000/);
  });

  it('reports the envelope error code and the HTTP status separately (429 quota)', async () => {
    fake.failNext('sendMessage', { errorCode: 429, status: 429 });
    const err = await caught(client.sendMessage('c1', 'hi'));
    expect(err).toMatchObject({ name: 'ZaloApiError', errorCode: 429, status: 429, description: 'Quota exceeded' });
  });

  it('answers [] for the documented 408 "no message" and for the {ok:true, result:{}} edge case', async () => {
    expect(await client.getUpdates({ timeout: 1 })).toEqual([]);
    fake.pushUpdate({});
    expect(await client.getUpdates({ timeout: 1 })).toEqual([]);
  });

  it('returns the one queued update from getUpdates and sends the timeout as a string', async () => {
    fake.pushUpdate(zaloTextUpdate('Làm giấy khai sinh cần gì?'));
    const updates = await client.getUpdates({ timeout: 2 });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ event_name: 'message.text.received' });
    expect(fake.calls.at(-1)?.body).toEqual({ timeout: '2' });
  });

  it('waits for an update pushed during the long poll', async () => {
    const p = client.getUpdates({ timeout: 5 });
    setTimeout(() => fake.pushUpdate(zaloTextUpdate('hello')), 50);
    expect(await p).toHaveLength(1);
  });

  it('aborts a long poll through its signal with ZaloNetworkError(aborted)', async () => {
    const ac = new AbortController();
    const p = caught(client.getUpdates({ timeout: 30, signal: ac.signal }));
    setTimeout(() => ac.abort(), 30);
    const err = await p;
    expect(err).toBeInstanceOf(ZaloNetworkError);
    expect(err).toMatchObject({ aborted: true, method: 'getUpdates' });
  });

  it('applies a per-call HTTP timeout', async () => {
    const hanging = http.createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const c = new ZaloBotClient({ token: TOKEN, apiBase: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, timeoutMs: 200 });
    const err = await caught(c.getMe());
    hanging.closeAllConnections();
    hanging.close();
    expect(err).toBeInstanceOf(ZaloNetworkError);
    expect(err).toMatchObject({ aborted: false });
    expect((err as ZaloNetworkError).code).toMatch(/ECONNABORTED|ETIMEDOUT/);
    expect(everyRendering(err)).not.toContain(secretPart);
  });

  it('never shows the token in an API error (wrong token → 401)', async () => {
    const wrong = new ZaloBotClient({ token: '8801234567:wrong-Tok3n_value', apiBase: fake.url });
    const err = await caught(wrong.getMe());
    expect(err).toMatchObject({ name: 'ZaloApiError', errorCode: 401, status: 401, description: 'Unauthorized' });
    const text = everyRendering(err);
    expect(text).not.toContain('wrong-Tok3n_value');
    expect(text).not.toContain('8801234567');
  });

  it('never shows the token in a network error (connection refused)', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = new ZaloBotClient({ token: TOKEN, apiBase: `http://127.0.0.1:${port}` });
    const err = await caught(c.sendMessage('c1', 'hi'));
    expect(err).toBeInstanceOf(ZaloNetworkError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', aborted: false });
    const text = everyRendering(err);
    expect(text).not.toContain(secretPart);
    expect(text).not.toContain('8801234567');
    expect(text).not.toMatch(/\/bot/);
    expect((err as { config?: unknown }).config).toBeUndefined();
    expect((err as { cause?: unknown }).cause).toBeUndefined();
  });

  it('scrubs the token from a description that echoes the URL, and from the client itself', async () => {
    fake.failNext('getMe', { errorCode: 404, description: `No route POST /bot${TOKEN}/getMe (bot${encodeURIComponent(TOKEN)})` });
    const err = await caught(client.getMe());
    expect(everyRendering(err)).not.toContain(secretPart);
    expect((err as ZaloApiError).description).toContain('<redacted>');
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(secretPart);
    expect(JSON.stringify(client)).not.toContain(secretPart);
  });

  it('treats a non-envelope answer (HTML from a proxy) as an API error with the HTTP status', async () => {
    const proxy = http.createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(`<html>Bad gateway for /bot${TOKEN}/getMe</html>`);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const c = new ZaloBotClient({ token: TOKEN, apiBase: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
    const err = await caught(c.getMe());
    proxy.close();
    expect(err).toMatchObject({ name: 'ZaloApiError', errorCode: 502, status: 502 });
    expect(everyRendering(err)).not.toContain(secretPart);
  });

  it('redactToken covers the raw, URL-encoded and path forms', () => {
    expect(redactToken(`a ${TOKEN} b`, TOKEN)).toBe('a <redacted> b');
    expect(redactToken(`/bot${encodeURIComponent(TOKEN)}/x`, TOKEN)).toBe('/bot<redacted>/x');
    expect(redactToken('GET /bot123:abc-def/getMe')).toBe('GET /bot<redacted>/getMe');
  });
});
