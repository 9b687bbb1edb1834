import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAnnouncementRoutes } from '../../src/admin/announcements-routes.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { routeAccess } from '../../src/server/auth/route-policy.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { type Announcements, createAnnouncements, type SendJobQueue } from '../../src/services/announcements/index.ts';
import { AnnouncementStore } from '../../src/storage/announcement-store.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { type AuthApp, buildAuthApp, signIn, type SignedIn, withSession } from '../accounts/auth-app.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { silent } from './send-helpers.ts';

const PW = 'mat-khau-quan-tri-123';

/** A queue that only records what was queued and for when: these tests look at the API, not at the sending. */
class RecordingQueue implements SendJobQueue {
  queued: number[] = [];
  startAt = new Map<number, Date | null>();
  async start() {}
  async enqueue(id: number, startAt?: Date | null) {
    this.queued.push(id);
    this.startAt.set(id, startAt ?? null);
  }
  async stop() {}
}

describe('announcements: the admin API', () => {
  let t: TestDb;
  let a: AuthApp;
  let ann: Announcements;
  let queue: RecordingQueue;
  let staff: SignedIn;
  let admin: SignedIn;
  /** The clock a chosen send time is checked against; null: the real one. */
  let clock: Date | null = null;

  beforeAll(async () => {
    t = await openTestDb();
    queue = new RecordingQueue();
    ann = createAnnouncements({ db: t.db, senders: {}, logger: silent, queue, now: () => clock ?? new Date() });
    a = await buildAuthApp(t.db, {}, (app) => registerAnnouncementRoutes(app, { service: ann.service, guard: requireRole }));
    const accounts = new Accounts(t.db);
    await accounts.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff', password: PW }, CLI_ACTOR);
    await accounts.add({ username: 'quantri', displayName: 'Quản trị viên', role: 'admin', password: PW }, CLI_ACTOR);
    staff = await signIn(a.app, 'lan', PW);
    admin = await signIn(a.app, 'quantri', PW);
    const store = new AnnouncementStore(t.db);
    for (const c of ['1', '2']) await store.setSubscribed({ conversationId: `telegram:${c}`, channel: 'telegram', chatId: c }, true);
    await store.setSubscribed({ conversationId: 'zalo:z1', channel: 'zalo', chatId: 'z1' }, true);
    await store.setSubscribed({ conversationId: 'telegram:3', channel: 'telegram', chatId: '3' }, false);
  });
  afterAll(async () => {
    await a?.close();
    await t?.cleanup();
  });

  const call = (who: SignedIn | null, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    a.app.inject({
      method,
      url,
      ...(who ? { cookies: withSession(who), headers: method === 'GET' ? {} : { 'x-csrf-token': who.csrfToken } } : {}),
      ...(method === 'GET' ? {} : { payload: (payload ?? {}) as object }),
    });
  const BODY = { text: 'Xã nhận hồ sơ đăng ký khai sinh trực tuyến toàn trình từ tháng sau.', link: 'https://dichvucong.gov.vn/', channels: ['telegram', 'zalo'] };

  it('the routes are admin-only in the route policy (the route matrix covers them once wired)', () => {
    for (const url of ['/api/admin/announcements', '/api/admin/announcements/1', '/api/admin/announcements/1/preview', '/api/admin/announcements/1/send', '/api/admin/announcements/1/cancel']) {
      expect(routeAccess('GET', url)).toBe('admin');
    }
    expect(a.app.printRoutes()).toContain('announcements');
  });

  it('401 without a session, 403 for staff (nothing created or sent), CSRF on changes', async () => {
    const id = (await call(admin, 'POST', '/api/admin/announcements', BODY)).json().id as number;
    const routes: Array<['GET' | 'POST', string, unknown?]> = [
      ['GET', '/api/admin/announcements'],
      ['POST', '/api/admin/announcements', BODY],
      ['GET', `/api/admin/announcements/${id}`],
      ['GET', `/api/admin/announcements/${id}/preview`],
      ['POST', `/api/admin/announcements/${id}/send`],
      ['POST', `/api/admin/announcements/${id}/send`, { at: '2030-01-05T08:00:00+07:00' }],
      ['POST', `/api/admin/announcements/${id}/cancel`],
    ];
    for (const [method, url, body] of routes) {
      const anon = await call(null, method, url, body);
      expect(anon.statusCode, `anonymous ${method} ${url}`).toBe(401);
      expect(anon.json()).toMatchObject({ ok: false, code: 'unauthorized' });
      const s = await call(staff, method, url, body);
      expect(s.statusCode, `staff ${method} ${url}`).toBe(403);
      expect(s.json()).toMatchObject({ ok: false, code: 'forbidden', error: 'Bạn không có quyền thực hiện thao tác này.' });
    }
    expect(queue.queued).not.toContain(id);
    expect((await ann.service.get(id))!.status).toBe('draft');
    const noCsrf = await a.app.inject({ method: 'POST', url: `/api/admin/announcements/${id}/send`, cookies: withSession(admin), payload: {} });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf');
    expect((await ann.service.get(id))!.status).toBe('draft');
  });

  it('validates in Vietnamese: text required and at most 1,500 characters, https links only, a channel', async () => {
    const bad = async (body: unknown) => {
      const r = await call(admin, 'POST', '/api/admin/announcements', body);
      expect(r.statusCode).toBe(400);
      return r.json() as { code: string; error: string; fields: Record<string, string> };
    };
    expect((await bad({ ...BODY, text: '   ' })).fields.text).toBe('Vui lòng nhập nội dung thông báo.');
    expect((await bad({ ...BODY, text: 'a'.repeat(1501) })).fields.text).toBe('Nội dung thông báo tối đa 1.500 ký tự.');
    expect((await bad({ ...BODY, link: 'http://dichvucong.gov.vn/' })).fields.link).toBe('Đường link phải bắt đầu bằng https:// và là một địa chỉ hợp lệ.');
    expect((await bad({ ...BODY, link: 'javascript:alert(1)' })).fields.link).toContain('https://');
    expect((await bad({ ...BODY, channels: [] })).fields.channels).toBe('Chọn ít nhất một kênh gửi: Telegram hoặc Zalo.');
    expect((await bad({ ...BODY, channels: ['web'] })).fields.channels).toBe('Chọn ít nhất một kênh gửi: Telegram hoặc Zalo.');
    expect((await bad({ ...BODY, procedureCode: 'x y' })).fields.procedureCode).toContain('Mã thủ tục không hợp lệ');
    expect(await bad([])).toMatchObject({ code: 'bad_request', error: 'Nội dung thông báo chưa hợp lệ.' });
    const ok = await call(admin, 'POST', '/api/admin/announcements', { ...BODY, text: 'b'.repeat(1500) });
    expect(ok.statusCode).toBe(201);
  });

  it('creates a draft, previews it per channel as the renderers send it, sends it once, reports progress; all audited', async () => {
    const created = await call(admin, 'POST', '/api/admin/announcements', BODY);
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: number };
    const draft = (await call(admin, 'GET', `/api/admin/announcements/${id}`)).json();
    expect(draft).toMatchObject({ ok: true, status: 'draft', audience: 3, recipients: 0, sent: 0, failed: 0, pending: 0 });
    const preview = (await call(admin, 'GET', `/api/admin/announcements/${id}/preview`)).json();
    expect(preview.channels).toEqual([
      {
        channel: 'telegram',
        messages: [{ method: 'sendMessage', text: `THÔNG BÁO\n\n${BODY.text}\n\nNhắn /huy để ngừng nhận thông báo.`, buttons: [{ text: 'Xem chi tiết', url: 'https://dichvucong.gov.vn/' }] }],
      },
      { channel: 'zalo', messages: [{ type: 'text', text: `THÔNG BÁO\n\n${BODY.text}\n\nNhắn /huy để ngừng nhận thông báo.\nXem chi tiết: https://dichvucong.gov.vn/` }] },
    ]);
    const sent = await call(admin, 'POST', `/api/admin/announcements/${id}/send`);
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toMatchObject({ ok: true, recipients: 3 });
    expect(queue.queued).toContain(id);
    expect((await call(admin, 'GET', `/api/admin/announcements/${id}`)).json()).toMatchObject({ status: 'sending', recipients: 3, sent: 0, failed: 0, pending: 3 });
    const again = await call(admin, 'POST', `/api/admin/announcements/${id}/send`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ok: false, code: 'conflict', error: 'Thông báo này đã được gửi; không gửi lại lần nữa.' });
    expect((await call(admin, 'GET', '/api/admin/announcements/99999')).json()).toMatchObject({ code: 'not_found', error: 'Không tìm thấy thông báo này.' });
    expect((await call(admin, 'GET', '/api/admin/announcements/abc')).json()).toMatchObject({ code: 'bad_request', error: 'Mã thông báo không hợp lệ.' });
    const list = (await call(admin, 'GET', '/api/admin/announcements')).json().announcements as Array<{ id: number }>;
    expect(list[0]!.id).toBe(id);
    const audit = (await new AuditLog(t.db).list()).filter((e) => e.target === `announcement:${id}`);
    expect(audit.find((e) => e.action === 'announcement.create')).toMatchObject({ username: 'quantri', details: { before: null, after: { text: BODY.text, channels: ['telegram', 'zalo'], status: 'draft' } } });
    expect(audit.find((e) => e.action === 'announcement.send')).toMatchObject({ username: 'quantri', details: { after: { recipients: 3 } } });
  });

  it('schedules with {at}: a wrong time is refused in Vietnamese under fields.at, a good one answers 202 with scheduledAt', async () => {
    clock = new Date('2027-01-04T17:00:00Z'); // 00:00 on 5 January 2027 in Vietnam
    try {
      const { id } = (await call(admin, 'POST', '/api/admin/announcements', BODY)).json() as { id: number };
      const bad = async (at: unknown) => {
        const r = await call(admin, 'POST', `/api/admin/announcements/${id}/send`, { at });
        expect(r.statusCode, JSON.stringify(at)).toBe(400);
        const body = r.json() as { ok: boolean; code: string; error: string; fields: Record<string, string> };
        expect(body).toMatchObject({ ok: false, code: 'bad_request' });
        expect(body.error).toBe(body.fields.at);
        return body.fields.at;
      };
      expect(await bad('')).toBe('Vui lòng chọn ngày và giờ gửi.');
      const format = 'Thời điểm gửi chưa hợp lệ: cần ngày giờ kèm múi giờ, ví dụ 2027-01-05T08:00:00+07:00.';
      expect(await bad('2027-01-05T08:00:00')).toBe(format); // no offset: which 8 o'clock?
      expect(await bad('05/01/2027 08:00')).toBe(format);
      expect(await bad('2027-02-30T08:00:00+07:00')).toBe(format);
      expect(await bad(1799110800000)).toBe(format);
      expect(await bad('2027-01-04T23:58:59+07:00')).toBe('Thời điểm hẹn gửi đã qua. Vui lòng chọn một thời điểm sắp tới.'); // 61 s ago
      expect(await bad('2027-03-05T17:00:01Z')).toBe('Chỉ hẹn giờ gửi trong vòng 60 ngày tới.'); // 60 days and a second
      expect((await call(admin, 'POST', `/api/admin/announcements/${id}/send`, ['2027-01-05T08:00:00+07:00'])).json()).toMatchObject({ code: 'bad_request', error: expect.stringContaining('{"at": "2027-01-05T08:00:00+07:00"}') });
      expect(queue.queued).not.toContain(id);
      expect((await ann.service.get(id))!.status).toBe('draft');

      const at = '2027-01-05T08:00:00+07:00';
      const r = await call(admin, 'POST', `/api/admin/announcements/${id}/send`, { at });
      expect(r.statusCode).toBe(202);
      expect(r.json()).toEqual({ ok: true, id, recipients: 3, scheduledAt: '2027-01-05T01:00:00.000Z' });
      expect(queue.startAt.get(id)?.toISOString()).toBe('2027-01-05T01:00:00.000Z');
      const view = (await call(admin, 'GET', `/api/admin/announcements/${id}`)).json();
      expect(view).toMatchObject({ status: 'scheduled', scheduledAt: '2027-01-05T01:00:00.000Z', recipients: 3, sent: 0, failed: 0, pending: 3 });
      const listed = ((await call(admin, 'GET', '/api/admin/announcements')).json().announcements as Array<{ id: number }>).find((x) => x.id === id);
      expect(listed).toMatchObject({ status: 'scheduled', scheduledAt: '2027-01-05T01:00:00.000Z' });
      const again = await call(admin, 'POST', `/api/admin/announcements/${id}/send`);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toBe('Thông báo này đã được hẹn giờ gửi. Muốn đổi giờ, hãy hủy hẹn giờ rồi soạn lại.');

      // the limits themselves are allowed: a minute's slack behind, 60 days ahead
      for (const edge of ['2027-01-04T23:59:00+07:00', '2027-03-05T17:00:00Z']) {
        const other = (await call(admin, 'POST', '/api/admin/announcements', BODY)).json().id as number;
        expect((await call(admin, 'POST', `/api/admin/announcements/${other}/send`, { at: edge })).statusCode, edge).toBe(202);
      }
    } finally {
      clock = null;
    }
  });

  it('no body, {} or {at: null} sends at once', async () => {
    for (const payload of [undefined, {}, { at: null }]) {
      const { id } = (await call(admin, 'POST', '/api/admin/announcements', BODY)).json() as { id: number };
      const r = await a.app.inject({
        method: 'POST',
        url: `/api/admin/announcements/${id}/send`,
        cookies: withSession(admin),
        headers: { 'x-csrf-token': admin.csrfToken },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(r.statusCode, JSON.stringify(payload)).toBe(202);
      expect(r.json()).toEqual({ ok: true, id, recipients: 3, scheduledAt: null });
      expect(queue.startAt.get(id)).toBeNull();
      expect((await ann.service.get(id))!.status).toBe('sending');
    }
  });

  it('cancels a scheduled announcement before its time (200, audited); 409 for a draft, again, or once sending began', async () => {
    const { id } = (await call(admin, 'POST', '/api/admin/announcements', BODY)).json() as { id: number };
    const draft = await call(admin, 'POST', `/api/admin/announcements/${id}/cancel`);
    expect(draft.statusCode).toBe(409);
    expect(draft.json()).toMatchObject({ code: 'conflict', error: 'Thông báo này chưa được hẹn giờ nên không có gì để hủy.' });
    const at = new Date(Date.now() + 3_600_000).toISOString();
    expect((await call(admin, 'POST', `/api/admin/announcements/${id}/send`, { at })).statusCode).toBe(202);
    const cancelled = await call(admin, 'POST', `/api/admin/announcements/${id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toEqual({ ok: true, id, status: 'cancelled' });
    expect((await call(admin, 'GET', `/api/admin/announcements/${id}`)).json()).toMatchObject({ status: 'cancelled', scheduledAt: at, recipients: 0, pending: 0 });
    expect((await call(admin, 'POST', `/api/admin/announcements/${id}/cancel`)).json().error).toBe('Thông báo này đã được hủy hẹn giờ trước đó.');
    const resend = await call(admin, 'POST', `/api/admin/announcements/${id}/send`);
    expect(resend.statusCode).toBe(409);
    expect(resend.json().error).toBe('Thông báo này đã bị hủy hẹn giờ; không gửi nữa. Hãy soạn thông báo mới.');
    const audit = (await new AuditLog(t.db).list()).find((e) => e.target === `announcement:${id}` && e.action === 'announcement.cancel');
    expect(audit).toMatchObject({ username: 'quantri', details: { before: { status: 'scheduled', scheduledAt: at, recipients: 3 }, after: { status: 'cancelled', recipients: 0 } } });

    // due now (within the minute's slack), and the worker has started it: too late to cancel
    const started = (await call(admin, 'POST', '/api/admin/announcements', BODY)).json().id as number;
    await call(admin, 'POST', `/api/admin/announcements/${started}/send`, { at: new Date(Date.now() - 30_000).toISOString() });
    expect(await new AnnouncementStore(t.db).begin(started)).toBe(true);
    const late = await call(admin, 'POST', `/api/admin/announcements/${started}/cancel`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'conflict', error: 'Thông báo đã bắt đầu gửi nên không thể hủy hẹn giờ nữa.' });
    expect((await ann.service.get(started))!).toMatchObject({ status: 'sending', progress: { pending: 3 } });
    expect((await call(admin, 'POST', '/api/admin/announcements/99999/cancel')).statusCode).toBe(404);
  });
});
