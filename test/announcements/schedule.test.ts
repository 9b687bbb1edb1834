import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/domain/staff.ts';
import { type Announcements, createAnnouncements, DeliveryWorker } from '../../src/services/announcements/index.ts';
import { SEND_QUEUE } from '../../src/services/announcements/queue.ts';
import { AnnouncementStore } from '../../src/storage/announcement-store.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { silent, telegramSender, type TimedSender, until } from './send-helpers.ts';

const ADMIN: StaffUser = { id: 1, username: 'quantri', displayName: 'Quản trị viên', role: 'admin', telegramId: null, active: true };
/** How far ahead these tests schedule: sending follows the database's clock, so they wait this long (no fake clock there). */
const AHEAD_MS = 2_000;

/**
 * Scheduled announcements on pg-boss and the fake Telegram server: nothing is sent before the chosen time (each
 * send's start is checked against it), everyone after; an opt-out before the time is honoured and an opt-in before
 * it is added; a cancellation before the time sends nothing; a restart before the time (the queue stopped, a new
 * one on the same database) still sends at the time and not before.
 */
describe('announcements: scheduled sends', () => {
  let t: TestDb;
  let tg: FakeTelegram;
  let store: AnnouncementStore;
  const running: Announcements[] = [];

  beforeAll(async () => {
    t = await openTestDb();
    tg = await startFakeTelegram();
    store = new AnnouncementStore(t.db);
  });
  afterEach(async () => {
    for (const a of running.splice(0)) await a.stop().catch(() => {});
  });
  afterAll(async () => {
    await tg?.close();
    await t?.cleanup();
  });

  function start(sender: TimedSender): Announcements {
    const a = createAnnouncements({ db: t.db, senders: { telegram: sender }, logger: silent, databaseUrl: t.url });
    running.push(a);
    return a;
  }
  const nobodySubscribed = () => t.db.query(`UPDATE subscriptions SET subscribed = false`);
  const optIn = (chatId: string, yes = true) => store.setSubscribed({ conversationId: `telegram:${chatId}`, channel: 'telegram', chatId }, yes);
  const sentTo = (chatId: string) => tg.sent.filter((c) => c.method === 'sendMessage' && c.status === 200 && String(c.payload.chat_id) === chatId);
  /** Opts in exactly `chats`, starts a queue, and schedules an announcement to them AHEAD_MS from now. */
  async function scheduleSoon(chats: string[], text: string) {
    await nobodySubscribed();
    for (const c of chats) await optIn(c);
    const sender = telegramSender(tg);
    const a = start(sender);
    await a.start();
    const id = await a.service.create({ text, link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    const at = new Date(Date.now() + AHEAD_MS);
    const sent = await a.service.send(id, ADMIN, at);
    return { a, sender, id, at, sent };
  }
  /** pg-boss's jobs for an announcement, as its table holds them. */
  const jobs = (id: number) =>
    t.db.query<{ state: string; start_after: unknown }>(`SELECT state, start_after FROM pgboss.job WHERE name = $1 AND data->>'announcementId' = $2`, [SEND_QUEUE, String(id)]);

  it('nothing is sent before the time and everyone after; an opt-out before it is honoured, an opt-in before it is added', async () => {
    const { a, sender, id, at, sent } = await scheduleSoon(['101', '102', '103'], 'Sáng thứ Hai, Trung tâm tiếp nhận hồ sơ từ 7 giờ 30.');
    expect(sent).toEqual({ ok: true, recipients: 3, scheduledAt: at.toISOString() });

    const scheduled = (await a.service.get(id))!;
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledAt: at.toISOString(), progress: { recipients: 3, pending: 3, sent: 0 } });
    const due = await t.db.query<{ not_before: unknown }>(`SELECT not_before FROM deliveries WHERE announcement_id = $1`, [id]);
    expect(due.map((d) => new Date(d.not_before as string).getTime())).toEqual([at.getTime(), at.getTime(), at.getTime()]);
    // the job waits in pg-boss's table for the time (no worker holds it)
    expect((await jobs(id)).map((j) => new Date(j.start_after as string).getTime())).toEqual([at.getTime()]);
    // a send job arriving early (none should) starts nothing
    expect(await new DeliveryWorker({ store, senders: { telegram: sender }, logger: silent }).run(id)).toBe(false);
    expect((await a.service.get(id))!.status).toBe('scheduled');

    // before the time: 102 opts out, 104 opts in
    await optIn('102', false);
    await optIn('104');
    expect((await a.service.get(id))!.audience).toBe(3);

    await until(`announcement ${id} sent`, async () => (await a.service.get(id))!.status === 'sent');
    expect(sender.attempts.length).toBeGreaterThan(0);
    for (const x of sender.attempts) expect(x.at, `send to ${x.chatId}`).toBeGreaterThanOrEqual(at.getTime());
    expect(sender.attempts.map((x) => x.chatId).sort()).toEqual(['101', '103', '104']);
    for (const c of ['101', '103', '104']) expect(sentTo(c), c).toHaveLength(1);
    expect(sentTo('102')).toHaveLength(0);
    expect((await a.service.get(id))!.progress).toMatchObject({ recipients: 4, sent: 3, skipped: 1, pending: 0, sending: 0 });
    const audit = (await new AuditLog(t.db).list()).find((e) => e.target === `announcement:${id}` && e.action === 'announcement.send')!;
    expect(audit.details).toMatchObject({ before: { status: 'draft' }, after: { status: 'scheduled', recipients: 3, scheduledAt: at.toISOString() } });
  });

  it('cancelled before the time, nothing is sent when the time comes; once it has started it cannot be cancelled', async () => {
    const { a, sender, id, at } = await scheduleSoon(['201', '202'], 'Thông báo sẽ được hủy.');
    expect(await a.service.cancel(id, ADMIN)).toEqual({ ok: true, removed: 2 });
    expect(await a.service.cancel(id, ADMIN)).toEqual({ ok: false, reason: 'cancelled' });
    expect(await a.service.send(id, ADMIN)).toEqual({ ok: false, reason: 'cancelled' });
    // the job still comes at the time and finds nothing to send
    await until('the job of the cancelled announcement to run', async () => (await jobs(id)).some((j) => j.state === 'completed'));
    expect(sender.attempts).toEqual([]);
    expect(sentTo('201')).toHaveLength(0);
    expect(sentTo('202')).toHaveLength(0);
    expect(await a.service.get(id)).toMatchObject({ status: 'cancelled', progress: { recipients: 0 } });
    const audit = (await new AuditLog(t.db).list()).find((e) => e.target === `announcement:${id}` && e.action === 'announcement.cancel')!;
    expect(audit).toMatchObject({
      username: 'quantri',
      details: { before: { status: 'scheduled', scheduledAt: at.toISOString(), recipients: 2 }, after: { status: 'cancelled', recipients: 0 } },
    });

    // a time within the minute's slack is due at once: it starts, and then cancelling is refused
    const late = await a.service.create({ text: 'Thông báo hẹn đúng lúc này.', link: null, channels: ['telegram'], procedureCode: null }, ADMIN);
    await a.service.send(late, ADMIN, new Date(Date.now() - 30_000));
    await until(`announcement ${late} sent`, async () => (await a.service.get(late))!.status === 'sent');
    expect(await a.service.cancel(late, ADMIN)).toEqual({ ok: false, reason: 'sent' });
    expect(sentTo('201')).toHaveLength(1);
  });

  it('a restart before the time (the queue stopped, a new one on the same database) sends at the time, not before, once each', async () => {
    const chats = ['301', '302', '303', '304'];
    const { a: a1, sender: first, id, at } = await scheduleSoon(chats, 'Thông báo hẹn giờ qua một lần khởi động lại.');
    await a1.stop();
    const second = telegramSender(tg);
    const a2 = start(second);
    await a2.start(); // queues the scheduled announcement again, for its time
    expect((await jobs(id)).every((j) => new Date(j.start_after as string).getTime() === at.getTime())).toBe(true);
    await until(`announcement ${id} sent`, async () => (await a2.service.get(id))!.status === 'sent');
    expect(first.attempts).toEqual([]);
    for (const x of second.attempts) expect(x.at, `send to ${x.chatId}`).toBeGreaterThanOrEqual(at.getTime());
    expect(second.attempts.map((x) => x.chatId).sort()).toEqual(chats);
    for (const c of chats) expect(sentTo(c), c).toHaveLength(1);
    expect((await a2.service.get(id))!.progress).toMatchObject({ recipients: 4, sent: 4, failed: 0, pending: 0 });
  });
});
