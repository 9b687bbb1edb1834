import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { signIn, type SignedIn, withSession } from '../accounts/auth-app.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { buildKnowledgeApp, HAVE_NATIONAL_FILE, type KnowledgeApp, NATIONAL_FILE, nationalLines, PASSWORD, SMALL_CODES, withFee } from './knowledge-app.ts';

const TAM_TRU = '1.004194';
const NDJSON = 'application/x-ndjson';

interface ImportBody {
  ok: boolean;
  id: number;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  errors: { line: number; reason: string }[];
  warnings?: { kind: string; origin: string; removed: number; total: number; message: string }[];
  code?: string;
  error?: string;
}

describe('knowledge imports through the admin API', () => {
  let t: TestDb;
  let k: KnowledgeApp;
  let staff: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await openTestDb();
    k = await buildKnowledgeApp(t.db, { maxBytes: 40 * 1024 * 1024 });
    staff = await signIn(k.app, 'lan', PASSWORD);
    admin = await signIn(k.app, 'quantri', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await k?.close();
    await t?.cleanup();
  });

  const upload = (body: string | Buffer, opts: { mode?: string; type?: string; who?: SignedIn | null; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> => {
    const who = opts.who === undefined ? admin : opts.who;
    return k.app.inject({
      method: 'POST',
      url: `/api/admin/knowledge/imports${opts.mode ? `?mode=${opts.mode}` : ''}`,
      headers: { 'content-type': opts.type ?? NDJSON, ...(who ? { 'x-csrf-token': who.csrfToken } : {}), ...opts.headers },
      ...(who ? { cookies: withSession(who) } : {}),
      payload: body,
    });
  };
  const call = (method: 'GET' | 'POST', url: string, who: SignedIn | null = admin): Promise<LightMyRequestResponse> =>
    k.app.inject({ method, url, ...(who ? { cookies: withSession(who), headers: method === 'GET' ? {} : { 'x-csrf-token': who.csrfToken } } : {}) });
  const lines = (codes = SMALL_CODES) => nationalLines(codes).join('\n') + '\n';
  const feeOf = async (code: string) => (await new ProcedureStore(t.db).get(code))!.channels.map((c) => c.feeText);

  it('anonymous visitors get 401 and staff 403 on every knowledge route, before the body is read', async () => {
    const routes: Array<[method: 'GET' | 'POST', url: string]> = [
      ['GET', '/api/admin/knowledge/imports/1'],
      ['GET', '/api/admin/knowledge/imports/1/status'],
      ['POST', '/api/admin/knowledge/imports/1/apply'],
      ['GET', '/api/admin/knowledge/versions'],
      ['POST', '/api/admin/knowledge/versions/1/activate'],
    ];
    for (const [method, url] of routes) {
      expect((await call(method, url, null)).statusCode, `${method} ${url}`).toBe(401);
      expect((await call(method, url, staff)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await upload(lines(), { who: null })).statusCode).toBe(401);
    const refused = await upload(lines(), { who: staff });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await t.db.query('SELECT id FROM knowledge_imports')).toEqual([]);
  });

  it('re-importing exactly what is active previews as nothing added, removed or changed', async () => {
    const res = await upload(lines());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ok: true, added: 0, removed: 0, changed: 0, unchanged: SMALL_CODES.length, errors: [] });
    const versions = (await call('GET', '/api/admin/knowledge/versions')).json() as { versions: { id: number; active: boolean; counts: { procedures: number }; created_by: string | null; created_at: string }[] };
    // the knowledge base as first indexed is version 1
    expect(versions.versions).toEqual([expect.objectContaining({ id: 1, active: true, created_by: null, counts: expect.objectContaining({ procedures: SMALL_CODES.length }) })]);
    expect(versions.versions[0]).toMatchObject({ change: { kind: 'first' }, restored: null });
    expect(res.json().warnings).toEqual([]);
  });

  it('three records of the national listing with one fee changed preview exactly that change, before and after', async () => {
    const three = nationalLines([TAM_TRU, '1.004222', '1.014064']);
    three[0] = withFee(three[0]!, 'Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng', 'Trực tuyến3 Ngày làm việc9,000 Việt Nam Đồng');
    const res = await upload(three.join('\n'), { mode: 'merge' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as ImportBody;
    expect(body).toMatchObject({ added: 0, removed: 0, changed: 1, unchanged: 2, errors: [] });
    const preview = (await call('GET', `/api/admin/knowledge/imports/${body.id}`)).json();
    expect(preview).toMatchObject({ ok: true, status: 'previewed', mode: 'merge', format: 'listing', added: [], removed: [] });
    expect(preview.changed).toEqual([
      {
        code: TAM_TRU,
        title: 'Đăng ký tạm trú',
        fields: [{ field: 'fee', label: 'Phí, lệ phí', before: expect.stringContaining('Trực tuyến: 7,000 Việt Nam Đồng'), after: expect.stringContaining('Trực tuyến: 9,000 Việt Nam Đồng') }],
      },
    ]);
    // nothing applied
    expect(await feeOf(TAM_TRU)).toContain('7,000 Việt Nam Đồng');
  });

  it('replace removes what the listing had and the file lacks; merge removes nothing', async () => {
    const three = nationalLines([TAM_TRU, '1.004222', '1.014064']).join('\n');
    const replaced = (await upload(three)).json() as ImportBody;
    expect(replaced).toMatchObject({ added: 0, changed: 0, unchanged: 3, removed: SMALL_CODES.length - 3 });
    const preview = (await call('GET', `/api/admin/knowledge/imports/${replaced.id}`)).json() as { removed: { code: string; origin: string }[] };
    expect(preview.removed.map((r) => r.code).sort()).toEqual(SMALL_CODES.filter((c) => ![TAM_TRU, '1.004222', '1.014064'].includes(c)).sort());
    expect(preview.removed.every((r) => r.origin === 'listing')).toBe(true);
    // three records uploaded as the whole listing: said plainly, with the source and the count, and merge suggested
    const removed = SMALL_CODES.length - 3;
    const warning = {
      kind: 'large_removal',
      origin: 'listing',
      removed,
      total: SMALL_CODES.length,
      message: `Cách cập nhật “thay thế” sẽ bỏ ${removed} trong ${SMALL_CODES.length} thủ tục (${Math.round((removed / SMALL_CODES.length) * 100)}%) của nguồn danh mục thủ tục quốc gia, vì tệp không có chúng: trợ lý sẽ không trả lời được các thủ tục đó nữa. Nếu tệp chỉ có một phần danh mục, đừng áp dụng: hãy chọn “Gộp” (chỉ thêm và sửa) rồi tải tệp lên lại.`,
    };
    expect(replaced.warnings).toEqual([warning]);
    expect((preview as unknown as { warnings: unknown[] }).warnings).toEqual([warning]);
    const merged = (await upload(three, { mode: 'merge' })).json() as ImportBody;
    expect(merged).toMatchObject({ removed: 0, unchanged: 3, warnings: [] });
    // one of twelve (under a tenth, under 50) is an ordinary replace: no warning
    const eleven = nationalLines(SMALL_CODES.slice(1)).join('\n');
    expect((await upload(eleven)).json()).toMatchObject({ removed: 1, warnings: [] });
  });

  it('reports bad lines with their numbers (from 1) and reads the rest', async () => {
    const [a, b] = nationalLines([TAM_TRU, '1.004222']);
    const file = [a, '{not json', '', b, a, '{"ma_thu_tuc": "1.9", "ten_thu_tuc": "x"}'].join('\n');
    const res = await upload(file, { mode: 'merge' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as ImportBody;
    expect(body.errors.map((e) => e.line)).toEqual([2, 5, 6]);
    expect(body.errors[0]!.reason).toMatch(/^Dòng không phải JSON hợp lệ: mỗi dòng phải là trọn một bản ghi/);
    expect(body.errors[1]!.reason).toMatch(new RegExp(`^Trùng mã ${TAM_TRU} với dòng 1: dòng này bị bỏ qua`));
    expect(body.errors[2]!.reason).toBe('Đường dẫn trang chi tiết (trường “detail_url”) bị thiếu; cấp thực hiện (trường “cap_thuc_hien”) bị thiếu. Hãy sửa dòng này trong tệp rồi tải lên lại.');
    expect(body).toMatchObject({ unchanged: 2, changed: 0, added: 0 });
  });

  it('words every skipped line for a commune officer, in Vietnamese: which field, what is wrong, what to do', async () => {
    const [a, b] = nationalLines([TAM_TRU, '1.004222']);
    const mismatch = JSON.stringify({ ...JSON.parse(b!), _qc_code_mismatch: true });
    const noTitle = JSON.stringify({ ...JSON.parse(b!), ma_thu_tuc: '1.999999', ten_thu_tuc: '' });
    const badCode = JSON.stringify({ ...JSON.parse(b!), ma_thu_tuc: 'TT-01' });
    const file = [a, mismatch, noTitle, badCode, '[1, 2]', '"một chuỗi"'].join('\n');
    const body = (await upload(file, { mode: 'merge' })).json() as ImportBody;
    expect(body.errors).toEqual([
      { line: 2, reason: 'Thủ tục 1.004222: trang chi tiết đã lưu là của một thủ tục khác (mã trên trang không khớp), nên bản ghi bị bỏ qua. Hãy lấy lại trang của thủ tục 1.004222 từ Cổng Dịch vụ công quốc gia rồi xuất lại tệp.' },
      { line: 3, reason: 'Tên thủ tục (trường “ten_thu_tuc”) để trống. Hãy sửa dòng này trong tệp rồi tải lên lại.' },
      { line: 4, reason: 'Mã thủ tục (trường “code”) sai dạng: mã thủ tục phải có dạng 1.001234. Thủ tục không đọc được từ bản ghi này; hãy kiểm tra các trường đó trong tệp nguồn rồi tải lên lại.' },
      { line: 5, reason: 'Dòng này là một danh sách […], không phải một thủ tục: mỗi dòng phải là một bản ghi JSON dạng {…}. Hãy sửa dòng này trong tệp rồi tải lên lại.' },
      { line: 6, reason: 'Dòng này là một chuỗi chữ, không phải một thủ tục: mỗi dòng phải là một bản ghi JSON dạng {…}. Hãy sửa dòng này trong tệp rồi tải lên lại.' },
    ]);
    // no English detail and no schema wording reaches the officer
    for (const e of body.errors) expect(e.reason).not.toMatch(/malformed|invalid|mismatch|expected|received|Too small|pattern/i);

    const portal = fs.readFileSync('test/fixtures/portal-sample.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const p0 = portal[0]!;
    const portalFile = [p0, { ...p0, code: 'X.1', codeNotation: 'X.1', id: 'x1', isInternal: true }, { ...p0, code: 'X.2', codeNotation: 'X.2', id: '' }, { ...p0, code: '', codeNotation: '' }]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const portalBody = (await upload(portalFile, { mode: 'merge' })).json() as ImportBody;
    expect(portalBody.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(portalBody.errors[0]!.reason).toMatch(/^Thủ tục X\.1 là thủ tục nội bộ giữa các cơ quan \(isInternal\), không dành cho người dân/);
    expect(portalBody.errors[1]!.reason).toMatch(/^Thủ tục X\.2 không có mã trang trên Cổng \(trường “id” trống\)/);
    expect(portalBody.errors[2]!.reason).toMatch(/^Bản ghi không có mã thủ tục/);
  });

  it('refuses other bodies with a Vietnamese message: other types, compressed, too large, empty, unknown records, bad mode', async () => {
    const json = await upload(JSON.stringify({ a: 1 }), { type: 'application/json' });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toEqual({ ok: false, code: 'unsupported_media_type', error: expect.stringContaining('JSON Lines') });
    expect((await upload('<html></html>', { type: 'text/html' })).statusCode).toBe(415);
    const csvHeader = await upload('ma_thu_tuc,ten\n1.1,x\n', { type: 'text/csv' });
    expect(csvHeader.statusCode).toBe(400);
    expect(csvHeader.json().error).toBe('Dòng tiêu đề của tệp CSV không đúng: thiếu cột ten_thu_tuc, duong_dan; cột lạ ten.');
    expect((await upload(lines(), { type: 'multipart/form-data; boundary=x' })).statusCode).toBe(415);
    const gz = await upload(gzipSync(lines()));
    expect(gz.statusCode).toBe(415);
    expect(gz.json().error).toContain('Không nhận tệp nén');
    expect((await upload(gzipSync(lines()), { headers: { 'content-encoding': 'gzip' } })).statusCode).toBe(415);
    const zip = await upload(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('../../etc/passwd')]));
    expect(zip.statusCode).toBe(415);
    const empty = await upload('\n\n');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('Tệp không có dòng nào.');
    const unknown = await upload('{"path": "/etc/passwd"}\n{"file": "../knowledge/procedures.jsonl"}\n');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toContain('Không nhận ra định dạng tệp');
    const mode = await upload(lines(), { mode: 'wipe' });
    expect(mode.statusCode).toBe(400);
    expect(mode.json().error).toContain('mode=replace');
    // over the cap (40 MB in this app): refused, and nothing stored
    const before = (await t.db.query('SELECT id FROM knowledge_imports')).length;
    const big = await upload(Buffer.alloc(41 * 1024 * 1024, 0x20));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ ok: false, code: 'payload_too_large', error: expect.stringContaining('Tệp quá lớn') });
    expect((await t.db.query('SELECT id FROM knowledge_imports')).length).toBe(before);
  });

  it('apply (202) makes a new version serve with the new fee; activating version 1 brings the old fee back; both audited', async () => {
    const three = nationalLines([TAM_TRU, '1.004222', '1.014064']);
    three[0] = withFee(three[0]!, 'Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng', 'Trực tuyến3 Ngày làm việc9,000 Việt Nam Đồng');
    const { id } = (await upload(three.join('\n'), { mode: 'merge' })).json() as ImportBody;
    const applied = await call('POST', `/api/admin/knowledge/imports/${id}/apply`);
    expect(applied.statusCode).toBe(202);
    expect(applied.json()).toMatchObject({ ok: true, id, status: 'applying' });
    await k.versions.settled(id);
    const preview = (await call('GET', `/api/admin/knowledge/imports/${id}`)).json();
    expect(preview).toMatchObject({ status: 'applied', failure: null, versionId: 2 });
    // what the page polls: the state alone, not the changes
    expect((await call('GET', `/api/admin/knowledge/imports/${id}/status`)).json()).toEqual({ ok: true, id, status: 'applied', progress: { phase: 'done', done: 1, total: 1 }, failure: null, versionId: 2 });
    expect((await call('GET', '/api/admin/knowledge/imports/999999/status')).statusCode).toBe(404);
    expect(await feeOf(TAM_TRU)).toContain('9,000 Việt Nam Đồng');
    // applied once only
    expect((await call('POST', `/api/admin/knowledge/imports/${id}/apply`)).statusCode).toBe(409);
    const versions = (await call('GET', '/api/admin/knowledge/versions')).json() as { versions: { id: number; active: boolean; created_by: string | null; counts: object }[] };
    expect(versions.versions.map((v) => [v.id, v.active, v.created_by])).toEqual([
      [2, true, 'quantri'],
      [1, false, null],
    ]);
    expect(versions.versions[0]!.counts).toEqual({ procedures: SMALL_CODES.length, added: 0, removed: 0, changed: 1 });
    // a preview made on version 1 is stale now
    const old = (await t.db.query<{ id: string }>(`SELECT id FROM knowledge_imports WHERE base_version = 1 AND status = 'previewed' ORDER BY id LIMIT 1`))[0]!;
    const stale = await call('POST', `/api/admin/knowledge/imports/${old.id}/apply`);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toContain('đã thay đổi từ khi xem trước');

    const back = await call('POST', '/api/admin/knowledge/versions/1/activate');
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ ok: true, version: { id: 1, active: true } });
    expect(await feeOf(TAM_TRU)).toContain('7,000 Việt Nam Đồng');
    expect((await call('POST', '/api/admin/knowledge/versions/1/activate')).statusCode).toBe(409);
    expect((await call('POST', '/api/admin/knowledge/versions/99/activate')).statusCode).toBe(404);
    const audit = await new AuditLog(t.db).list();
    const apply = audit.find((e) => e.action === 'knowledge.apply')!;
    expect(apply.details).toMatchObject({ before: { activeVersion: 1 }, after: { activeVersion: 2 }, changed: [{ code: TAM_TRU }] });
    expect(audit.find((e) => e.action === 'knowledge.activate')!.details).toEqual({ before: { activeVersion: 2 }, after: { activeVersion: 1 } });
    expect(audit.filter((e) => e.action === 'knowledge.import').length).toBeGreaterThan(0);
    // the history says what made each version and when one was made to serve again
    const history = (await call('GET', '/api/admin/knowledge/versions')).json() as { versions: { id: number; change: object; restored: object | null }[] };
    expect(history.versions).toMatchObject([
      { id: 2, change: { kind: 'import', import_id: id, format: 'listing', mode: 'merge', base_version: 1, uploaded_by: 'quantri', added: 0, removed: 0, changed: 1 }, restored: null },
      { id: 1, change: { kind: 'first' }, restored: { by: 'quantri', from_version: 2, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
    ]);
  }, 60_000);

  it("the commune's own CSV list: origin local, bad rows numbered by their first line, replace touches only the local list", async () => {
    const csv = [
      'ma_thu_tuc,ten_thu_tuc,duong_dan,linh_vuc,thoi_han,phi_le_phi,thanh_phan_ho_so,trinh_tu',
      '99.000001,"Hỗ trợ tiền điện cho hộ nghèo, hộ chính sách",https://dichvucong.daklak.gov.vn/tt/99.000001,Bảo trợ xã hội,5 ngày làm việc,Miễn phí,"Đơn đề nghị (Mẫu 01)',
      'Bản sao sổ hộ nghèo","Bước 1: Nộp hồ sơ tại xã',
      'Bước 2: Nhận kết quả"',
      '99.000002,Cấp giấy xác nhận hộ cận nghèo,http://khong-an-toan.example,Bảo trợ xã hội,,,,',
      '99.000003,Trợ cấp mai táng phí cho người cao tuổi,https://dichvucong.daklak.gov.vn/tt/99.000003,Bảo trợ xã hội,3 ngày làm việc,"Miễn phí",Giấy chứng tử,Nộp tại xã',
      '99.000004,thiếu cột',
    ].join('\r\n');
    const res = await upload(csv, { type: 'text/csv; charset=utf-8' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as ImportBody & { format: string; origin: string };
    expect(body).toMatchObject({ format: 'local', origin: 'local', added: 2, removed: 0, changed: 0 });
    expect(body.errors).toEqual([
      { line: 5, reason: 'Bản ghi không đọc được: cột duong_dan: đường dẫn phải bắt đầu bằng https:// và không có dấu cách. Hãy sửa dòng này trong tệp rồi tải lên lại.' },
      { line: 7, reason: 'Dòng có 2 ô nhưng dòng tiêu đề có 8 cột: hãy kiểm tra dấu phẩy và dấu ngoặc kép trong dòng này (một ô có dấu phẩy phải nằm trong ngoặc kép).' },
    ]);
    const records = await k.versions.importedRecords(body.id);
    expect(records![0]).toMatchObject({
      code: '99.000001',
      title: 'Hỗ trợ tiền điện cho hộ nghèo, hộ chính sách',
      origin: 'local',
      levels: ['Cấp xã'],
      channels: [{ channel: 'truc_tiep', timeText: '5 ngày làm việc', feeText: 'Miễn phí' }],
      documentGroups: [{ title: null, documents: [{ name: 'Đơn đề nghị (Mẫu 01)' }, { name: 'Bản sao sổ hộ nghèo' }] }],
      steps: ['Bước 1: Nộp hồ sơ tại xã', 'Bước 2: Nhận kết quả'],
    });
    expect((await call('POST', `/api/admin/knowledge/imports/${body.id}/apply`)).statusCode).toBe(202);
    await k.versions.settled(body.id);
    const stored = await new ProcedureStore(t.db).get('99.000001');
    expect(stored?.origin).toBe('local');
    // the model is computed for what is stored (the upload compares records without it)
    expect(stored?.model?.groups.flatMap((g) => g.items.map((i) => i.text))).toEqual(['Đơn đề nghị (Mẫu 01)', 'Bản sao sổ hộ nghèo']);
    // the local list again, without 99.000001: only that local record goes; the listing's stay
    const again = await upload([csv.split('\r\n')[0], csv.split('\r\n')[5]].join('\n'), { type: 'text/csv' });
    expect(again.json()).toMatchObject({ added: 0, changed: 0, unchanged: 1, removed: 1 });
    const preview = (await call('GET', `/api/admin/knowledge/imports/${(again.json() as ImportBody).id}`)).json();
    expect(preview.removed).toEqual([{ code: '99.000001', title: 'Hỗ trợ tiền điện cho hộ nghèo, hộ chính sách', origin: 'local' }]);
    // and a listing import in replace mode leaves the local records alone
    expect((await upload(lines())).json()).toMatchObject({ removed: 0, added: 0, changed: 0 });
  });

  it('a CSV saved by Excel: not UTF-8 is refused with how to save as "CSV UTF-8"; separated by ";" is read as such', async () => {
    const header = 'ma_thu_tuc,ten_thu_tuc,duong_dan\r\n';
    // Excel's "CSV (Comma delimited)": Windows-1252/1258 bytes ("á" is 0xE1), invalid as UTF-8
    const ansi = Buffer.concat([Buffer.from(header), Buffer.from('99.000010,Trợ cấp mai táng phí,https://dichvucong.daklak.gov.vn/tt/99.000010\r\n'.replace('Trợ', 'Tro'), 'latin1')]);
    const refused = await upload(ansi, { type: 'text/csv' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatch(/^Tệp CSV không được lưu theo bảng mã UTF-8: từ dòng 2 có chữ không đọc được/);
    expect(refused.json().error).toContain('“CSV UTF-8 (Comma delimited) (*.csv)”');
    // a file once mis-read and saved again as UTF-8 carries U+FFFD: refused the same way
    const mangled = await upload(`${header}99.000010,Th\uFFFD t\uFFFDc mai táng,https://dichvucong.daklak.gov.vn/tt/99.000010\r\n`, { type: 'text/csv' });
    expect(mangled.statusCode).toBe(400);
    expect(mangled.json().error).toMatch(/từ dòng 2 có chữ không đọc được/);
    // the same refusal for JSON lines, worded without Excel
    const jsonl = await upload(Buffer.concat([Buffer.from(lines()), Buffer.from('{"ma_thu_tuc": "1.1", "ten_thu_tuc": "Th\xf9 t\xf9c"}\n', 'latin1')]));
    expect(jsonl.statusCode).toBe(400);
    expect(jsonl.json().error).toMatch(new RegExp(`^Tệp không được lưu theo bảng mã UTF-8: từ dòng ${SMALL_CODES.length + 1} `));
    expect(await t.db.query("SELECT id FROM knowledge_imports WHERE format = 'local' AND summary->>'added' = '1'")).toEqual([]);

    // Excel with Vietnamese regional settings separates with ";" (a cell holding ";" is quoted)
    const semicolon = [
      '\uFEFFma_thu_tuc;ten_thu_tuc;duong_dan;thanh_phan_ho_so',
      '99.000011;Hỗ trợ chi phí mai táng, người cao tuổi;https://dichvucong.daklak.gov.vn/tt/99.000011;"Đơn đề nghị; Giấy chứng tử"',
    ].join('\r\n');
    const res = await upload(semicolon, { type: 'text/csv', mode: 'merge' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ format: 'local', added: 1, errors: [] });
    expect((await k.versions.importedRecords((res.json() as ImportBody).id))![0]).toMatchObject({
      code: '99.000011',
      title: 'Hỗ trợ chi phí mai táng, người cao tuổi',
      documentGroups: [{ documents: [{ name: 'Đơn đề nghị' }, { name: 'Giấy chứng tử' }] }],
    });
  });

  it.skipIf(!HAVE_NATIONAL_FILE)('the whole national file goes through the route (slow; only where ../shared/data is)', async () => {
    const res = await upload(fs.readFileSync(NATIONAL_FILE));
    expect(res.statusCode).toBe(201);
    const body = res.json() as ImportBody;
    // over the small knowledge base: its 12 procedures unchanged, the rest added; the listing's 17 bad lines reported
    expect(body).toMatchObject({ unchanged: SMALL_CODES.length, changed: 0, removed: 0 });
    expect(body.added).toBe(2625 - SMALL_CODES.length);
    expect(body.errors.length).toBe(17);
    expect(body.errors.every((e) => e.line >= 1 && e.line <= 2642)).toBe(true);
  }, 180_000);
});
