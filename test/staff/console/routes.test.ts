import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../src/server/auth/plugin.ts';
import { END_STATUS_LABELS, type Ticket, type TicketEvent } from '../../../src/domain/staff.ts';
import type { TicketWithQueue } from '../../../src/services/handover/types.ts';
import { CONSOLE_MESSAGES } from '../../../src/staff/console/requests.ts';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { buildConsoleApp, type ConsoleApp, PASSWORD } from './console-app.ts';

/**
 * The console's page and staff API over HTTP (inject), with the real auth plugin and a real HandoverService on a
 * fresh database: the queue, a ticket's log, claim, release, close and reply with every refusal the desk gives,
 * each in the one error shape with its Vietnamese sentence.
 */

let t: TestDb;
let c: ConsoleApp;
let app: FastifyInstance;
const sessions: Record<string, { cookie: string; csrf: string }> = {};

beforeAll(async () => {
  t = await openTestDb();
  c = await buildConsoleApp(t.db);
  app = c.app;
  for (const username of ['lan', 'minh', 'quantri']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    sessions[username] = { cookie: res.cookies.find((k) => k.name === SESSION_COOKIE)!.value, csrf: res.json().csrfToken };
  }
});

afterAll(async () => {
  await c?.close();
  await t?.cleanup();
});

type Who = 'lan' | 'minh' | 'quantri';
const get = (who: Who | null, url: string) => app.inject({ method: 'GET', url, cookies: who ? { [SESSION_COOKIE]: sessions[who]!.cookie } : {} });
const post = (who: Who | null, url: string, payload: unknown = {}, opts: { csrf?: boolean } = {}) =>
  app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    cookies: who ? { [SESSION_COOKIE]: sessions[who]!.cookie } : {},
    headers: who && opts.csrf !== false ? { 'x-csrf-token': sessions[who]!.csrf } : {},
  });

