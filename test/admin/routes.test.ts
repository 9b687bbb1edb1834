import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excludingSearch } from '../../src/admin/local-overrides.ts';
import { Assistant } from '../../src/assistant/assistant.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { ProfileSource } from '../../src/services/profile/profile-source.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { SettingsStore } from '../../src/storage/settings-store.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { TurnLog } from '../../src/storage/turn-log.ts';
import { signIn, type SignedIn, withSession } from '../accounts/auth-app.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { type AdminApp, buildAdminApp, PASSWORD } from './admin-app.ts';

const CCCD = '1.014064';

/** A whole, valid profile as the admin page sends it. */
const PROFILE = {
  communeName: 'Xã Hòa Phú',
  provinceName: 'Tỉnh Đắk Lắk',
  centre: { name: 'Trung tâm Phục vụ hành chính công xã Hòa Phú', address: 'Thôn 2, xã Hòa Phú', openingHours: 'Sáng 7:30–11:30, chiều 13:30–17:00', hotline: '0262 3822 123', email: 'motcua@hoaphu.gov.vn' },
  hours: {
    weekly: { mon: '07:30-17:00', tue: '07:30-17:00', wed: '07:30-17:00', thu: '07:30-17:00', fri: '07:30-17:00', sat: '07:30-11:30', sun: null },
    lunchBreak: '11:30-13:30',
    holidays: [
      { from: '2027-02-05', to: '2027-02-11', name: 'Tết Nguyên đán' },
      { date: '2027-09-02', name: 'Quốc khánh' },
    ],
  },
  provincePortalUrl: 'https://dichvucong.daklak.gov.vn',
  feeAccount: { bankBin: '970436', accountNumber: '0123456789', accountName: 'UBND XA HOA PHU', bankName: null },
  uploadRules: { formats: ['pdf', 'jpg'], maxSizeMb: 5 },
};

