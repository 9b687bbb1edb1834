import { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel, type TelegramChannelDeps } from '../../../src/channels/telegram/index.ts';
import { callbackUpdate, startFakeTelegram, stickerUpdate, textUpdate, type FakeTelegram } from '../../fakes/telegram-server.ts';
import { captureLogger, RecordingSink } from './helpers.ts';

let fake: FakeTelegram;
let sink: RecordingSink;
let logs: ReturnType<typeof captureLogger>;
const running: TelegramChannel[] = [];

function polling(deps: Partial<TelegramChannelDeps> = {}, token?: string): TelegramChannel {
  const channel = createTelegramChannel(
    { token: token ?? fake.token, mode: 'polling', webhookSecret: undefined, apiRoot: fake.apiRoot },
    { sink, logger: logs.logger, botInfo: fake.botInfo, polling: { timeoutSeconds: 30, minRetryDelayMs: 20, maxRetryDelayMs: 100 }, ...deps },
  );
  running.push(channel);
  return channel;
}

const getUpdatesCalls = () => fake.calls.filter((c) => c.method === 'getUpdates');
const keys = (events: { updateKey: string }[]) => events.map((e) => Number(e.updateKey));

beforeEach(async () => {
  fake = await startFakeTelegram();
  sink = new RecordingSink();
  logs = captureLogger();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
  await fake.close();
  expect(logs.text()).not.toContain(fake.token);
});

