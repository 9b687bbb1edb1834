import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { signIn, type SignedIn, withSession } from '../accounts/auth-app.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { buildGapsApp, type GapsApp, PASSWORD } from './gaps-app.ts';

const HKD = '1.001612'; // Đăng ký thành lập hộ kinh doanh
const ONLINE_SHOP = 'bán hàng online có phải đăng ký không';
const CITATION = 'Thông tin do Trung tâm Phục vụ hành chính công xã Hòa Phú cung cấp (không phải từ Cổng Dịch vụ công quốc gia):';

/**
 * The admins' additions from the knowledge-gaps report, through the API and the assistant that reads them: a
 * mapping makes an unanswered message find its procedure at once and removing it undoes that; a local answer is
 * given, cited as the commune's, for a message close to its examples and not for procedure questions; the try box
 * reads a message without recording it; every change audited with before and after; admin only.
 */
describe('vocabulary mappings and local answers', () => {
  let t: TestDb;
  let g: GapsApp;
  let staff: SignedIn;
  let admin: SignedIn;
  let n = 0;

  beforeAll(async () => {
    t = await openTestDb();
    g = await buildGapsApp(t.db);
    staff = await signIn(g.app, 'lan', PASSWORD);
    admin = await signIn(g.app, 'quantri', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await g?.close();
    await t?.cleanup();
  });

  const call = (who: SignedIn | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<LightMyRequestResponse> =>
    g.app.inject({
      method,
      url,
      cookies: who ? withSession(who) : {},
      headers: who && method !== 'GET' ? { 'x-csrf-token': who.csrfToken } : {},
      ...(payload ? { payload } : {}),
    });
  const ask = (text: string) => g.assistant.handle({ conversationId: `gaps-${++n}`, channel: 'web', text });

  it('admin only: no session 401, a staff session 403, for every route', async () => {
    const routes: Array<['GET' | 'POST' | 'DELETE', string, object?]> = [
      ['GET', '/api/admin/gaps'],
      ['GET', '/api/admin/vocabulary'],
      ['POST', '/api/admin/vocabulary', { phrase: 'bán hàng online', code: HKD }],
      ['DELETE', '/api/admin/vocabulary/1'],
      ['POST', '/api/admin/vocabulary/try', { text: ONLINE_SHOP }],
      ['GET', '/api/admin/local-answers'],
      ['POST', '/api/admin/local-answers', { topic: 'Gửi xe', examples: ['chỗ gửi xe máy'], text: 'Có.' }],
      ['DELETE', '/api/admin/local-answers/1'],
    ];
    for (const [method, url, body] of routes) {
      expect((await call(null, method, url, body)).statusCode, `${method} ${url}`).toBe(401);
      expect((await call(staff, method, url, body)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await call(admin, 'GET', '/api/admin/vocabulary')).json()).toEqual({ ok: true, mappings: [] });
  });

  it('a mapping makes an unanswered message find its procedure at once; removing it undoes that; both audited', async () => {
    const before = await ask(ONLINE_SHOP);
    expect(before.outcome).toBe('no_answer');
    expect(before.procedures).not.toContain(HKD);

    const added = await call(admin, 'POST', '/api/admin/vocabulary', { phrase: '  Bán hàng   online ', code: HKD });
    expect(added.statusCode).toBe(201);
    const mapping = added.json().mapping;
    expect(mapping).toMatchObject({ phrase: 'Bán hàng online', phraseFolded: 'ban hang online', code: HKD, title: 'Đăng ký thành lập hộ kinh doanh', createdBy: 'quantri', removedAt: null });

    const after = await ask(ONLINE_SHOP);
    expect(after.outcome).toBe('answered');
    expect(after.procedures[0]).toBe(HKD);
    expect(after.messages.map((m) => m.text).join('\n')).toContain(`(mã ${HKD})`);
    // written without diacritics too: the mapping is compared folded
    expect((await ask('ban hang online co can giay phep khong')).procedures[0]).toBe(HKD);

    expect((await call(admin, 'POST', '/api/admin/vocabulary', { phrase: 'ban hang online', code: HKD })).statusCode).toBe(409);
    expect((await call(admin, 'GET', '/api/admin/vocabulary')).json().mappings.map((m: { id: number }) => m.id)).toEqual([mapping.id]);

    const removed = await call(admin, 'DELETE', `/api/admin/vocabulary/${mapping.id}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().mapping.removedAt).not.toBeNull();
    const again = await ask(ONLINE_SHOP);
    expect(again.outcome).toBe('no_answer');
    expect((await call(admin, 'DELETE', `/api/admin/vocabulary/${mapping.id}`)).statusCode).toBe(404);
    expect((await call(admin, 'GET', '/api/admin/vocabulary')).json().mappings).toEqual([]);

    const audit = (await new AuditLog(t.db).list()).filter((e) => e.target === `local_vocabulary:${mapping.id}`);
    expect(audit.map((e) => e.action)).toEqual(['local_vocabulary.remove', 'local_vocabulary.add']);
    expect(audit[1]!.details).toMatchObject({ before: null, after: { code: HKD, removedAt: null } });
    expect(audit[0]!.details).toMatchObject({ before: { removedAt: null }, after: { code: HKD, removedAt: expect.any(String) } });
  });

  it('refuses a mapping to an unknown procedure, an empty phrase and a bad id, with Vietnamese messages', async () => {
    const unknown = await call(admin, 'POST', '/api/admin/vocabulary', { phrase: 'bán hàng online', code: '9.999999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ ok: false, code: 'bad_request', fields: { code: 'Không có thủ tục này trong cơ sở dữ liệu thủ tục.' } });
    const empty = await call(admin, 'POST', '/api/admin/vocabulary', { phrase: ' ?! ', code: 'abc' });
    expect(empty.statusCode).toBe(400);
    expect(Object.keys(empty.json().fields).sort()).toEqual(['code', 'phrase']);
    expect(empty.json().error).toMatch(/^Từ ngữ của người dân chưa hợp lệ/);
    expect((await call(admin, 'DELETE', '/api/admin/vocabulary/abc')).statusCode).toBe(400);
  });

  it('a local answer replies, cited as the commune’s, to a message close to its examples; not once it is removed', async () => {
    const parking = 'Trung tâm có chỗ gửi xe máy không?';
    expect((await ask(parking)).messages.map((m) => m.text).join('\n')).not.toContain(CITATION);
    const added = await call(admin, 'POST', '/api/admin/local-answers', {
      topic: 'Gửi xe tại Trung tâm',
      examples: ['Có chỗ gửi xe máy ở trung tâm không?', 'gửi xe ở đâu khi đến làm thủ tục'],
      text: 'Có, bãi gửi xe miễn phí ở cổng sau Trung tâm.',
    });
    expect(added.statusCode).toBe(201);
    const id = added.json().answer.id as number;

    const reply = await ask(parking);
    expect(reply).toMatchObject({ status: 'local_answer', decision: 'answer', outcome: 'answered', procedures: [] });
    expect(reply.messages.map((m) => m.text)).toEqual([`${CITATION}\nCó, bãi gửi xe miễn phí ở cổng sau Trung tâm.`]);
    expect((await ask('tram gui xe o trung tam co cho gui xe may khong')).status).toBe('local_answer');

    // an emergency is still answered first, and a request for a person still reaches a person
    expect((await ask('cháy nhà ở trung tâm, chỗ gửi xe máy')).status).toBe('emergency');

    expect((await call(admin, 'DELETE', `/api/admin/local-answers/${id}`)).statusCode).toBe(200);
    expect((await ask(parking)).status).not.toBe('local_answer');
    const audit = (await new AuditLog(t.db).list()).filter((e) => e.target === `local_answer:${id}`);
    expect(audit.map((e) => e.action)).toEqual(['local_answer.remove', 'local_answer.add']);
    expect(audit[1]!.details).toMatchObject({ before: null, after: { topic: 'Gửi xe tại Trung tâm', examples: ['Có chỗ gửi xe máy ở trung tâm không?', 'gửi xe ở đâu khi đến làm thủ tục'] } });
  });

  it('refuses a local answer without examples or text', async () => {
    const r = await call(admin, 'POST', '/api/admin/local-answers', { topic: 'Gửi xe', examples: ['xe'], text: '' });
    expect(r.statusCode).toBe(400);
    expect(Object.keys(r.json().fields).sort()).toEqual(['examples', 'text']);
  });

  it('the try box reads a message as the bot would, and records nothing', async () => {
    const turns = async () => Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM turns'))[0]!.n);
    const counted = await turns();
    const mapping = (await call(admin, 'POST', '/api/admin/vocabulary', { phrase: 'bán hàng online', code: HKD })).json().mapping;
    const answer = (await call(admin, 'POST', '/api/admin/local-answers', { topic: 'Gửi xe', examples: ['Có chỗ gửi xe máy ở trung tâm không?'], text: 'Có.' })).json().answer;

    const read = await call(admin, 'POST', '/api/admin/vocabulary/try', { text: 'bán hàng online có cần đăng ký gì không' });
    expect(read.statusCode).toBe(200);
    const reading = read.json().reading;
    expect(reading).toMatchObject({ label: 'procedure', noMatch: false, localAnswer: null, matchedPhrases: ['ban hang online'] });
    expect(reading.procedures[0]).toMatchObject({ code: HKD, title: 'Đăng ký thành lập hộ kinh doanh', viaVocabulary: true });
    expect(reading.procedures[0].score).toBeGreaterThan(reading.procedures[1].score);

    const parking = (await call(admin, 'POST', '/api/admin/vocabulary/try', { text: 'trung tâm có chỗ gửi xe máy không' })).json().reading;
    expect(parking.localAnswer).toMatchObject({ id: answer.id, topic: 'Gửi xe' });
    expect(parking.localAnswer.score).toBeGreaterThanOrEqual(0.8);
    // an emergency keeps its own answer, in the try box as in the pipeline
    const fire = (await call(admin, 'POST', '/api/admin/vocabulary/try', { text: 'cháy nhà ở trung tâm, chỗ gửi xe máy' })).json().reading;
    expect(fire).toMatchObject({ label: 'emergency', localAnswer: null });
    expect((await call(admin, 'POST', '/api/admin/vocabulary/try', { text: '' })).statusCode).toBe(400);
    expect(await turns()).toBe(counted);

    await call(admin, 'DELETE', `/api/admin/vocabulary/${mapping.id}`);
    await call(admin, 'DELETE', `/api/admin/local-answers/${answer.id}`);
    const without = (await call(admin, 'POST', '/api/admin/vocabulary/try', { text: 'bán hàng online có cần đăng ký gì không' })).json().reading;
    expect(without.procedures.find((p: { code: string }) => p.code === HKD)?.viaVocabulary ?? false).toBe(false);
  });
});
