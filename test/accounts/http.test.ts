import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_MESSAGES } from '../../src/server/auth/messages.ts';
import { SESSION_COOKIE } from '../../src/server/auth/plugin.ts';
import { ERRORS } from '../../src/server/errors.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { SessionStore } from '../../src/storage/session-store.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { type AuthApp, buildAuthApp, signIn, withSession } from './auth-app.ts';

const PW = 'mat-khau-can-bo-1';

describe('signing in to the staff API', () => {
  let t: TestDb;
  let a: AuthApp;
  let accounts: Accounts;
  beforeAll(async () => {
    t = await openTestDb();
    accounts = new Accounts(t.db);
    for (const username of ['lan', 'hoa', 'minh', 'thu', 'khoa']) await accounts.add({ username, role: 'staff', password: PW }, CLI_ACTOR);
    await accounts.add({ username: 'quantri', role: 'admin', password: PW, displayName: 'Quản trị viên' }, CLI_ACTOR);
    a = await buildAuthApp(t.db);
  });
  afterAll(async () => {
    await a?.close();
    await t?.cleanup();
  });

  it('a login sets an httpOnly SameSite=Strict session cookie, and /api/auth/me answers with it', async () => {
    const s = await signIn(a.app, 'Lan', PW);
    const cookie = s.response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(cookie.maxAge ?? Math.round((new Date(cookie.expires!).getTime() - Date.now()) / 1000)).toBeGreaterThan(11 * 3600);
    expect(s.response.json()).toEqual({ ok: true, user: { id: expect.any(Number), username: 'lan', displayName: 'lan', role: 'staff', telegramId: null, active: true }, csrfToken: expect.any(String) });
    const me = await a.app.inject({ method: 'GET', url: '/api/auth/me', cookies: withSession(s) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ ok: true, user: { username: 'lan' }, csrfToken: expect.any(String) });
    const anonymous = await a.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ ok: false, code: 'unauthorized', error: AUTH_MESSAGES.signIn });
    const audit = await new AuditLog(t.db).list({ limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'login', username: 'lan' });
  });

  it('a wrong password, an unknown user and a disabled account get the same 401, and no cookie', async () => {
    await accounts.add({ username: 'cu', role: 'staff', password: PW }, CLI_ACTOR);
    await accounts.disable('cu', CLI_ACTOR);
    const answers = [];
    for (const payload of [
      { username: 'minh', password: 'sai-mat-khau-1' },
      { username: 'khong-ai-ca', password: PW },
      { username: 'cu', password: PW },
    ]) {
      const res = await a.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.cookies.filter((c) => c.name === SESSION_COOKIE && c.value)).toEqual([]);
      answers.push(res.body);
    }
    expect(new Set(answers)).toEqual(new Set([JSON.stringify({ ok: false, code: 'unauthorized', error: 'Tên đăng nhập hoặc mật khẩu không đúng.' })]));
    const failed = (await new AuditLog(t.db).list({ limit: 3 })).map((e) => [e.action, e.username]);
    expect(failed).toEqual([
      ['login_failed', 'cu'],
      ['login_failed', 'khong-ai-ca'],
      ['login_failed', 'minh'],
    ]);
    expect(JSON.stringify(await new AuditLog(t.db).list({ limit: 100 }))).not.toContain('sai-mat-khau');
  });

  it('a malformed body answers 400 in the one error shape, in Vietnamese', async () => {
    for (const payload of [{ username: 'lan' }, { username: 1, password: 2 }, 'x']) {
      const res = await a.app.inject({ method: 'POST', url: '/api/auth/login', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ ok: false, error: expect.stringMatching(/[ậạ]/) });
    }
  });

  it('the 6th login attempt within a minute for one address and username gets 429 with when to retry', async () => {
    const attempt = (username: string) => a.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'sai-mat-khau-9' } });
    for (let i = 0; i < 5; i++) expect((await attempt('thu')).statusCode).toBe(401);
    const sixth = await attempt('thu');
    expect(sixth.statusCode).toBe(429);
    const body = sixth.json() as { ok: boolean; code: string; error: string };
    expect(body).toMatchObject({ ok: false, code: 'too_many_requests' });
    expect(body.error).toMatch(/^Bạn đã đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau \d+ giây\.$/);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits: the limit is on attempts, not failures.
    expect((await a.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'thu', password: PW } })).statusCode).toBe(429);
    // Another account from the same address is not locked out by it.
    expect((await a.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'khoa', password: PW } })).statusCode).toBe(200);
  });

  it('logging out ends the session on the server: the old cookie then gets 401', async () => {
    const s = await signIn(a.app, 'hoa', PW);
    expect((await a.app.inject({ method: 'GET', url: '/api/staff/ping', cookies: withSession(s) })).statusCode).toBe(200);
    const out = await a.app.inject({ method: 'POST', url: '/api/auth/logout', cookies: withSession(s) });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ ok: true });
    expect((await a.app.inject({ method: 'GET', url: '/api/staff/ping', cookies: withSession(s) })).statusCode).toBe(401);
    expect((await a.app.inject({ method: 'GET', url: '/api/auth/me', cookies: withSession(s) })).statusCode).toBe(401);
    expect((await new AuditLog(t.db).list({ limit: 1 }))[0]).toMatchObject({ action: 'logout', username: 'hoa' });
    // Without a session logout is fine too.
    expect((await a.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
  });

  it('a session id from before the login is not the one after it (no fixation)', async () => {
    const before = await signIn(a.app, 'minh', PW);
    const again = await a.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'minh', password: PW }, cookies: withSession(before) });
    const after = again.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    expect(after).not.toBe(before.cookie);
    expect((await a.app.inject({ method: 'GET', url: '/api/auth/me', cookies: withSession(before) })).statusCode).toBe(401);
  });

  it('disabling a user ends their sessions at once', async () => {
    await accounts.add({ username: 'tam', role: 'staff', password: PW }, CLI_ACTOR);
    const one = await signIn(a.app, 'tam', PW);
    const two = await signIn(a.app, 'tam', PW);
    const tam = (await accounts.users.byUsername('tam'))!;
    expect(await new SessionStore(t.db).countForUser(tam.id)).toBe(2);
    await accounts.disable('tam', CLI_ACTOR);
    for (const s of [one, two]) {
      const res = await a.app.inject({ method: 'GET', url: '/api/staff/ping', cookies: withSession(s) });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ ok: false, code: 'unauthorized', error: AUTH_MESSAGES.signIn });
    }
  });

  it('a session whose account was disabled behind the service\'s back still gets 401', async () => {
    await accounts.add({ username: 'nam', role: 'staff', password: PW }, CLI_ACTOR);
    const s = await signIn(a.app, 'nam', PW);
    await t.db.query(`UPDATE users SET active = false WHERE username = 'nam'`);
    expect((await a.app.inject({ method: 'GET', url: '/api/staff/ping', cookies: withSession(s) })).statusCode).toBe(401);
  });

  it('CSRF: a POST to a staff route without the token gets 403 csrf, with a wrong one too, with it 200', async () => {
    const s = await signIn(a.app, 'lan', PW);
    const post = (headers: Record<string, string>) => a.app.inject({ method: 'POST', url: '/api/staff/ping', cookies: withSession(s), headers, payload: {} });
    const missing = await post({});
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({ ok: false, code: 'csrf', error: ERRORS.csrf.message });
    expect((await post({ 'x-csrf-token': 'gia-mao' })).json()).toMatchObject({ code: 'csrf' });
    const other = await signIn(a.app, 'hoa', PW);
    expect((await post({ 'x-csrf-token': other.csrfToken })).statusCode).toBe(403);
    const ok = await post({ 'x-csrf-token': s.csrfToken });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, username: 'lan', role: 'staff' });
    // The token /me hands out works as well (the console reloads the page and asks /me).
    const me = (await a.app.inject({ method: 'GET', url: '/api/auth/me', cookies: withSession(s) })).json() as { csrfToken: string };
    expect((await post({ 'x-csrf-token': me.csrfToken })).statusCode).toBe(200);
    // Safe methods need no token.
    expect((await a.app.inject({ method: 'GET', url: '/api/staff/ping', cookies: withSession(s) })).statusCode).toBe(200);
  });

  it('roles: staff on an admin route gets 403 forbidden; an admin passes staff and admin routes', async () => {
    const staff = await signIn(a.app, 'lan', PW);
    const admin = await signIn(a.app, 'quantri', PW);
    const staffOnAdmin = await a.app.inject({ method: 'GET', url: '/api/admin/ping', cookies: withSession(staff) });
    expect(staffOnAdmin.statusCode).toBe(403);
    expect(staffOnAdmin.json()).toEqual({ ok: false, code: 'forbidden', error: ERRORS.forbidden.message });
    expect((await a.app.inject({ method: 'DELETE', url: '/api/admin/ping', cookies: withSession(staff), headers: { 'x-csrf-token': staff.csrfToken } })).statusCode).toBe(403);
    expect((await a.app.inject({ method: 'GET', url: '/api/admin/ping', cookies: withSession(admin) })).json()).toEqual({ ok: true, username: 'quantri', role: 'admin' });
    expect((await a.app.inject({ method: 'GET', url: '/api/staff/ping', cookies: withSession(admin) })).statusCode).toBe(200);
    expect((await a.app.inject({ method: 'DELETE', url: '/api/admin/ping', cookies: withSession(admin), headers: { 'x-csrf-token': admin.csrfToken } })).statusCode).toBe(200);
  });

  it('anonymous requests create no session rows', async () => {
    const before = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM sessions');
    for (let i = 0; i < 3; i++) await a.app.inject({ method: 'GET', url: '/api/staff/ping' });
    await a.app.inject({ method: 'GET', url: '/healthz' });
    const after = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM sessions');
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
  });

  it('keeps a random session secret in DATA_DIR, readable only by its owner, and reuses it', async () => {
    const file = path.join(a.dataDir, 'session-secret');
    expect(fs.readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // A second server on the same data folder accepts the first one's cookies (a restart keeps people signed in).
    const s = await signIn(a.app, 'lan', PW);
    const restarted = await buildAuthApp(t.db, { DATA_DIR: a.dataDir });
    try {
      expect((await restarted.app.inject({ method: 'GET', url: '/api/auth/me', cookies: withSession(s) })).statusCode).toBe(200);
    } finally {
      await restarted.app.close();
    }
  });

  it('/docs serves the UI and /docs/json describes /api/auth/login', async () => {
    const ui = await a.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect(ui.body).toMatch(/swagger/i);
    const doc = (await a.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Trợ lý thủ tục hành chính — API cán bộ');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/logout', '/api/auth/me']));
    expect(Object.keys(doc.paths['/api/auth/login']!.post!.requestBody!.content['application/json']!.schema.properties)).toEqual(['username', 'password']);
  });
});