let seq = 0;
const newConversation = () => `web-console-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
const events = async (id: number) => (await get('lan', `/api/staff/tickets/${id}`)).json().events as TicketEvent[];

describe('GET /console', () => {
  it('serves the page to anyone, with the end-status labels put in and a CSP naming its inline script and style by hash', async () => {
    const res = await get(null, '/console');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="vi">');
    expect(res.body).not.toContain('{{');
    const labels = JSON.parse(/<script type="application\/json" id="end-status-labels">([\s\S]*?)<\/script>/.exec(res.body)![1]!);
    expect(labels).toEqual(END_STATUS_LABELS);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const code = /<script>([\s\S]*?)<\/script>/.exec(res.body)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1]!;
    const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    expect(csp).toContain(sha(code));
    expect(csp).toContain(sha(style));
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('the staff API behind the session', () => {
  it('answers 401 without a session, on every route, in the one error shape', async () => {
    const id = await c.openTicket(newConversation());
    for (const res of [
      await get(null, '/api/staff/tickets'),
      await get(null, `/api/staff/tickets/${id}`),
      await get(null, '/api/staff/users'),
      await get(null, '/api/staff/events'),
      await post(null, `/api/staff/tickets/${id}/claim`),
      await post(null, `/api/staff/tickets/${id}/release`),
      await post(null, `/api/staff/tickets/${id}/close`, { endStatus: 'resolved' }),
      await post(null, `/api/staff/tickets/${id}/reply`, { text: 'Chào anh', messageId: 'msg-00000001' }),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ ok: false, code: 'unauthorized' });
    }
    expect((await c.desk.getTicket(id))!.status).toBe('waiting');
  });

  it('refuses a POST without the CSRF token (403 csrf) and changes nothing', async () => {
    const id = await c.openTicket(newConversation());
    const res = await post('lan', `/api/staff/tickets/${id}/claim`, {}, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ ok: false, code: 'csrf' });
    expect((await c.desk.getTicket(id))!.status).toBe('waiting');
  });

  it('lets an admin in too', async () => {
    const res = await get('quantri', '/api/staff/tickets');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('the queue and a ticket', () => {
  it('lists waiting tickets in order with their place; mine=1 only mine; a bad filter is a 400', async () => {
    const a = await c.openTicket(newConversation(), '1.001193');
    const b = await c.openTicket(newConversation());
    const res = await get('lan', '/api/staff/tickets?status=waiting');
    expect(res.statusCode).toBe(200);
    const list = res.json().tickets as TicketWithQueue[];
    const ia = list.findIndex((x) => x.id === a);
    const ib = list.findIndex((x) => x.id === b);
    expect(ia).toBeGreaterThanOrEqual(0);
    expect(ib).toBe(ia + 1);
    expect(list[ib]!.position).toBe(list[ia]!.position! + 1);
    expect(list[ia]).toMatchObject({ status: 'waiting', channel: 'web', procedureCode: '1.001193', ownerId: null });

    expect((await post('minh', `/api/staff/tickets/${a}/claim`)).statusCode).toBe(200);
    const mine = (await get('minh', '/api/staff/tickets?mine=1')).json().tickets as Ticket[];
    expect(mine.map((x) => x.id)).toContain(a);
    expect(mine.every((x) => x.ownerId === c.users.minh.id)).toBe(true);
    expect(((await get('lan', '/api/staff/tickets?mine=1')).json().tickets as Ticket[]).map((x) => x.id)).not.toContain(a);
    const waiting = (await get('lan', '/api/staff/tickets?status=waiting')).json().tickets as Ticket[];
    expect(waiting.map((x) => x.id)).not.toContain(a);

    for (const url of ['/api/staff/tickets?status=mo', '/api/staff/tickets?mine=yes']) {
      const bad = await get('lan', url);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ ok: false, code: 'bad_request', error: CONSOLE_MESSAGES.badFilter });
    }
  });

  it('lists flagged tickets with flagged=1', async () => {
    const conv = newConversation();
    const id = await c.openTicket(conv);
    await c.desk.flagLowRating({ conversationId: conv, channel: 'web', chatId: conv, ticketId: id, procedureCode: null, level: 2 });
    const flagged = (await get('lan', '/api/staff/tickets?status=all&flagged=1')).json().tickets as Ticket[];
    expect(flagged.map((x) => x.id)).toContain(id);
    expect(flagged.every((x) => x.flagged)).toBe(true);
  });

  it('gives a ticket with its log; an unknown id is a 404, a malformed one a 400', async () => {
    const id = await c.openTicket(newConversation());
    const res = await get('lan', `/api/staff/tickets/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().ticket).toMatchObject({ id, status: 'waiting', position: expect.any(Number) });
    expect((res.json().events as TicketEvent[]).map((e) => e.kind)).toEqual(['opened']);

    const missing = await get('lan', '/api/staff/tickets/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ ok: false, code: 'not_found', error: 'Không tìm thấy yêu cầu này.' });
    for (const bad of ['abc', '0', '-1', '1.5']) {
      const r = await get('lan', `/api/staff/tickets/${bad}`);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toEqual({ ok: false, code: 'bad_request', error: CONSOLE_MESSAGES.badTicketId });
    }
  });

  it('lists active colleagues with only id, name and role', async () => {
    await c.accounts.add({ username: 'nghi', displayName: 'Đã nghỉ', role: 'staff', password: PASSWORD }, { userId: null, username: 'cli' });
    await c.accounts.disable('nghi', { userId: null, username: 'cli' });
    const res = await get('lan', '/api/staff/users');
    expect(res.statusCode).toBe(200);
    const users = res.json().users as Array<Record<string, unknown>>;
    expect(users).toEqual(
      expect.arrayContaining([
        { id: c.users.lan.id, displayName: 'Nguyễn Thị Lan', role: 'staff' },
        { id: c.users.minh.id, displayName: 'Trần Văn Minh', role: 'staff' },
        { id: c.users.admin.id, displayName: 'Quản trị viên', role: 'admin' },
      ]),
    );
    expect(users.map((u) => u.displayName)).not.toContain('Đã nghỉ');
  });
});

