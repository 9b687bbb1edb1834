import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeEventsFileSchema, shippedLanguage } from '../../src/admin/language/files.ts';
import { LiveLanguage } from '../../src/admin/language/live.ts';
import { RouterRulesSchema } from '../../src/assistant/router/rules.ts';
import { SHIPPED_KNOWLEDGE_DIR } from '../../src/knowledge/phrase-lists.ts';
import { loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { LanguageStore } from '../../src/storage/language-store.ts';
import { signIn, type SignedIn, withSession } from '../accounts/auth-app.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { buildLanguageApp, type LanguageApp, PASSWORD } from './language-app.ts';

const KHAI_SINH = '1.001193';
const GRANDCHILD = 'nhà tôi vừa có thêm cháu nội';
const DUTY_OFFICER = 'goi giup toi nguoi truc ban';
const EVENT = { id: 'them-chau', name: 'Có thêm cháu', phrases: ['có thêm cháu', 'thêm cháu nội'], codes: [KHAI_SINH], answersAlone: true };

type Json = Record<string, any>;

/**
 * Life events and the router's phrase lists edited through the API, and the assistant that reads them: a draft is
 * tried before saving (the try box reads it, nothing changes), a save changes the next answer, a restore or a reset
 * undoes it; stale saves, unknown procedures and phrases the router could never match are refused with the field
 * named in Vietnamese; every change audited with before and after; a restart reads what is in force; admin only.
 */
describe('language data: life events and router phrase lists', () => {
  let t: TestDb;
  let g: LanguageApp;
  let staff: SignedIn;
  let admin: SignedIn;
  let n = 0;

  beforeAll(async () => {
    t = await openTestDb();
    g = await buildLanguageApp(t.db);
    staff = await signIn(g.app, 'lan', PASSWORD);
    admin = await signIn(g.app, 'quantri', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await g?.close();
    await t?.cleanup();
  });

  const call = (who: SignedIn | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object): Promise<LightMyRequestResponse> =>
    g.app.inject({
      method,
      url,
      cookies: who ? withSession(who) : {},
      headers: who && method !== 'GET' ? { 'x-csrf-token': who.csrfToken } : {},
      ...(payload ? { payload } : {}),
    });
  const json = (r: LightMyRequestResponse): Json => r.json() as Json;
  const ask = (text: string) => g.assistant.handle({ conversationId: `lang-${++n}`, channel: 'web', text });
  const load = async (name: string) => json(await call(admin, 'GET', `/api/admin/language/${name}`));
  const save = (name: string, data: unknown, expected: number | null) => call(admin, 'PUT', `/api/admin/language/${name}`, { data, expected_revision: expected });

  it('the shipped files pass the schemas an admin edits them with', () => {
    const shipped = shippedLanguage(loadVocabulary(SHIPPED_KNOWLEDGE_DIR));
    expect(LifeEventsFileSchema.safeParse(shipped['life-events']).success).toBe(true);
    expect(shipped['life-events'].lifeEvents.length).toBeGreaterThan(10);
    expect(RouterRulesSchema.safeParse(shipped['router-rules']).success).toBe(true);
  });

  it('admin only: no session 401, a staff session 403, for every route', async () => {
    const routes: Array<['GET' | 'POST' | 'PUT', string, object?]> = [
      ['GET', '/api/admin/language'],
      ['GET', '/api/admin/language/life-events'],
      ['PUT', '/api/admin/language/life-events', { data: { lifeEvents: [] }, expected_revision: null }],
      ['POST', '/api/admin/language/try', { text: GRANDCHILD }],
      ['GET', '/api/admin/language/router-rules/revisions'],
      ['POST', '/api/admin/language/router-rules/revisions/1/restore'],
      ['POST', '/api/admin/language/router-rules/reset'],
    ];
    for (const [method, url, body] of routes) {
      expect((await call(null, method, url, body)).statusCode, `${method} ${url}`).toBe(401);
      expect((await call(staff, method, url, body)).statusCode, `${method} ${url}`).toBe(403);
    }
    // and a change without the CSRF header is refused even for an admin
    const noCsrf = await g.app.inject({ method: 'PUT', url: '/api/admin/language/life-events', cookies: withSession(admin), payload: { data: { lifeEvents: [] }, expected_revision: null } });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('lists the two files, shipped, with their Vietnamese titles; an unknown file is a 400', async () => {
    const r = json(await call(admin, 'GET', '/api/admin/language'));
    expect(r.files.map((f: Json) => [f.name, f.edited, f.revision])).toEqual([
      ['life-events', false, null],
      ['router-rules', false, null],
    ]);
    expect(r.files[0].title).toBe('Sự kiện cuộc sống');
    const bad = await call(admin, 'GET', '/api/admin/language/vocabulary');
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error).toMatch(/Không có tệp/);
  });

  it('a life event: tried as a draft first (nothing changes), saved (the next answer uses it), reset (it is gone)', async () => {
    expect((await ask(GRANDCHILD)).procedures).not.toContain(KHAI_SINH);
    const file = await load('life-events');
    expect(file.data).toEqual({ lifeEvents: [] });
    const draft = { lifeEvents: [EVENT] };

    const now = json(await call(admin, 'POST', '/api/admin/language/try', { text: GRANDCHILD }));
    expect(now.reading.lifeEvents).toEqual([]);
    const tried = json(await call(admin, 'POST', '/api/admin/language/try', { text: GRANDCHILD, draft: { name: 'life-events', data: draft } }));
    expect(tried.reading.lifeEvents).toEqual([{ id: 'them-chau', name: 'Có thêm cháu' }]);
    expect(tried.reading.matchedPhrases).toContain('co them chau');
    expect(tried.reading.lifeEventAnswer).toEqual([KHAI_SINH]);
    expect(now.reading.lifeEventAnswer).toEqual([]);
    // trying stored nothing
    expect((await ask(GRANDCHILD)).procedures).not.toContain(KHAI_SINH);
    expect(json(await call(admin, 'GET', '/api/admin/language/life-events/revisions')).revisions).toEqual([]);

    const saved = await save('life-events', draft, null);
    expect(saved.statusCode).toBe(200);
    const rev = json(saved).revision;
    expect(rev).toMatchObject({ name: 'life-events', action: 'save', created_by: 'quantri', restored_from: null, shipped: false });
    const answer = await ask(GRANDCHILD);
    expect(answer.label).toBe('procedure');
    expect(answer.procedures).toEqual([KHAI_SINH]);
    expect(g.language.live.current().lifeEvents.map((e) => e.id)).toEqual(['them-chau']);
    expect((await load('life-events')).edited).toBe(true);

    // the same content again is not a revision
    const same = await save('life-events', draft, rev.id);
    expect(same.statusCode).toBe(400);
    expect(json(same).error).toMatch(/Không có thay đổi/);

    const reset = await call(admin, 'POST', '/api/admin/language/life-events/reset');
    expect(json(reset).revision).toMatchObject({ action: 'reset', shipped: true });
    expect((await ask(GRANDCHILD)).procedures).not.toContain(KHAI_SINH);
    expect((await load('life-events')).edited).toBe(false);
    const again = await call(admin, 'POST', '/api/admin/language/life-events/reset');
    expect(again.statusCode).toBe(400);
    expect(json(again).error).toMatch(/bản gốc/);

    // and restoring the saved revision brings the event back, as a new revision that says where it came from
    const restored = json(await call(admin, 'POST', `/api/admin/language/life-events/revisions/${rev.id}/restore`));
    expect(restored.revision).toMatchObject({ action: 'restore', restored_from: rev.id, shipped: false });
    expect((await ask(GRANDCHILD)).procedures).toEqual([KHAI_SINH]);
    const history = json(await call(admin, 'GET', '/api/admin/language/life-events/revisions')).revisions;
    expect(history.map((h: Json) => h.action)).toEqual(['restore', 'reset', 'save']);
  });

  it('a life event told in a conversation about another procedure is a new subject, not a follow-up', async () => {
    const file = await load('life-events');
    expect((await save('life-events', { lifeEvents: [{ ...EVENT, name: 'Nhà có cháu mới' }] }, file.revision?.id ?? null)).statusCode).toBe(200);
    const id = `lang-conv-${++n}`;
    const first = await g.assistant.handle({ conversationId: id, channel: 'web', text: 'đăng ký kết hôn cần giấy tờ gì' });
    expect(first.procedures).toEqual(['1.000894']);
    const next = await g.assistant.handle({ conversationId: id, channel: 'web', text: 'nhà tôi vừa có thêm cháu nội thì cần giấy tờ gì' });
    expect(next.procedures).toEqual([KHAI_SINH]);
    // and an aspect follow-up without a life event stays on the procedure discussed
    const fee = await g.assistant.handle({ conversationId: id, channel: 'web', text: 'lệ phí bao nhiêu' });
    expect(fee.procedures).toEqual([KHAI_SINH]);
    expect((await call(admin, 'POST', '/api/admin/language/life-events/reset')).statusCode).toBe(200);
  });

  it('a router phrase: a person asked for in the commune’s own words; the draft is read before it is saved', async () => {
    expect((await ask(DUTY_OFFICER)).label).not.toBe('human');
    const file = await load('router-rules');
    const data = structuredClone(file.data);
    data.human.phrases.push('nguoi truc ban');
    const tried = json(await call(admin, 'POST', '/api/admin/language/try', { text: DUTY_OFFICER, draft: { name: 'router-rules', data } }));
    expect(tried.reading.label).toBe('human');
    expect(json(await call(admin, 'POST', '/api/admin/language/try', { text: DUTY_OFFICER })).reading.label).not.toBe('human');

    const r = await save('router-rules', data, file.revision?.id ?? null);
    expect(r.statusCode).toBe(200);
    expect((await ask(DUTY_OFFICER)).label).toBe('human');
    // what was there before still works
    expect((await ask('xin chào')).label).toBe('greeting');

    // undo by restoring the shipped state from the history
    const reset = json(await call(admin, 'POST', '/api/admin/language/router-rules/reset'));
    expect(reset.revision.shipped).toBe(true);
    expect((await ask(DUTY_OFFICER)).label).not.toBe('human');
  });

  it('refuses what the bot could not read, naming the field in Vietnamese; nothing is stored', async () => {
    const before = json(await call(admin, 'GET', '/api/admin/language/router-rules/revisions')).revisions.length;
    const file = await load('router-rules');
    const accented = structuredClone(file.data);
    accented.human.phrases.push('người trực ban');
    const r1 = await save('router-rules', accented, file.revision?.id ?? null);
    expect(r1.statusCode).toBe(400);
    const at = `human.phrases.${accented.human.phrases.length - 1}`;
    expect(json(r1).fields[at]).toBe('"người trực ban" phải viết không dấu, chữ thường: "nguoi truc ban".');

    const twice = structuredClone(file.data);
    twice.absurd.push(twice.forbidden[0]);
    twice.outOfScope[Object.keys(twice.outOfScope)[0]!].push(twice.outOfScope[Object.keys(twice.outOfScope)[0]!][0]);
    const r2 = json(await save('router-rules', twice, file.revision?.id ?? null));
    expect(Object.values(r2.fields).join(' ')).toMatch(/bị lặp lại|đã có trong danh sách/);

    const unknownCode = await save('life-events', { lifeEvents: [{ ...EVENT, codes: [KHAI_SINH, '9.999999'] }] }, (await load('life-events')).revision.id);
    expect(unknownCode.statusCode).toBe(400);
    expect(json(unknownCode).fields['lifeEvents.0.codes.1']).toMatch(/^9\.999999: Không có thủ tục này/);

    const badId = json(await save('life-events', { lifeEvents: [{ ...EVENT, id: 'Thêm cháu' }] }, null));
    expect(badId.fields['lifeEvents.0.id']).toMatch(/Mã sự kiện chỉ gồm/);
    const empty = json(await save('life-events', { lifeEvents: [{ ...EVENT, phrases: [] }] }, null));
    expect(empty.fields['lifeEvents.0.phrases']).toBe('Danh sách cần ít nhất một mục.');
    const extra = json(await save('life-events', { lifeEvents: [{ ...EVENT, colour: 'đỏ' }] }, null));
    expect(extra.fields['lifeEvents.0']).toMatch(/Mục không được nhận: colour/);
    const noData = await call(admin, 'PUT', '/api/admin/language/life-events', { expected_revision: null });
    expect(noData.statusCode).toBe(400);
    const badTry = await call(admin, 'POST', '/api/admin/language/try', { text: 'x', draft: { name: 'life-events', data: { lifeEvents: [{ id: 'a' }] } } });
    expect(badTry.statusCode).toBe(400);
    expect(Object.keys(json(badTry).fields)[0]).toMatch(/^draft\.data\.lifeEvents\.0/);

    expect(json(await call(admin, 'GET', '/api/admin/language/router-rules/revisions')).revisions.length).toBe(before);
    const bogus = await call(admin, 'POST', '/api/admin/language/router-rules/revisions/999999/restore');
    expect(bogus.statusCode).toBe(404);
    // a revision of the other file is not this file's
    const otherFiles = json(await call(admin, 'GET', '/api/admin/language/life-events/revisions')).revisions;
    expect((await call(admin, 'POST', `/api/admin/language/router-rules/revisions/${otherFiles[0].id}/restore`)).statusCode).toBe(404);
  });

  it('a save made on a stale copy is refused: someone saved since', async () => {
    const file = await load('life-events');
    const mine = { lifeEvents: [{ ...EVENT, name: 'Nhà có thêm cháu' }] };
    const theirs = { lifeEvents: [{ ...EVENT, name: 'Đón cháu mới' }] };
    expect((await save('life-events', theirs, file.revision.id)).statusCode).toBe(200);
    const stale = await save('life-events', mine, file.revision.id);
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error).toMatch(/tải lại trang/);
    expect(g.language.live.current().lifeEvents[0]!.name).toBe('Đón cháu mới');
  });

  it('every change is audited with what the bot read before and after', async () => {
    const entries = (await new AuditLog(t.db).list({ limit: 200 })).filter((e) => e.target === 'language:life-events');
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['language.save', 'language.reset', 'language.restore']));
    const firstSave = entries.filter((e) => e.action === 'language.save').at(-1)!;
    expect((firstSave.details as Json).before).toEqual({ lifeEvents: [] });
    expect((firstSave.details as Json).after.lifeEvents[0].id).toBe('them-chau');
    expect(entries.every((e) => e.username === 'quantri')).toBe(true);
  });

  it('a restart reads what is in force from the database', async () => {
    const fresh = await LiveLanguage.load(new LanguageStore(t.db), g.language.live.shipped);
    expect(fresh.current().lifeEvents.map((e) => e.name)).toEqual(['Đón cháu mới']);
    expect(fresh.current().routerTables).toBeUndefined(); // router-rules was reset to the shipped file
    expect(fresh.file('router-rules').edited).toBe(false);
  });
});