describe('the admin API', () => {
  let t: TestDb;
  let a: AdminApp;
  let staff: SignedIn;
  let admin: SignedIn;
  let search: ProcedureSearch;

  beforeAll(async () => {
    t = await openTestDb();
    const embedder = createEmbedder({ kind: 'offline', dimensions: 256 });
    const vocabulary = loadVocabulary(SMALL_KB);
    await indexProcedures(t.db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
    search = await ProcedureSearch.create(t.db, embedder, vocabulary);
    a = await buildAdminApp(t.db, { fileProfile: { ...EMPTY_PROFILE, communeName: 'Xã trong tệp' } });
    staff = await signIn(a.app, 'lan', PASSWORD);
    admin = await signIn(a.app, 'quantri', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await t?.cleanup();
  });

  const call = (who: SignedIn | null, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    a.app.inject({
      method,
      url,
      ...(who ? { cookies: withSession(who), headers: method === 'GET' ? {} : { 'x-csrf-token': who.csrfToken } } : {}),
      ...(method === 'GET' ? {} : { payload: (payload ?? {}) as object }),
    });

  it('every admin route: 401 without a session, 403 for staff (nothing changed), 2xx for an admin', async () => {
    const routes: Array<[method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown]> = [
      ['GET', '/api/admin/procedures?query=khai%20sinh'],
      ['GET', `/api/admin/procedures/${CCCD}`],
      ['PUT', `/api/admin/procedures/${CCCD}/override`, { localNote: 'Nộp tại quầy số 3.' }],
      ['DELETE', `/api/admin/procedures/${CCCD}/override`],
      ['GET', '/api/admin/profile'],
      ['PUT', '/api/admin/profile', PROFILE],
      ['GET', '/api/admin/profile/history'],
    ];
    for (const [method, url, body] of routes) {
      const anon = await call(null, method, url, body);
      expect(anon.statusCode, `anonymous ${method} ${url}`).toBe(401);
      expect(anon.json()).toMatchObject({ ok: false, code: 'unauthorized' });
      const s = await call(staff, method, url, body);
      expect(s.statusCode, `staff ${method} ${url}`).toBe(403);
      expect(s.json()).toMatchObject({ ok: false, code: 'forbidden', error: 'Bạn không có quyền thực hiện thao tác này.' });
    }
    // staff changed nothing
    expect((await a.admin.overrides.detail(CCCD))?.override).toBeNull();
    expect(a.admin.profile.origin()).toBe('file');
    for (const [method, url, body] of routes) {
      const r = await call(admin, method, url, body);
      expect(r.statusCode, `admin ${method} ${url}: ${r.body}`).toBe(200);
      expect(r.json().ok).toBe(true);
    }
    const history = (await call(admin, 'GET', '/api/admin/profile/history')).json().versions as Array<{ id: number }>;
    const revert = `/api/admin/profile/revert/${history.at(-1)!.id}`;
    expect((await call(null, 'POST', revert)).statusCode).toBe(401);
    expect((await call(staff, 'POST', revert)).statusCode).toBe(403);
    expect((await call(admin, 'POST', revert)).statusCode).toBe(200);
    // an unsafe method without the CSRF token is refused even for an admin
    const noCsrf = await a.app.inject({ method: 'PUT', url: '/api/admin/profile', cookies: withSession(admin), payload: PROFILE });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf');
  });

  it('searches procedures by code or by title words, with their override', async () => {
    const words = (await call(admin, 'GET', '/api/admin/procedures?query=the%20can%20cuoc')).json().procedures as Array<{ code: string }>;
    expect(words.map((p) => p.code).sort()).toEqual([CCCD, '2.001194']);
    const byCode = (await call(admin, 'GET', '/api/admin/procedures?query=1.0011')).json().procedures as Array<{ code: string }>;
    expect(byCode.map((p) => p.code)).toEqual(['1.001193']);
    expect((await call(admin, 'PUT', '/api/admin/procedures/1.004194/override', { fullyOnline: true })).statusCode).toBe(200);
    const overridden = (await call(admin, 'GET', '/api/admin/procedures?query=&overridden=1')).json().procedures as Array<{ code: string; override: { fullyOnline: boolean } }>;
    expect(overridden.map((p) => [p.code, p.override.fullyOnline])).toEqual([['1.004194', true]]);
    const detail = (await call(admin, 'GET', '/api/admin/procedures/1.004194')).json();
    expect(detail.procedure).toMatchObject({ code: '1.004194', title: 'Đăng ký tạm trú' });
    expect(detail.override).toMatchObject({ fullyOnline: true, excluded: false, feeAccountAllowed: true });
    expect((await call(admin, 'GET', '/api/admin/procedures/9.999999')).json()).toMatchObject({ ok: false, code: 'not_found', error: 'Không có thủ tục này trong cơ sở dữ liệu thủ tục.' });
    expect((await call(admin, 'GET', '/api/admin/procedures/abc')).statusCode).toBe(400);
    expect((await call(admin, 'DELETE', '/api/admin/procedures/1.004194/override')).statusCode).toBe(200);
    expect((await call(admin, 'DELETE', '/api/admin/procedures/1.004194/override')).json()).toMatchObject({ code: 'not_found', error: 'Thủ tục này chưa có thiết lập riêng của xã.' });
  });

  it('refuses a bad override with a Vietnamese message per field', async () => {
    const url = `/api/admin/procedures/${CCCD}/override`;
    const http = await call(admin, 'PUT', url, { portalUrl: 'http://dichvucong.daklak.gov.vn/x', localNote: 'x'.repeat(301), excluded: 'yes', colour: 'red' });
    expect(http.statusCode).toBe(400);
    const body = http.json();
    expect(body).toMatchObject({ ok: false, code: 'bad_request', error: 'Thiết lập riêng của thủ tục chưa hợp lệ: kiểm tra các mục được đánh dấu.' });
    expect(body.fields).toEqual({
      portalUrl: expect.stringContaining('https://'),
      localNote: 'Ghi chú tối đa 300 ký tự.',
      excluded: 'Chọn có hoặc không.',
      colour: 'Mục này không có trong thiết lập của thủ tục.',
    });
    expect((await call(admin, 'PUT', '/api/admin/procedures/9.999999/override', { excluded: true })).statusCode).toBe(404);
    // a note is cleaned like every text from outside (invisible characters, spaces); empty clears it
    const ok = await call(admin, 'PUT', url, { localNote: '  Nộp tại\u200b quầy\n số 3.  ', portalUrl: 'https://dichvucong.daklak.gov.vn/tthc/1.014064' });
    expect(ok.json().override).toMatchObject({ localNote: 'Nộp tại quầy số 3.', portalUrl: 'https://dichvucong.daklak.gov.vn/tthc/1.014064' });
    expect((await call(admin, 'PUT', url, { localNote: '   ' })).json().override.localNote).toBeNull();
    await call(admin, 'DELETE', url);
  });

  it('audits every override change with before and after', async () => {
    const url = '/api/admin/procedures/1.000656/override';
    await call(admin, 'PUT', url, { excluded: true });
    await call(admin, 'PUT', url, { localNote: 'Mang theo giấy báo tử.' });
    await call(admin, 'DELETE', url);
    const entries = (await new AuditLog(t.db).list({ limit: 50 })).filter((e) => e.target === 'procedure:1.000656').reverse();
    expect(entries.map((e) => [e.action, e.username])).toEqual([
      ['procedure_override.set', 'quantri'],
      ['procedure_override.set', 'quantri'],
      ['procedure_override.delete', 'quantri'],
    ]);
    expect(entries[0]!.details).toMatchObject({ before: null, after: { code: '1.000656', excluded: true, localNote: null } });
    expect(entries[1]!.details).toMatchObject({ before: { excluded: true, localNote: null }, after: { excluded: true, localNote: 'Mang theo giấy báo tử.' } });
    expect(entries[2]!.details).toMatchObject({ before: { excluded: true, localNote: 'Mang theo giấy báo tử.' }, after: null });
  });

  it('an excluded procedure leaves every answer at once; its local note is shown with answers about it', async () => {
    const overrides = a.admin.localOverrides;
    const assistant = new Assistant({
      search: excludingSearch(search, overrides),
      localNotes: overrides,
      procedures: new ProcedureStore(t.db),
      conversations: new ConversationStore(t.db),
      turns: new TurnLog(t.db),
      profile: EMPTY_PROFILE,
      logger: pino({ level: 'silent' }),
    });
    const ask = async (id: string, text: string) => assistant.handle({ conversationId: id, channel: 'web', text });
    const before = await ask('excl-1', 'làm lại thẻ căn cước');
    expect(before.procedures).toContain(CCCD);
    expect(before.messages.map((m) => m.text).join('\n')).toContain(`mã ${CCCD}`);

    expect((await call(admin, 'PUT', `/api/admin/procedures/${CCCD}/override`, { excluded: true })).statusCode).toBe(200);
    const after = await ask('excl-2', 'làm lại thẻ căn cước');
    expect(after.procedures).not.toContain(CCCD);
    expect(after.ranked).not.toContain(CCCD);
    expect(after.messages.map((m) => `${m.text} ${(m.choices ?? []).map((c) => c.id).join(' ')}`).join('\n')).not.toContain(CCCD);

    await call(admin, 'DELETE', `/api/admin/procedures/${CCCD}/override`);
    expect((await ask('excl-3', 'làm lại thẻ căn cước')).procedures).toContain(CCCD);

    await call(admin, 'PUT', `/api/admin/procedures/${CCCD}/override`, { localNote: 'Nộp tại quầy số 3, có chụp ảnh tại chỗ.' });
    const noted = await ask('note-1', 'làm lại thẻ căn cước cần giấy tờ gì');
    const text = noted.messages[0]!.text;
    expect(text).toContain('Ghi chú của Trung tâm: Nộp tại quầy số 3, có chụp ảnh tại chỗ.');
    // on the line before the official source, within Zalo's 2,000 characters
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Ghi chú của Trung tâm:'));
    expect(lines[at + 1]).toMatch(/^Nguồn chính thức: https:\/\//);
    expect(text.length).toBeLessThanOrEqual(2000);
    // other procedures' answers carry no note
    expect((await ask('note-2', 'đăng ký tạm trú cần giấy tờ gì')).messages[0]!.text).not.toContain('Ghi chú của Trung tâm');
    await call(admin, 'DELETE', `/api/admin/procedures/${CCCD}/override`);
  });

  it('refuses a bad profile with a Vietnamese message beside each field', async () => {
    const bad = {
      ...PROFILE,
      centre: { ...PROFILE.centre, hotline: 'gọi xã', email: 'motcua' },
      hours: {
        ...PROFILE.hours,
        weekly: { ...PROFILE.hours.weekly, mon: '7:30-17:00', tue: '17:00-07:30' },
        holidays: [{ from: '2027-02-11', to: '2027-02-05', name: 'Tết Nguyên đán' }, { date: '2027-02-30', name: 'Ngày lạ' }, { from: 'mùng 1', to: '2027-02-05', name: 'Tết' }],
      },
      provincePortalUrl: 'http://dichvucong.daklak.gov.vn',
      feeAccount: { bankBin: '123', accountNumber: '0123456789', accountName: 'UBND XA HOA PHU', bankName: null },
    };
    const r = await call(admin, 'PUT', '/api/admin/profile', bad);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error).toMatch(/^Thông tin của xã chưa hợp lệ: kiểm tra các mục được đánh dấu\./);
    expect(Object.keys(body.fields).sort()).toEqual(['centre.email', 'centre.hotline', 'feeAccount.bankBin', 'hours.holidays.2.from', 'hours.weekly.mon'].sort());
    expect(body.fields['hours.weekly.mon']).toBe('Giờ làm việc thứ Hai theo dạng 07:30-17:00, giờ kết thúc sau giờ bắt đầu; để trống nếu nghỉ.');
    expect(body.fields['feeAccount.bankBin']).toBe('Mã BIN của ngân hàng gồm 6 chữ số (ví dụ 970436 là Vietcombank).');
    // what the schema alone accepts: a span ending before it starts, a range backwards, a day that does not exist, http
    const shapeOk = { ...bad, centre: PROFILE.centre, feeAccount: PROFILE.feeAccount, hours: { ...bad.hours, weekly: { ...bad.hours.weekly, mon: '07:30-17:00' }, holidays: bad.hours.holidays.slice(0, 2) } };
    const r2 = (await call(admin, 'PUT', '/api/admin/profile', shapeOk)).json();
    expect(r2.fields).toEqual({
      provincePortalUrl: 'Địa chỉ cổng dịch vụ công của tỉnh phải là đường dẫn https://…',
      'hours.weekly.tue': 'Giờ làm việc thứ Ba theo dạng 07:30-17:00, giờ kết thúc sau giờ bắt đầu; để trống nếu nghỉ.',
      'hours.holidays.0.to': 'Ngày cuối theo dạng 2027-02-12, không trước ngày đầu.',
      'hours.holidays.1.date': 'Ngày theo dạng 2027-02-06 và là ngày có thật.',
    });
    // the whole profile is sent: a missing part is named
    const { uploadRules: _u, ...partial } = PROFILE;
    expect((await call(admin, 'PUT', '/api/admin/profile', partial)).json().fields).toEqual({ uploadRules: 'Thiếu mục này (gửi null nếu chưa có).' });
  });

  it('edits the profile (the services’ source sees it at once), keeps its history, and reverts', async () => {
    const source = a.admin.profile;
    // from the earlier tests: the file's state, then PROFILE, then the file's again (the revert)
    const start = (await call(admin, 'GET', '/api/admin/profile')).json();
    expect(start.profile.communeName).toBe('Xã trong tệp');
    expect(start.sources).toMatchObject({ communeName: 'file', hours: 'unset', feeAccount: 'unset' });

    const edited = { ...PROFILE, communeName: 'Xã Hòa Phú mới' };
    const saved = (await call(admin, 'PUT', '/api/admin/profile', edited)).json();
    expect(saved.profile.communeName).toBe('Xã Hòa Phú mới');
    expect(saved.sources).toMatchObject({ communeName: 'console', centre: 'console', hours: 'console', feeAccount: 'console', uploadRules: 'console' });
    expect(saved.saved.updatedBy).toBe('quantri');
    expect(source.current().communeName).toBe('Xã Hòa Phú mới');
    expect(source.current().hours?.holidays[0]).toEqual({ from: '2027-02-05', to: '2027-02-11', name: 'Tết Nguyên đán' });

    const versions = (await call(admin, 'GET', '/api/admin/profile/history')).json().versions as Array<{ id: number; profile: { communeName: string } | null; current: boolean; createdBy: string | null }>;
    expect(versions.map((v) => [v.profile?.communeName ?? null, v.current])).toEqual([
      ['Xã Hòa Phú mới', true],
      [null, false],
      ['Xã Hòa Phú', false],
      [null, false],
    ]);
    // back to PROFILE
    const back = (await call(admin, 'POST', `/api/admin/profile/revert/${versions[2]!.id}`)).json();
    expect(back.profile.communeName).toBe('Xã Hòa Phú');
    expect(source.current().communeName).toBe('Xã Hòa Phú');
    // back to the file's
    await call(admin, 'POST', `/api/admin/profile/revert/${versions[1]!.id}`);
    expect(source.origin()).toBe('file');
    expect(source.current().communeName).toBe('Xã trong tệp');
    expect((await call(admin, 'POST', '/api/admin/profile/revert/999999')).json()).toMatchObject({ code: 'not_found', error: 'Không tìm thấy phiên bản này trong lịch sử thông tin của xã.' });

    const audit = (await new AuditLog(t.db).list({ limit: 100 })).filter((e) => e.target === 'setting:commune_profile');
    const [revertToFile, revertToProfile, update] = audit;
    expect(update).toMatchObject({ action: 'profile.update', username: 'quantri' });
    expect(update!.details).toMatchObject({ beforeSource: 'file', before: { communeName: 'Xã trong tệp' }, afterSource: 'console', after: { communeName: 'Xã Hòa Phú mới' } });
    expect(revertToProfile!.details).toMatchObject({ revertedTo: versions[2]!.id, before: { communeName: 'Xã Hòa Phú mới' }, after: { communeName: 'Xã Hòa Phú' } });
    expect(revertToFile!.details).toMatchObject({ revertedTo: versions[1]!.id, afterSource: 'file', after: { communeName: 'Xã trong tệp' } });
  });

  it('a profile saved in the console is the one in force after a restart', async () => {
    await call(admin, 'PUT', '/api/admin/profile', PROFILE);
    const reloaded = await ProfileSource.load(new SettingsStore(t.db), EMPTY_PROFILE);
    expect(reloaded.origin()).toBe('console');
    expect(reloaded.current()).toEqual(a.admin.profile.current());
    expect(reloaded.current().feeAccount?.bankBin).toBe('970436');
  });

  it('sends helmet’s security headers, keeps each page’s own CSP, and HSTS only behind an https PUBLIC_URL', async () => {
    const page = await a.app.inject({ method: 'GET', url: '/console/admin' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/);
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const api = await call(admin, 'GET', '/api/admin/profile');
    expect(api.headers['x-dns-prefetch-control']).toBe('off');
    expect(api.headers['content-security-policy']).toBeUndefined();

    const t2 = await openTestDb();
    const secure = await buildAdminApp(t2.db, { env: { PUBLIC_URL: 'https://xa.example.vn' } });
    try {
      const r = await secure.app.inject({ method: 'GET', url: '/console/admin' });
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(r.headers['content-security-policy']).toBe(page.headers['content-security-policy']);
    } finally {
      await secure.close();
      await t2.cleanup();
    }
  });
});