describe('claim, reply, release, close', () => {
  it('the happy path: claim, reply (a retried POST stored once), close as resolved', async () => {
    const id = await c.openTicket(newConversation());
    const claim = await post('lan', `/api/staff/tickets/${id}/claim`);
    expect(claim.statusCode).toBe(200);
    expect(claim.json()).toMatchObject({ ok: true, ticket: { id, status: 'with_staff', ownerId: c.users.lan.id, ownerName: 'Nguyễn Thị Lan' } });

    const body = { text: 'Chào anh, \u200Bem là Lan\u0000 ở bộ phận một cửa.\r\nAnh cần hỏi gì ạ?', messageId: 'console-msg-0001' };
    const first = await post('lan', `/api/staff/tickets/${id}/reply`, body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ ok: true, ticket: { id } });
    const again = await post('lan', `/api/staff/tickets/${id}/reply`, body);
    expect(again.statusCode).toBe(200);
    const staffMessages = (await events(id)).filter((e) => e.kind === 'staff_message');
    expect(staffMessages).toHaveLength(1);
    // cleaned at the edge: the zero-width space and NUL gone, CR LF a newline
    expect(staffMessages[0]).toMatchObject({ text: 'Chào anh, em là Lan ở bộ phận một cửa.\nAnh cần hỏi gì ạ?', actorId: c.users.lan.id });
    const outbox = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_messages WHERE source_key = 'console:console-msg-0001'`);
    expect(outbox[0]!.n).toBe(1);

    const close = await post('lan', `/api/staff/tickets/${id}/close`, { endStatus: 'resolved' });
    expect(close.statusCode).toBe(200);
    expect(close.json()).toMatchObject({ ok: true, ticket: { id, status: 'closed', endStatus: 'resolved' } });
    expect((await events(id)).map((e) => e.kind)).toEqual(['opened', 'claimed', 'staff_message', 'closed']);
  });

  it('a claim lost to a colleague is a 409 naming who has it', async () => {
    const id = await c.openTicket(newConversation());
    expect((await post('lan', `/api/staff/tickets/${id}/claim`)).statusCode).toBe(200);
    const lost = await post('minh', `/api/staff/tickets/${id}/claim`);
    expect(lost.statusCode).toBe(409);
    expect(lost.json()).toEqual({ ok: false, code: 'conflict', error: 'Yêu cầu này đã có cán bộ Nguyễn Thị Lan nhận.' });
    expect((await c.desk.getTicket(id))!.ownerId).toBe(c.users.lan.id);
  });

  it('only the owner replies or closes (403); an unknown ticket is a 404; a closed one a 409', async () => {
    const id = await c.openTicket(newConversation());
    const notClaimed = await post('lan', `/api/staff/tickets/${id}/reply`, { text: 'Xin chào', messageId: 'console-msg-0002' });
    expect(notClaimed.statusCode).toBe(403);
    expect(notClaimed.json()).toEqual({ ok: false, code: 'forbidden', error: 'Chỉ cán bộ đang phụ trách yêu cầu này mới làm được việc này.' });

    await post('lan', `/api/staff/tickets/${id}/claim`);
    const notOwner = [
      await post('minh', `/api/staff/tickets/${id}/reply`, { text: 'Xin chào', messageId: 'console-msg-0003' }),
      await post('minh', `/api/staff/tickets/${id}/close`, { endStatus: 'resolved' }),
      await post('minh', `/api/staff/tickets/${id}/release`),
    ];
    for (const res of notOwner) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect((await events(id)).filter((e) => e.kind === 'staff_message')).toHaveLength(0);

    for (const path of ['claim', 'release', 'close', 'reply']) {
      const res = await post('lan', `/api/staff/tickets/999999/${path}`, { endStatus: 'resolved', text: 'Chào', messageId: 'console-msg-0004' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ ok: false, code: 'not_found', error: 'Không tìm thấy yêu cầu này.' });
    }

    expect((await post('lan', `/api/staff/tickets/${id}/close`, { endStatus: 'referred' })).statusCode).toBe(200);
    for (const res of [
      await post('lan', `/api/staff/tickets/${id}/close`, { endStatus: 'resolved' }),
      await post('lan', `/api/staff/tickets/${id}/reply`, { text: 'Còn gì nữa không ạ?', messageId: 'console-msg-0005' }),
      await post('lan', `/api/staff/tickets/${id}/claim`),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ ok: false, code: 'conflict', error: 'Yêu cầu này đã đóng.' });
    }
  });

  it('releases to a colleague (who owns it at once) or to the queue; an unknown colleague is a 400', async () => {
    const id = await c.openTicket(newConversation());
    await post('lan', `/api/staff/tickets/${id}/claim`);
    const bad = await post('lan', `/api/staff/tickets/${id}/release`, { toUserId: 999999 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ ok: false, code: 'bad_request', error: 'Không chuyển được: tài khoản nhận không tồn tại hoặc đã bị khóa.' });

    const toMinh = await post('lan', `/api/staff/tickets/${id}/release`, { toUserId: c.users.minh.id });
    expect(toMinh.statusCode).toBe(200);
    expect(toMinh.json().ticket).toMatchObject({ status: 'with_staff', ownerId: c.users.minh.id, ownerName: 'Trần Văn Minh' });
    const back = await post('minh', `/api/staff/tickets/${id}/release`, {});
    expect(back.statusCode).toBe(200);
    expect(back.json().ticket).toMatchObject({ status: 'waiting', ownerId: null });
    expect((await events(id)).map((e) => e.kind)).toEqual(['opened', 'claimed', 'transferred', 'released']);
  });

  it('validates bodies: 400 in the one error shape with a Vietnamese message, nothing stored', async () => {
    const id = await c.openTicket(newConversation());
    await post('lan', `/api/staff/tickets/${id}/claim`);
    const cases: Array<[string, unknown, string]> = [
      ['reply', { text: '   \u200B ', messageId: 'console-msg-0006' }, CONSOLE_MESSAGES.emptyReply],
      ['reply', { messageId: 'console-msg-0007' }, CONSOLE_MESSAGES.emptyReply],
      ['reply', { text: 'a'.repeat(4001), messageId: 'console-msg-0008' }, CONSOLE_MESSAGES.replyTooLong],
      ['reply', { text: 'Chào anh', messageId: 'bad id!' }, CONSOLE_MESSAGES.badMessageId],
      ['reply', { text: 'Chào anh' }, CONSOLE_MESSAGES.badMessageId],
      ['close', { endStatus: 'done' }, CONSOLE_MESSAGES.badEndStatus],
      ['close', {}, CONSOLE_MESSAGES.badEndStatus],
      ['release', { toUserId: 'minh' }, CONSOLE_MESSAGES.badTarget],
    ];
    for (const [path, body, error] of cases) {
      const res = await post('lan', `/api/staff/tickets/${id}/${path}`, body);
      expect(res.statusCode, `${path} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(res.json()).toEqual({ ok: false, code: 'bad_request', error });
    }
    // exactly 4,000 characters is accepted
    expect((await post('lan', `/api/staff/tickets/${id}/reply`, { text: 'á'.repeat(4000), messageId: 'console-msg-0009' })).statusCode).toBe(200);
    expect((await events(id)).map((e) => e.kind)).toEqual(['opened', 'claimed', 'staff_message']);
    expect((await c.desk.getTicket(id))!.status).toBe('with_staff');
  });
});

