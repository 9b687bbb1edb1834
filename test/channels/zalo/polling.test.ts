import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ZaloBotClient } from '../../../src/channels/zalo/client.ts';
import { ZaloPolling } from '../../../src/channels/zalo/polling.ts';
import type { AcceptResult, EventSink, InboundEvent } from '../../../src/channels/types.ts';
import { startFakeZaloServer, zaloTextUpdate, type FakeZaloServer } from '../../fakes/zalo-server.ts';

/** Records accepted events in order; `failTimes` makes the next N accepts throw (database down). */
class RecordingSink implements EventSink {
  readonly events: InboundEvent[] = [];
  readonly attempts: string[] = [];
  failTimes = 0;
  async accept(event: InboundEvent): Promise<AcceptResult> {
    this.attempts.push(event.updateKey);
    if (this.failTimes > 0) {
      this.failTimes--;
      throw new Error('database unavailable');
    }
    this.events.push(event);
    return 'accepted';
  }
}

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  );
  return { logger, lines };
}

let fake: FakeZaloServer;
let polling: ZaloPolling | undefined;
beforeEach(async () => {
  fake = await startFakeZaloServer();
});
afterEach(async () => {
  await polling?.stop();
  polling = undefined;
  await fake.close();
});

function startPolling(sink: EventSink, extra: Partial<ConstructorParameters<typeof ZaloPolling>[0]> = {}) {
  const { logger, lines } = capturingLogger();
  polling = new ZaloPolling({
    client: new ZaloBotClient({ token: fake.token, apiBase: fake.url }),
    sink,
    logger,
    pollTimeoutSec: 1,
    backoff: { initialMs: 10, maxMs: 50 },
    ...extra,
  });
  return { polling, lines };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `${String(i + 1).padStart(2, '0')}`.padStart(20, 'a'));