describe('polling against the fake Bot API', () => {
  it('queued and live updates reach the sink once each, in order; all are confirmed on stop', async () => {
    const early = [fake.pushUpdate(textUpdate('một')), fake.pushUpdate(textUpdate('/start')), fake.pushUpdate(stickerUpdate())];
    const channel = polling();
    await channel.start();
    await fake.waitFor(() => sink.events.length === 3);
    const late = [fake.pushUpdate(textUpdate('hai')), fake.pushUpdate(callbackUpdate('proc:1', { queryId: 'q-9' }))];
    await fake.waitFor(() => sink.events.length === 5);
    expect(keys(sink.events)).toEqual([...early, ...late].map((u) => u.update_id));
    expect(sink.events.map((e) => e.kind)).toEqual(['text', 'command', 'unsupported', 'text', 'choice']);
    expect(sink.attempts).toHaveLength(5);
    await fake.waitFor(() => fake.sent.some((c) => c.method === 'answerCallbackQuery' && c.status === 200));
    // The webhook is removed before polling (getUpdates answers 409 while one is set).
    expect(fake.sent.map((c) => c.method)).toContain('deleteWebhook');
    expect(getUpdatesCalls()[0]!.payload).toMatchObject({ allowed_updates: ['message', 'callback_query'], timeout: 30 });
    await channel.stop();
    expect(fake.pending()).toEqual([]);
  });

  it('a failing accept does not lose the update: it is redelivered and retried, order kept', async () => {
    const a = fake.pushUpdate(textUpdate('a'));
    const b = fake.pushUpdate(textUpdate('b'));
    const c = fake.pushUpdate(textUpdate('c'));
    sink.failKeys.add(String(b.update_id));
    const channel = polling();
    await channel.start();
    await fake.waitFor(() => sink.events.length === 3);
    expect(keys(sink.events)).toEqual([a.update_id, b.update_id, c.update_id]);
    // a was confirmed before b failed, so only b (and what follows) came again.
    expect(keys(sink.attempts)).toEqual([a.update_id, b.update_id, b.update_id, c.update_id]);
    // b was asked for again, never skipped.
    const offsets = getUpdatesCalls().map((g) => Number(g.payload.offset));
    expect(offsets.filter((o) => o === b.update_id).length).toBeGreaterThanOrEqual(1);
    expect(offsets.indexOf(b.update_id + 1)).toBe(-1);
    expect(logs.text()).toMatch(/"updateId":\d+.*Telegram polling: update failed/);
  });

  it('accept failing several times in a row: retried until it is stored', async () => {
    sink.failNext(3);
    const u = fake.pushUpdate(callbackUpdate('proc:2', { queryId: 'q-r' }));
    const channel = polling();
    await channel.start();
    await fake.waitFor(() => sink.events.length === 1);
    expect(keys(sink.attempts)).toEqual([u.update_id, u.update_id, u.update_id, u.update_id]);
    // Answered once, after the successful accept.
    await fake.waitFor(() => fake.sent.some((c) => c.method === 'answerCallbackQuery'));
    expect(fake.sent.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
  });

  it('stop() during the back-off of a failing update ends promptly and leaves the update with Telegram', { timeout: 10_000 }, async () => {
    sink.failNext(1_000);
    const u = fake.pushUpdate(textUpdate('sẽ được xử lý sau khi khởi động lại'));
    const channel = polling({ polling: { timeoutSeconds: 30, minRetryDelayMs: 60_000, maxRetryDelayMs: 60_000 } });
    await channel.start();
    await fake.waitFor(() => sink.attempts.length === 1);
    await channel.stop();
    expect(fake.pending().map((p) => p.update_id)).toEqual([u.update_id]);

    // After a restart the update is delivered again and stored.
    const fresh = new RecordingSink();
    sink = fresh;
    const again = polling();
    await again.start();
    await fake.waitFor(() => fresh.events.length === 1);
    expect(fresh.events[0]).toMatchObject({ updateKey: String(u.update_id), text: 'sẽ được xử lý sau khi khởi động lại' });
  });

  it('stop() while a 30-second long poll is pending ends promptly; nothing is fetched afterwards', { timeout: 10_000 }, async () => {
    const channel = polling();
    await channel.start();
    await fake.waitFor(() => getUpdatesCalls().some((g) => Number(g.payload.timeout) === 30 && g.status === 0));
    await channel.stop();
    const calls = getUpdatesCalls().length;
    fake.pushUpdate(textUpdate('sau khi dừng'));
    await new Promise((r) => setTimeout(r, 100));
    expect(getUpdatesCalls()).toHaveLength(calls);
    expect(sink.attempts).toEqual([]);
    await channel.stop(); // idempotent
  });

  it('getUpdates failing (502) then rate-limited (429): auto-retry waits and the loop carries on', async () => {
    fake.failNext('getUpdates', { status: 502, description: 'Bad Gateway' });
    fake.failNext('getUpdates', { status: 429, retryAfter: 1 });
    fake.pushUpdate(textUpdate('một'));
    const channel = polling();
    await channel.start();
    await fake.waitFor(() => sink.events.length === 1);
    fake.pushUpdate(textUpdate('hai'));
    await fake.waitFor(() => sink.events.length === 2);
    expect(sink.events.map((e) => e.text)).toEqual(['một', 'hai']);
    expect(getUpdatesCalls().slice(0, 3).map((g) => g.status)).toEqual([502, 429, 200]);
  });

  it('a webhook left set is deleted first, then updates flow', async () => {
    await fetch(`${fake.apiRoot}/bot${fake.token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://old.example.vn/webhooks/telegram' }),
    });
    expect(fake.webhook).not.toBeNull();
    fake.pushUpdate(textUpdate('xin chào'));
    const channel = polling();
    await channel.start();
    await fake.waitFor(() => sink.events.length === 1);
    expect(fake.webhook).toBeNull();
  });

  it('without botInfo: getMe at start, and a command addressed with @botname is still recognised', async () => {
    fake.pushUpdate(textUpdate(`/menu@${fake.botInfo.username}`));
    const channel = polling({ botInfo: undefined });
    await channel.start();
    await fake.waitFor(() => sink.events.length === 1);
    expect(fake.sent.map((c) => c.method)).toContain('getMe');
    expect(sink.events[0]).toMatchObject({ kind: 'command', command: 'menu' });
  });

  it('a rejected token (401) stops the loop with an error log, without the token', async () => {
    const channel = polling({ botInfo: undefined }, '999:REVOKED-token_xyz');
    await channel.start();
    await fake.waitFor(() => logs.text().includes('token was rejected'));
    await channel.stop();
    expect(logs.text()).not.toContain('REVOKED-token_xyz');
  });

  it("why not bot.start(): grammY's own polling confirms an update whose handler threw (it is lost)", async () => {
    const a = fake.pushUpdate(textUpdate('a'));
    const b = fake.pushUpdate(textUpdate('b'));
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.botInfo });
    const handled: number[] = [];
    bot.use(async (ctx) => {
      if (ctx.update.update_id === a.update_id && !handled.includes(-1)) {
        handled.push(-1);
        throw new Error('database unavailable');
      }
      handled.push(ctx.update.update_id);
    });
    bot.catch(() => {});
    const run = bot.start({ timeout: 30 });
    await fake.waitFor(() => handled.includes(b.update_id));
    await fake.waitFor(() => getUpdatesCalls().some((g) => Number(g.payload.offset) === b.update_id + 1));
    await bot.stop();
    await run;
    expect(handled).toEqual([-1, b.update_id]); // a was never handled…
    expect(fake.pending()).toEqual([]); // …and Telegram no longer has it
  });
});