describe('/docs', () => {
  it('describes every staff route of the console, with the end statuses and the security they need', async () => {
    const doc = (await get(null, '/docs/json')).json() as { paths: Record<string, Record<string, { summary?: string; security?: unknown[]; requestBody?: unknown }>> };
    const expected: Array<[string, string, string]> = [
      ['/api/staff/tickets', 'get', 'Danh sách yêu cầu'],
      ['/api/staff/tickets/{id}', 'get', 'Một yêu cầu, với nội dung trao đổi và các thay đổi'],
      ['/api/staff/tickets/{id}/claim', 'post', 'Nhận yêu cầu'],
      ['/api/staff/tickets/{id}/release', 'post', 'Chuyển yêu cầu về hàng chờ hoặc cho đồng nghiệp'],
      ['/api/staff/tickets/{id}/close', 'post', 'Đóng yêu cầu'],
      ['/api/staff/tickets/{id}/reply', 'post', 'Trả lời người dân'],
      ['/api/staff/users', 'get', 'Đồng nghiệp đang hoạt động (để chuyển yêu cầu)'],
      ['/api/staff/events', 'get', 'Cập nhật trực tiếp (server-sent events)'],
    ];
    for (const [path, method, summary] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op?.summary, `${method} ${path}`).toBe(summary);
      expect(op?.security).toEqual(method === 'post' ? [{ session: [], csrf: [] }] : [{ session: [] }]);
    }
    expect(JSON.stringify(doc.paths['/api/staff/tickets/{id}/close']!.post!.requestBody)).toContain('resolved (Đã giải quyết)');
  });
});