describe('ZaloPolling against the fake Zalo server', () => {
  it('delivers updates to the sink in order, queued before and pushed during the long poll', async () => {
    const sink = new RecordingSink();
    const keys = ids(5);
    fake.pushUpdate(zaloTextUpdate('một', { messageId: keys[0] }));
    fake.pushUpdate(zaloTextUpdate('hai', { messageId: keys[1] }));
    const { polling: p } = startPolling(sink);
    await p.start();
    await vi.waitFor(() => expect(sink.events).toHaveLength(2), { timeout: 10_000 });
    fake.pushUpdate(zaloTextUpdate('ba', { messageId: keys[2] }));
    fake.pushUpdate(zaloTextUpdate('/start', { messageId: keys[3] }));
    fake.pushUpdate(zaloTextUpdate('2', { messageId: keys[4] }));
    await vi.waitFor(() => expect(sink.events).toHaveLength(5), { timeout: 10_000 });
    expect(sink.events.map((e) => e.text)).toEqual(['một', 'hai', 'ba', '/start', '2']);
    expect(sink.events.map((e) => e.kind)).toEqual(['text', 'text', 'text', 'command', 'text']);
    expect(sink.events.map((e) => e.updateKey)).toEqual(keys.map((k) => `message.text.received:${k}`));
  });

  it('keeps polling through the 408 "no message" answers', async () => {
    const sink = new RecordingSink();
    const { polling: p } = startPolling(sink);
    await p.start();
    await vi.waitFor(() => expect(fake.calls.filter((c) => c.method === 'getUpdates').length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    fake.pushUpdate(zaloTextUpdate('sau một lúc'));
    await vi.waitFor(() => expect(sink.events).toHaveLength(1), { timeout: 10_000 });
    expect(fake.calls.every((c) => c.method !== 'getUpdates' || c.body.timeout === '1')).toBe(true);
  });

  it('retries the same update when the sink fails, losing nothing and keeping order', async () => {
    const sink = new RecordingSink();
    sink.failTimes = 3;
    const [a, b] = ids(2);
    fake.pushUpdate(zaloTextUpdate('first', { messageId: a }));
    fake.pushUpdate(zaloTextUpdate('second', { messageId: b }));
    const { polling: p, lines } = startPolling(sink);
    await p.start();
    await vi.waitFor(() => expect(sink.events).toHaveLength(2), { timeout: 10_000 });
    expect(sink.events.map((e) => e.text)).toEqual(['first', 'second']);
    expect(sink.attempts).toEqual([...Array(4).fill(`message.text.received:${a}`), `message.text.received:${b}`]);
    expect(lines.filter((l) => l.includes('not stored, retrying'))).toHaveLength(3);
  });

  it('does not fetch the next update while the current one is not stored', async () => {
    const sink = new RecordingSink();
    sink.failTimes = 1_000_000;
    fake.pushUpdate(zaloTextUpdate('first', { messageId: 'a'.repeat(20) }));
    fake.pushUpdate(zaloTextUpdate('second', { messageId: 'b'.repeat(20) }));
    const { polling: p } = startPolling(sink);
    await p.start();
    await vi.waitFor(() => expect(sink.attempts.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(new Set(sink.attempts)).toEqual(new Set([`message.text.received:${'a'.repeat(20)}`]));
    expect(fake.pending).toBe(1);
  });

  it('backs off on network and API errors, then recovers', async () => {
    const sink = new RecordingSink();
    fake.failNext('getUpdates', { drop: true });
    fake.failNext('getUpdates', { errorCode: 429, status: 429 });
    fake.failNext('getUpdates', { errorCode: 403 });
    fake.pushUpdate(zaloTextUpdate('vẫn tới'));
    const { polling: p, lines } = startPolling(sink);
    await p.start();
    await vi.waitFor(() => expect(sink.events).toHaveLength(1), { timeout: 10_000 });
    expect(lines.filter((l) => l.includes('getUpdates failed'))).toHaveLength(3);
    expect(lines.join('\n')).not.toContain(fake.token.split(':')[1]!);
  });

  it('skips malformed updates and ignores unknown events without stopping', async () => {
    const sink = new RecordingSink();
    fake.pushUpdate({ event_name: 'message.text.received', message: { text: 'no ids' } });
    fake.pushUpdate({ event_name: 'bot.something.new' });
    fake.pushUpdate(zaloTextUpdate('ok'));
    const { polling: p, lines } = startPolling(sink);
    await p.start();
    await vi.waitFor(() => expect(sink.events).toHaveLength(1), { timeout: 10_000 });
    expect(lines.some((l) => l.includes('malformed update skipped'))).toBe(true);
    expect(lines.join('\n')).not.toContain('no ids'); // no message content in logs
  });

  it('runs prepare (deleteWebhook) before polling, retrying it until it succeeds', async () => {
    const sink = new RecordingSink();
    const client = new ZaloBotClient({ token: fake.token, apiBase: fake.url });
    await client.setWebhook('https://xa.example.vn/webhooks/zalo', 'secret-secret');
    fake.failNext('deleteWebhook', { errorCode: 403 });
    fake.pushUpdate(zaloTextUpdate('hi'));
    const { polling: p } = startPolling(sink, { prepare: async () => void (await client.deleteWebhook()) });
    await p.start();
    await vi.waitFor(() => expect(sink.events).toHaveLength(1), { timeout: 10_000 });
    const methods = fake.calls.map((c) => c.method);
    expect(methods.slice(0, 3)).toEqual(['setWebhook', 'deleteWebhook', 'deleteWebhook']);
    expect(methods.indexOf('getUpdates')).toBeGreaterThan(2);
  });

  it('stop() ends a pending long poll and the loop makes no further calls', async () => {
    const sink = new RecordingSink();
    const { polling: p } = startPolling(sink, { pollTimeoutSec: 30 });
    await p.start();
    await vi.waitFor(() => expect(fake.calls.some((c) => c.method === 'getUpdates')).toBe(true), { timeout: 10_000 });
    await p.stop();
    expect(p.running).toBe(false);
    const count = fake.calls.length;
    await vi.waitFor(() => expect(fake.waiting).toBe(0), { timeout: 10_000 }); // the fake saw the poll go
    fake.pushUpdate(zaloTextUpdate('after stop'));
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.length).toBe(count);
    expect(fake.pending).toBe(1); // still queued at Zalo: the aborted poll took nothing
    expect(sink.events).toHaveLength(0);
  });

  it('stop() also ends a back-off (sink down) and says which update was not stored', async () => {
    const sink = new RecordingSink();
    sink.failTimes = 1_000_000;
    fake.pushUpdate(zaloTextUpdate('pending'));
    const { polling: p, lines } = startPolling(sink, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await p.start();
    await vi.waitFor(() => expect(sink.attempts).toHaveLength(1), { timeout: 10_000 });
    await p.stop();
    expect(lines.some((l) => l.includes('Zalo update lost') && l.includes('message.text.received:2d758cb5e222177a4e35'))).toBe(true);
  });
});
