import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/domain/staff.ts';
import { loadCommuneProfile } from '../../src/knowledge/commune-profile.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { HandoverService } from '../../src/services/handover/service.ts';
import { dueDate } from '../../src/services/dossiers/due-date.ts';
import { NATIONAL_TRACKING_URL, renderMine } from '../../src/services/dossiers/messages.ts';
import { DossierService } from '../../src/services/dossiers/service.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { makeProcedure } from '../helpers/procedures.ts';

const profile = loadCommuneProfile(new URL('./fixture/', import.meta.url).pathname);
const procedure = makeProcedure({
  code: '1.001193',
  title: 'Thủ tục đăng ký khai sinh',
  result: 'Giấy khai sinh',
  channels: [
    { channel: 'truc_tiep', timeValue: 3, timeUnit: 'Ngày làm việc', feeText: 'Miễn phí', feeAmounts: [], description: '' },
    { channel: 'truc_tuyen', timeValue: 5, timeUnit: 'Ngày làm việc', feeText: 'Miễn phí', feeAmounts: [], description: '' },
  ],
});
/** Thursday 3/12/2026 10:00 in Vietnam. */
let clock = new Date('2026-12-03T10:00:00+07:00');

describe('DossierService', () => {
  let t: TestDb;
  let service: DossierService;
  let lan: StaffUser;
  const notified: string[] = [];
  const outbox = (conversationId: string) =>
    t.db.query<{ text: string; source_key: string; kind: string }>(`SELECT message->>'text' AS text, source_key, kind FROM outbound_messages WHERE conversation_id = $1 ORDER BY id`, [conversationId]);
  const register = (code: string, conversationId: string, over: Partial<Parameters<DossierService['register']>[0]> = {}) =>
    service.register({ code, conversationId, channel: 'telegram', chatId: conversationId.slice('telegram:'.length), procedure, submittedVia: 'in_person', feeCharged: false, ...over });

  beforeAll(async () => {
    t = await openTestDb();
    await t.db.query(
      `INSERT INTO procedures (code, title, title_folded, levels, is_commune, url, record, content_hash) VALUES ($1, $2, 'thu tuc dang ky khai sinh', $3, true, $4, $5::jsonb, 'x')`,
      [procedure.code, procedure.title, procedure.levels, procedure.url, JSON.stringify(procedure)],
    );
    lan = await new Accounts(t.db).add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff', password: 'mat-khau-du-dai-123' }, CLI_ACTOR);
    service = new DossierService({ db: t.db, profile, logger: pino({ level: 'silent' }), now: () => clock, notify: (id) => notified.push(id) });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('register: not a code → invalid; the due date from the record’s time for how it was submitted', async () => {
    expect(await register('1.001193', 'telegram:1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await register('xin chào', 'telegram:1')).toEqual({ ok: false, reason: 'invalid' });
    const r = await register(' H56.14-240823-0001 ', 'telegram:1');
    expect(r).toMatchObject({ ok: true, created: true, dossier: { code: 'H56.14-240823-0001', status: 'submitted', procedureCode: '1.001193', submittedVia: 'in_person', channel: 'telegram', chatId: '1' } });
    const expected = dueDate(clock, { value: 3, unit: 'Ngày làm việc' }, profile.hours)!;
    expect(r.ok && r.dossier.dueAt).toBe(expected.toISOString());
    const online = await register('H56.14-240823-0002', 'telegram:1', { submittedVia: 'online' });
    expect(online.ok && online.dossier.dueAt).toBe(dueDate(clock, { value: 5, unit: 'Ngày làm việc' }, profile.hours)!.toISOString());
    const none = await register('H56.14-240823-0003', 'telegram:1', { procedure: null });
    expect(none.ok && none.dossier.dueAt).toBeNull();
  });

  it('register: the same code again is the same dossier for its conversation, and “taken” for another (any case)', async () => {
    const again = await register('H56.14-240823-0001', 'telegram:1');
    expect(again).toMatchObject({ ok: true, created: false });
    expect(await register('h56.14-240823-0001', 'telegram:2')).toEqual({ ok: false, reason: 'taken' });
    expect((await service.mine('telegram:1')).map((d) => d.code)).toEqual(['H56.14-240823-0003', 'H56.14-240823-0002', 'H56.14-240823-0001']);
    expect(await service.mine('telegram:2')).toEqual([]);
  });

  it('a status change: stored, one message in the outbox with the tracking link, audited; a retried request sends nothing more', async () => {
    expect(await service.setStatus('NOPE-123456', lan, 'received', null)).toEqual({ ok: false, reason: 'not_found' });
    expect(await service.setStatus('H56.14-240823-0001', lan, 'supplement', '  ')).toEqual({ ok: false, reason: 'bad_note' });
    const r = await service.setStatus('H56.14-240823-0001', lan, 'received', null);
    expect(r).toMatchObject({ ok: true, dossier: { status: 'received' } });
    expect(r.ok && r.dossier.receivedAt).toBe(clock.toISOString());
    expect(await service.setStatus('H56.14-240823-0001', lan, 'received', null)).toMatchObject({ ok: true });
    const sent = await outbox('telegram:1');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.kind).toBe('system');
    expect(sent[0]!.source_key).toMatch(/^dossier:\d+:\d+$/);
    expect(sent[0]!.text).toContain('Hồ sơ H56.14-240823-0001 (Thủ tục đăng ký khai sinh): Đã tiếp nhận.');
    expect(sent[0]!.text).toContain('Hạn giải quyết dự kiến theo thời hạn của thủ tục: 08/12/2026.');
    expect(sent[0]!.text).toContain(NATIONAL_TRACKING_URL);
    expect(sent[0]!.text).toContain(procedure.url);
    expect(notified).toContain('telegram:1');
    const audit = await new AuditLog(t.db).list();
    expect(audit.filter((a) => a.action === 'dossier.status')).toHaveLength(1);
    expect(audit[0]).toMatchObject({ username: 'lan', target: 'dossier:H56.14-240823-0001', details: { status: 'received' } });
  });

  it('supplement carries what is missing; done says where to collect, and asks the rating for this dossier', async () => {
    await service.setStatus('H56.14-240823-0001', lan, 'supplement', 'Bản sao giấy chứng nhận kết hôn của cha mẹ');
    await service.setStatus('H56.14-240823-0001', lan, 'done', null);
    const sent = await outbox('telegram:1');
    expect(sent[1]!.text).toContain('Cần bổ sung: Bản sao giấy chứng nhận kết hôn của cha mẹ');
    expect(sent[2]!.text).toContain('Đã có kết quả');
    expect(sent[2]!.text).toContain('Kết quả: Giấy khai sinh');
    expect(sent[2]!.text).toContain('Nơi nhận kết quả: Trung tâm Phục vụ hành chính công xã Thử Nghiệm, Số 1 đường Thử Nghiệm.');
    expect(sent[3]!.text).toContain('Bạn có hài lòng');
    const d = (await service.byCode('H56.14-240823-0001'))!;
    const state = await new ConversationStore(t.db).load('telegram:1', 'telegram');
    expect(state.flow).toMatchObject({ name: 'rating', data: { episode: `dossier:${d.id}`, procedure: '1.001193', stage: 'level' } });
    expect(state.pendingChoices.map((c) => c.label)).toEqual(['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']);
    expect(d.doneAt).toBe(clock.toISOString());
  });

  it('done with a note: the note says how to collect; no rating while the conversation is with staff', async () => {
    await register('H56.14-240823-0009', 'telegram:3');
    const handover = new HandoverService({ db: t.db, profile, retentionDays: 30, logger: pino({ level: 'silent' }) });
    const { ticket } = await handover.open({ conversationId: 'telegram:3', channel: 'telegram', chatId: '3', reason: 'asked_for_person', procedureCode: null, language: 'vi' });
    await handover.claim(ticket.id, lan);
    await service.setStatus('H56.14-240823-0009', lan, 'done', 'Nhận tại quầy số 2, mang theo CCCD.');
    const texts = (await outbox('telegram:3')).map((m) => m.text);
    expect(texts.at(-1)).toContain('Cách nhận kết quả: Nhận tại quầy số 2, mang theo CCCD.');
    expect(texts.some((x) => x.includes('Bạn có hài lòng'))).toBe(false);
    expect((await new ConversationStore(t.db).load('telegram:3', 'telegram')).flow).toMatchObject({ name: 'with_staff' });
  });

  it('a claimed transfer: confirmed or rejected by staff, the citizen told once; nothing to decide otherwise', async () => {
    expect(await service.decideTransfer('H56.14-240823-0002', lan, 'confirm')).toEqual({ ok: false, reason: 'not_claimed' });
    expect(await service.setPayment('H56.14-240823-0002', { method: 'transfer', status: 'claimed' }, null)).toMatchObject({ paymentMethod: 'transfer', paymentStatus: 'claimed' });
    const before = (await outbox('telegram:1')).length;
    expect(await service.decideTransfer('H56.14-240823-0002', lan, 'confirm')).toMatchObject({ ok: true, dossier: { paymentStatus: 'confirmed' } });
    expect(await service.decideTransfer('H56.14-240823-0002', lan, 'confirm')).toEqual({ ok: false, reason: 'not_claimed' });
    const sent = (await outbox('telegram:1')).slice(before);
    expect(sent.map((m) => m.text)).toEqual([expect.stringContaining('Trung tâm đã xác nhận khoản chuyển khoản cho hồ sơ H56.14-240823-0002.')]);
    const d = (await service.byCode('H56.14-240823-0002'))!;
    expect((await service.events(d.id)).map((e) => e.kind)).toEqual(['created', 'payment_claimed', 'payment_confirmed']);
  });

  it('lists for staff: open by default, overdue and close to due', async () => {
    await register('H56.14-240823-0100', 'telegram:4'); // due Tue 8/12 end of day
    clock = new Date('2026-12-07T10:00:00+07:00');
    const soon = await service.list({ due: 'soon' });
    expect(soon.map((d) => d.code)).toContain('H56.14-240823-0100');
    expect(soon.find((d) => d.code === 'H56.14-240823-0100')).toMatchObject({ dueState: 'soon', procedureTitle: 'Thủ tục đăng ký khai sinh' });
    expect((await service.list({ due: 'overdue' })).map((d) => d.code)).not.toContain('H56.14-240823-0100');
    clock = new Date('2026-12-09T08:00:00+07:00');
    const overdue = await service.list({ due: 'overdue' });
    expect(overdue.map((d) => d.code)).toContain('H56.14-240823-0100');
    expect(overdue.every((d) => d.dueState === 'overdue')).toBe(true);
    // done ones are not open, nor overdue
    const open = await service.list({});
    expect(open.map((d) => d.code)).not.toContain('H56.14-240823-0001');
    expect((await service.list({ status: 'done' })).map((d) => d.code)).toContain('H56.14-240823-0001');
  });

  it('“hồ sơ của tôi”: code, procedure, status, due date, payment and the tracking link, within 2,000 characters', async () => {
    const mine = await service.mineMessage('telegram:1', 'vi');
    expect(mine.text).toContain('1. H56.14-240823-0003');
    expect(mine.text).toContain('H56.14-240823-0002 — Thủ tục đăng ký khai sinh\nTrạng thái: Đã nộp\nHạn giải quyết dự kiến: 10/12\nThanh toán: Chuyển khoản (VietQR) (đã xác nhận)');
    expect(mine.text).toContain('Trạng thái: Đã có kết quả');
    expect(mine.link?.url).toBe(NATIONAL_TRACKING_URL);
    const d = (await service.byCode('H56.14-240823-0002'))!;
    const many = Array.from({ length: 60 }, (_, i) => ({ ...d, id: i, code: `H56.14-240823-${String(i).padStart(4, '0')}`, status: 'processing' as const }));
    const long = renderMine(many, 'vi');
    expect(long.text.length).toBeLessThanOrEqual(2000);
    expect(long.text).toMatch(/… và \d+ hồ sơ khác\./);
    expect(long.text).toContain(NATIONAL_TRACKING_URL);
    expect(renderMine([], 'vi').text).toContain('Bạn chưa cho tôi biết mã hồ sơ nào');
  });
});
