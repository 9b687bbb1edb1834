import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/domain/staff.ts';
import { type Announcements, createAnnouncements } from '../../src/services/announcements/index.ts';
import { AnnouncementStore } from '../../src/storage/announcement-store.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { insertDossier } from '../../src/storage/dossier-store.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { type FakeZaloServer, startFakeZaloServer } from '../fakes/zalo-server.ts';
import { silent, telegramSender, type TimedSender, until, zaloSender } from './send-helpers.ts';

const ADMIN: StaffUser = { id: 1, username: 'quantri', displayName: 'Quản trị viên', role: 'admin', telegramId: null, active: true };

/**
 * Sending announcements on the fake Telegram and Zalo servers, through the channels' real senders and pg-boss
 * (over DATABASE_URL on the server, over our Db on PGlite): the audience, 429 retry_after, a blocked user, an
 * opt-out during a send, and a worker stopped mid-send with a new one resuming on the same database.
 */
describe('announcements: sending', () => {
  let t: TestDb;
  let tg: FakeTelegram;
  let zl: FakeZaloServer;
  let store: AnnouncementStore;
  const running: Announcements[] = [];

  beforeAll(async () => {
    t = await openTestDb();
    tg = await startFakeTelegram();
    zl = await startFakeZaloServer();
    store = new AnnouncementStore(t.db);
  });
  // a worker left running would take the next test's jobs (safe, but not what the test watches)
  afterEach(async () => {
    for (const a of running.splice(0)) await a.stop().catch(() => {});
  });
  afterAll(async () => {
    await tg?.close();
    await zl?.close();
    await t?.cleanup();
  });

  function start(senders: { telegram?: TimedSender; zalo?: TimedSender }, limits = {}): Announcements {
    const a = createAnnouncements({ db: t.db, senders, logger: silent, databaseUrl: t.url, limits, retry: { baseBackoffMs: 200, zaloQuotaBackoffMs: 500 } });
    running.push(a);
    return a;
  }
  /** Each test's audience is its own: everyone opted in by an earlier test opts out. */
  const nobodySubscribed = () => t.db.query(`UPDATE subscriptions SET subscribed = false`);
  const optIn = (channel: 'telegram' | 'zalo', chatId: string) => store.setSubscribed({ conversationId: `${channel}:${chatId}`, channel, chatId }, true);
  const done = (a: Announcements, id: number) => until(`announcement ${id} sent`, async () => (await a.service.get(id))!.status === 'sent');
  const sentTo = (chatId: string) => tg.sent.filter((c) => c.method === 'sendMessage' && c.status === 200 && String(c.payload.chat_id) === chatId);

  it('only opted-in citizens of the chosen channels receive it, once each, with the exact previewed message', async () => {
    await optIn('telegram', '101');
    await optIn('telegram', '102');
    await store.setSubscribed({ conversationId: 'telegram:102', channel: 'telegram', chatId: '102' }, false); // opted out
    await store.markOffered({ conversationId: 'telegram:103', channel: 'telegram', chatId: '103' }); // offered, never said yes
    await optIn('zalo', 'z101');
    const tgs = telegramSender(tg);
    const zls = zaloSender(zl);
    const a = start({ telegram: tgs, zalo: zls });
    await a.start();
    const id = await a.service.create({ text: 'Từ 01/01 xã nhận hồ sơ khai sinh trực tuyến toàn trình.', link: 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html', channels: ['telegram', 'zalo'], procedureCode: null }, ADMIN);
    expect((await a.service.get(id))!.audience).toBe(2);
    const preview = (await a.service.preview(id))!;
    const r = await a.service.send(id, ADMIN);
    expect(r).toEqual({ ok: true, recipients: 2, scheduledAt: null });
    await done(a, id);
    expect(await a.service.get(id)).toMatchObject({ progress: { recipients: 2, sent: 2, failed: 0, pending: 0 } });
    expect(tgs.attempts.map((x) => x.chatId)).toEqual(['101']);
    expect(zls.attempts.map((x) => x.chatId)).toEqual(['z101']);
    // what the platforms got is what the preview showed
    const tgPreview = preview.channels.find((c) => c.channel === 'telegram')!;
    const [call] = sentTo('101');
    expect(call!.payload.text).toBe(tgPreview.messages[0]!.text);
    expect(tgPreview.messages[0]!.text).toMatch(/^THÔNG BÁO\n\nTừ 01\/01 xã nhận hồ sơ/);
    expect(tgPreview.messages[0]!.buttons).toEqual([{ text: 'Xem chi tiết', url: 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html' }]);
    expect(JSON.stringify(call!.payload.reply_markup)).toContain('Xem chi tiết');
    const zlPreview = preview.channels.find((c) => c.channel === 'zalo')!;
    expect(zl.sent.map((s) => s.text)).toEqual(zlPreview.messages.map((m) => m.text));
    expect(zlPreview.messages[0]!.text).toContain('Xem chi tiết: https://dichvucong.gov.vn/p/home/dvc-trang-chu.html');
    // sending twice adds nobody
    expect(await a.service.send(id, ADMIN)).toEqual({ ok: false, reason: 'sent' });
    const audit = (await new AuditLog(t.db).list()).filter((e) => e.target === `announcement:${id}`);
    expect(audit.map((e) => e.action).sort()).toEqual(['announcement.create', 'announcement.send']);
    expect(audit.find((e) => e.action === 'announcement.send')!.details).toMatchObject({ before: { status: 'draft' }, after: { status: 'sending', recipients: 2 } });
    await a.stop();
  });

  it('the audience by procedure: only opted-in citizens with a dossier of that procedure', async () => {
    await nobodySubscribed();
    await optIn('telegram', '201');
    await optIn('telegram', '202');
    await store.setSubscribed({ conversationId: 'telegram:203', channel: 'telegram', chatId: '203' }, false);
    const dossier = (conversationId: string, code: string, procedureCode: string) =>
      insertDossier(t.db, { code, conversationId, channel: 'telegram', chatId: conversationId.slice(9), procedureCode, submittedVia: 'online', feeCharged: false, dueAt: null, guideId: null, createdAt: new Date() });
    await dossier('telegram:201', 'HS-201', '1.001193');
    await dossier('telegram:202', 'HS-202', '1.004194');
    await dossier('telegram:203', 'HS-203', '1.001193'); // has the dossier, but opted out
    const a = start({ telegram: telegramSender(tg) });
    const id = await a.service.create({ text: 'Thay đổi lệ phí đăng ký khai sinh.', link: null, channels: ['telegram'], procedureCode: '1.001193' }, ADMIN);
    expect(await a.service.send(id, ADMIN)).toEqual({ ok: true, recipients: 1, scheduledAt: null });
    await a.start();
    await done(a, id);
    expect(sentTo('201')).toHaveLength(1);
    expect(sentTo('202')).toHaveLength(0);
    expect(sentTo('203')).toHaveLength(0);
    await a.stop();
  });

  it('a 429 is retried after its retry_after; a user who blocked the bot is marked and skipped; an opt-out before the turn is honoured', async () => {
    await nobodySubscribed();
    for (const c of ['301', '302', '303']) await optIn('telegram', c);
    const tgs = telegramSender(tg);
    const a = start({ telegram: tgs }, { telegram: { perSecond: 30, concurrency: 1 } });
    const id = await a.service.create({ text: 'Lịch tiếp dân tháng này.', link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    // delivered in id order (301, 302, 303): the first call (301) gets 403 blocked, the next (302) 429 retry_after 1
    tg.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    tg.failNext('sendMessage', { status: 429, retryAfter: 1 });
    // scheduled, then 303 opts out before the worker reaches them
    await a.service.send(id, ADMIN);
    await store.setSubscribed({ conversationId: 'telegram:303', channel: 'telegram', chatId: '303' }, false);
    await a.start();
    await done(a, id);
    const view = (await a.service.get(id))!;
    expect(view.progress).toMatchObject({ recipients: 3, sent: 1, blocked: 1, skipped: 1, failed: 0, pending: 0, sending: 0 });
    const tries302 = tgs.attempts.filter((x) => x.chatId === '302');
    expect(tries302.map((x) => x.ok)).toEqual([false, true]);
    expect(tries302[1]!.at - tries302[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(sentTo('302')).toHaveLength(1);
    expect(tgs.attempts.filter((x) => x.chatId === '301').map((x) => x.ok)).toEqual([false]);
    expect(tgs.attempts.filter((x) => x.chatId === '303')).toHaveLength(0);
    expect(await store.subscription('telegram:301')).toMatchObject({ subscribed: true, blocked: true });
    // the blocked user is not in the next audience
    const next = await a.service.create({ text: 'Thông báo tiếp theo.', link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    const audienceChats = (await t.db.query<{ chat_id: string }>(`SELECT chat_id FROM subscriptions WHERE subscribed AND NOT blocked AND channel = 'telegram'`)).map((r) => r.chat_id);
    expect(audienceChats).not.toContain('301');
    expect((await a.service.get(next))!.audience).toBe(audienceChats.length);
    await a.stop();
  });

  it('Zalo: a 429 "Quota exceeded" (no retry_after documented) waits and is retried; a 400 fails without retrying', async () => {
    await nobodySubscribed();
    await optIn('zalo', 'z401');
    await optIn('zalo', 'z402');
    const zls = zaloSender(zl);
    const a = start({ zalo: zls }, { zalo: { perSecond: 5, concurrency: 1 } });
    const id = await a.service.create({ text: 'Thông báo trên Zalo.', link: null, channels: ['zalo'], procedureCode: null }, ADMIN);
    // in id order: z401 gets a 400 (failed, not retried), z402 a 429 and then its retry goes through
    zl.failNext('sendMessage', { errorCode: 400, description: 'chat_id is invalid' });
    zl.failNext('sendMessage', 429);
    await a.service.send(id, ADMIN);
    await a.start();
    await done(a, id);
    expect((await a.service.get(id))!.progress).toMatchObject({ recipients: 2, sent: 1, failed: 1, pending: 0 });
    const second = zls.attempts.filter((x) => x.chatId === 'z402');
    expect(second.map((x) => x.ok)).toEqual([false, true]);
    expect(second[1]!.at - second[0]!.at).toBeGreaterThanOrEqual(500); // the test's zaloQuotaBackoffMs
    expect(zls.attempts.filter((x) => x.chatId === 'z401').map((x) => x.ok)).toEqual([false]);
  });

  it('nothing is claimed while a send waits its turn: a process killed then leaves only the sends in flight', async () => {
    await nobodySubscribed();
    for (const c of ['701', '702', '703']) await optIn('telegram', c);
    const tgs = telegramSender(tg);
    const a = start({ telegram: tgs }, { telegram: { perSecond: 0.5, concurrency: 1 } });
    const id = await a.service.create({ text: 'Chậm rãi.', link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    await a.service.send(id, ADMIN);
    await a.start();
    await until('the first sent', async () => sentTo('701').length === 1);
    // the next turn is two seconds away: in between, no delivery is held as claimed
    await new Promise((r) => setTimeout(r, 700));
    expect((await a.service.get(id))!.progress).toMatchObject({ sent: 1, sending: 0, pending: 2 });
    await a.stop();
  });

  it('after a killed process, the announcement finishes once its claims time out, without another restart', async () => {
    await nobodySubscribed();
    for (const c of ['801', '802']) await optIn('telegram', c);
    const tgs = telegramSender(tg);
    const a = createAnnouncements({ db: t.db, senders: { telegram: tgs }, logger: silent, databaseUrl: t.url, claimTimeoutMs: 1_500 });
    running.push(a);
    const id = await a.service.create({ text: 'Sau khi khởi động lại.', link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    await a.service.send(id, ADMIN);
    // a process claimed 801 a moment ago and died: too recent to count as interrupted when this one starts
    expect((await store.claim(id, 'telegram'))!.chatId).toBe('801');
    await a.start();
    await done(a, id);
    expect((await a.service.get(id))!.progress).toMatchObject({ recipients: 2, sent: 1, failed: 1, pending: 0, sending: 0 });
    expect(tgs.attempts.map((x) => x.chatId)).toEqual(['802']);
    await a.stop();
  });

  it('a claim a killed process left unanswered is never sent again (at most once), the others are', async () => {
    await nobodySubscribed();
    for (const c of ['601', '602']) await optIn('telegram', c);
    const tgs = telegramSender(tg);
    const a = createAnnouncements({ db: t.db, senders: { telegram: tgs }, logger: silent, databaseUrl: t.url, claimTimeoutMs: 0 });
    running.push(a);
    const id = await a.service.create({ text: 'Sau một lần dừng đột ngột.', link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    await a.service.send(id, ADMIN);
    // a process claimed 601 and died before Telegram answered: whether it arrived is unknown
    expect((await store.claim(id, 'telegram'))!.chatId).toBe('601');
    await a.start();
    await done(a, id);
    expect((await a.service.get(id))!.progress).toMatchObject({ recipients: 2, sent: 1, failed: 1, pending: 0, sending: 0 });
    expect(tgs.attempts.map((x) => x.chatId)).toEqual(['602']);
  });

  it('a worker stopped mid-send and a new one on the same database: everyone gets it, nobody twice, the rate held', async () => {
    await nobodySubscribed();
    const chats = Array.from({ length: 40 }, (_, i) => String(5000 + i));
    for (const c of chats) await optIn('telegram', c);
    const first = telegramSender(tg);
    const a1 = start({ telegram: first });
    const id = await a1.service.create({ text: 'Thông báo cho 40 người.', link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    let stopping: Promise<void> | null = null;
    first.onSent = (n) => {
      if (n === 12 && !stopping) stopping = a1.stop();
    };
    await a1.start();
    await a1.service.send(id, ADMIN);
    await until('the first worker to stop', () => stopping !== null);
    await stopping;
    const afterStop = (await a1.service.get(id))!;
    expect(afterStop.status).toBe('sending');
    expect(afterStop.progress.sent).toBeGreaterThanOrEqual(12);
    expect(afterStop.progress.sent).toBeLessThan(40);
    expect(afterStop.progress.sending).toBe(0);
    const second = telegramSender(tg);
    const a2 = start({ telegram: second });
    await a2.start(); // resumes the unfinished announcement
    await done(a2, id);
    expect((await a2.service.get(id))!.progress).toMatchObject({ recipients: 40, sent: 40, failed: 0, pending: 0 });
    for (const c of chats) expect(sentTo(c), c).toHaveLength(1);
    expect(first.attempts.length + second.attempts.length).toBe(40);
    // never more than 30 starts in any second, per worker
    for (const s of [first, second]) {
      const at = s.attempts.map((x) => x.at);
      for (let i = 30; i < at.length; i++) expect(at[i]! - at[i - 30]!).toBeGreaterThanOrEqual(990);
    }
    await a2.stop();
  });
});
