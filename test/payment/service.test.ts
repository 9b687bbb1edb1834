import { Api } from 'grammy';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramSender } from '../../src/channels/telegram/sender.ts';
import { ZaloBotClient } from '../../src/channels/zalo/client.ts';
import { ZaloSender } from '../../src/channels/zalo/sender.ts';
import { loadConfig } from '../../src/config.ts';
import type { StaffUser } from '../../src/domain/staff.ts';
import { choiceId, type ReplyMessage } from '../../src/domain/types.ts';
import { CommuneProfileSchema, type CommuneProfile } from '../../src/knowledge/commune-profile.ts';
import type { Procedure } from '../../src/knowledge/procedure.ts';
import { buildServer } from '../../src/server/app.ts';
import { registerMedia } from '../../src/server/media.ts';
import { PaymentService } from '../../src/services/payment/service.ts';
import { parseVietQr } from '../../src/services/payment/vietqr.ts';
import type { Db, Queryable } from '../../src/storage/db.ts';
import { insertDossier } from '../../src/storage/dossier-store.ts';
import { ProcedureOverrideStore } from '../../src/storage/procedure-override-store.ts';
import { UserStore } from '../../src/storage/user-store.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { type FakeZaloServer, startFakeZaloServer } from '../fakes/zalo-server.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { makeProcedure } from '../helpers/procedures.ts';
import { decodeQrPng } from './qr.ts';

/**
 * The transfer offer on each channel (with and without PUBLIC_URL), the QR image it serves, and the claim → staff
 * decision → citizen notice, on a real database and against the fake Telegram and Zalo servers.
 */
const NOW = new Date('2027-03-01T03:00:00Z');
const logger = pino({ level: 'silent' });
const PROFILE: CommuneProfile = CommuneProfileSchema.parse({
  feeAccount: { bankBin: '970436', accountNumber: '0011001234567', accountName: 'UBND XA AN BINH' },
});
const PAID: Procedure = makeProcedure({
  code: '1.004873',
  title: 'Thủ tục đăng ký kết hôn có yếu tố nước ngoài',
  channels: [
    { channel: 'truc_tiep', timeValue: 10, timeUnit: 'Ngày làm việc', feeText: '1,000,000 VNĐ', feeAmounts: [1_000_000], description: '' },
    { channel: 'truc_tuyen', timeValue: 10, timeUnit: 'Ngày làm việc', feeText: '1,000,000 VNĐ', feeAmounts: [1_000_000], description: '' },
  ],
});
const FREE: Procedure = makeProcedure({ code: '1.001193', title: 'Thủ tục đăng ký khai sinh' });
const ZERO: Procedure = makeProcedure({
  code: '1.000001',
  title: 'Thủ tục không thu phí',
  channels: [{ channel: 'truc_tiep', timeValue: 1, timeUnit: 'Ngày', feeText: 'Phí : 0 Đồng', feeAmounts: [], description: '' }],
});
const FORBIDDEN: Procedure = makeProcedure({ ...PAID, code: '2.000222', title: 'Thủ tục thu phí tại quầy' });

const MEDIA_URL = /^(https:\/\/bot\.example\.vn)?\/media\/[A-Za-z0-9_-]{32}\.png$/;

describe('PaymentService', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let tg: FakeTelegram;
  let zalo: FakeZaloServer;
  let lan: StaffUser;
  const service = (env: Record<string, string> = {}, profile = PROFILE, db: Db = t.db) =>
    new PaymentService({ db, profile, config: loadConfig(env), logger, now: () => NOW });
  const publicService = () => service({ PUBLIC_URL: 'https://bot.example.vn' });
  const mediaCount = async () => Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM media`))[0]!.n);
  /** The PNG the reply's image points at, fetched from the media route and decoded as a QR code. */
  const qrOf = async (reply: ReplyMessage) => {
    const path = new URL(reply.image!.url, 'http://local').pathname;
    const res = await app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    return parseVietQr(decodeQrPng(res.rawPayload)!);
  };
  let nextDossier = 0;
  const dossier = async (conversationId: string, over: { feeCharged?: boolean | null } = {}) => {
    const code = `H56.14-270301-${String(++nextDossier).padStart(4, '0')}`;
    const channel = conversationId.split(':')[0]!;
    await insertDossier(t.db, { code, conversationId, channel, chatId: conversationId.split(':')[1]!, procedureCode: PAID.code, submittedVia: 'online', feeCharged: over.feeCharged ?? true, dueAt: null, guideId: null, createdAt: NOW });
    return code;
  };
  const paymentOf = async (code: string) =>
    (await t.db.query<{ payment_method: string | null; payment_status: string | null }>(`SELECT payment_method, payment_status FROM dossiers WHERE code = $1`, [code]))[0]!;
  const eventsOf = async (code: string) =>
    (await t.db.query<{ kind: string; note: string | null; actor_id: string | null }>(
      `SELECT e.kind, e.note, e.actor_id FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = $1 ORDER BY e.id`,
      [code],
    ));
  const noticesTo = async (conversationId: string) =>
    (await t.db.query<{ message: ReplyMessage; kind: string; source_key: string }>(
      `SELECT message, kind, source_key FROM outbound_messages WHERE conversation_id = $1 AND inbound_id IS NULL ORDER BY id`,
      [conversationId],
    ));

  beforeAll(async () => {
    t = await openTestDb();
    app = buildServer({ db: t.db, logger, isReady: () => true });
    registerMedia(app, { db: t.db, now: () => NOW });
    tg = await startFakeTelegram();
    zalo = await startFakeZaloServer();
    await new ProcedureOverrideStore(t.db).set(FORBIDDEN.code, { feeAccountAllowed: false }, 'admin');
    lan = await new UserStore(t.db).insert({ username: 'lan', displayName: 'Lan', role: 'staff', passwordHash: 'x', telegramId: null });
  });
  afterAll(async () => {
    await app?.close();
    await tg?.close();
    await zalo?.close();
    await t?.cleanup();
  });

  describe('transferOffer', () => {
    it('web: the account, the exact amount, the memo with the dossier code, and a relative QR image that decodes to them', async () => {
      const reply = (await service().transferOffer({ procedure: PAID, channel: 'web', exactAmount: 1_000_000, dossierCode: 'H56.14-240823-0001', lang: 'vi' }))!;
      expect(reply.image!.url).toMatch(/^\/media\/[A-Za-z0-9_-]{32}\.png$/);
      expect(await qrOf(reply)).toEqual({ bankBin: '970436', accountNumber: '0011001234567', amount: 1_000_000, memo: 'HS H56.14-240823-0001' });
      for (const line of ['Tên tài khoản: UBND XA AN BINH', 'Số tài khoản: 0011001234567', 'Vietcombank', 'Số tiền: 1.000.000 đồng', 'Nội dung chuyển khoản: HS H56.14-240823-0001', 'Quét mã QR']) {
        expect(reply.text).toContain(line);
      }
      // said plainly: cashless, but not an online payment; paying on the portal after submitting is
      expect(reply.text).toContain('không được tính là thanh toán trực tuyến');
      expect(reply.text).toContain('"Quản lý hồ sơ" → "Yêu cầu thanh toán"');
      expect(reply.text).toContain(PAID.url);
      expect(reply.link?.url).toBe(PAID.url);
      expect(reply.choices).toEqual([{ id: choiceId.guide('transferred'), label: 'Tôi đã chuyển khoản' }]);
      expect(reply.text.length).toBeLessThanOrEqual(2000);
    });

    it('no exact amount: none in the QR and a sentence that the centre states it', async () => {
      const reply = (await service().transferOffer({ procedure: PAID, channel: 'web', exactAmount: null, dossierCode: null, lang: 'vi' }))!;
      expect(await qrOf(reply)).toEqual({ bankBin: '970436', accountNumber: '0011001234567', amount: null, memo: 'LE PHI 1.004873' });
      expect(reply.text).toContain('Trung tâm sẽ báo số tiền phải nộp');
      expect(reply.text).not.toMatch(/\d\.\d{3} đồng/);
      expect(reply.text).toContain('Nếu chưa nộp hồ sơ, bạn nên nộp trước rồi mới chuyển khoản');
    });

    it('Telegram with PUBLIC_URL: the image at PUBLIC_URL/media/…, sent to the fake as sendPhoto with that https URL', async () => {
      const reply = (await publicService().transferOffer({ procedure: PAID, channel: 'telegram', exactAmount: 1_000_000, dossierCode: 'H56.14-240823-0002', lang: 'vi' }))!;
      expect(reply.image!.url).toMatch(/^https:\/\/bot\.example\.vn\/media\/[A-Za-z0-9_-]{32}\.png$/);
      expect((await qrOf(reply)).memo).toBe('HS H56.14-240823-0002');
      await new TelegramSender({ api: new Api(tg.token, { apiRoot: tg.apiRoot }), logger, token: tg.token }).send('501', reply);
      const calls = tg.sent.filter((c) => String(c.payload.chat_id) === '501');
      expect(calls.map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto']);
      expect(calls[1]!.payload.photo).toBe(reply.image!.url);
      expect(String(calls[0]!.payload.text)).toContain('Số tài khoản: 0011001234567');
    });

    it('Zalo with PUBLIC_URL: the fake receives sendPhoto with the https URL after the details', async () => {
      const reply = (await publicService().transferOffer({ procedure: PAID, channel: 'zalo', exactAmount: 1_000_000, dossierCode: 'H56.14-240823-0003', lang: 'vi' }))!;
      expect(reply.image!.url).toMatch(MEDIA_URL);
      await new ZaloSender(new ZaloBotClient({ token: zalo.token, apiBase: zalo.url }), logger).send('z-501', reply);
      const sent = zalo.sent.filter((s) => s.chat_id === 'z-501');
      expect(sent.map((s) => s.method)).toEqual(['sendMessage', 'sendPhoto']);
      expect(sent[1]!.photo).toBe(reply.image!.url);
      expect(sent[0]!.text).toContain('1. Tôi đã chuyển khoản');
    });

    it('Telegram and Zalo without PUBLIC_URL (or with a plain-http one): the details as text only, no image stored', async () => {
      for (const env of [{}, { PUBLIC_URL: 'http://127.0.0.1:3000' }] as Record<string, string>[]) {
        for (const channel of ['telegram', 'zalo']) {
          const before = await mediaCount();
          const reply = (await service(env).transferOffer({ procedure: PAID, channel, exactAmount: 1_000_000, dossierCode: 'H56.14-240823-0004', lang: 'vi' }))!;
          expect(reply.image, channel).toBeUndefined();
          expect(await mediaCount()).toBe(before);
          expect(reply.text).toContain('Số tài khoản: 0011001234567');
          expect(reply.text).toContain('Nội dung chuyển khoản: HS H56.14-240823-0004');
          expect(reply.text).toContain('Bạn nhập các thông tin trên');
          expect(reply.text).not.toContain('Quét mã QR');
        }
      }
      const reply = (await service().transferOffer({ procedure: PAID, channel: 'telegram', exactAmount: null, dossierCode: null, lang: 'vi' }))!;
      await new TelegramSender({ api: new Api(tg.token, { apiRoot: tg.apiRoot }), logger, token: tg.token }).send('502', reply);
      expect(tg.sent.filter((c) => String(c.payload.chat_id) === '502').map((c) => c.method)).toEqual(['sendMessage']);
      await new ZaloSender(new ZaloBotClient({ token: zalo.token, apiBase: zalo.url }), logger).send('z-502', reply);
      expect(zalo.sent.filter((s) => s.chat_id === 'z-502').map((s) => s.method)).toEqual(['sendMessage']);
    });

    it('the stored image expires after 30 days and is purged', async () => {
      const reply = (await service().transferOffer({ procedure: PAID, channel: 'web', exactAmount: null, dossierCode: null, lang: 'vi' }))!;
      const name = reply.image!.url.split('/').pop()!;
      const [row] = await t.db.query<{ expires_at: string }>(`SELECT expires_at FROM media WHERE name = $1`, [name]);
      expect(new Date(row!.expires_at).toISOString()).toBe(new Date(NOW.getTime() + 30 * 86_400_000).toISOString());
      const later = new PaymentService({ db: t.db, profile: PROFILE, config: loadConfig({}), logger, now: () => new Date(NOW.getTime() + 31 * 86_400_000) });
      expect(await later.purgeExpiredMedia()).toBeGreaterThan(0);
      expect((await app.inject({ method: 'GET', url: `/media/${name}` })).statusCode).toBe(404);
    });

    it('null: a free procedure, an amount of 0, the override forbidding it, no fee account', async () => {
      const s = service();
      expect(await s.transferOffer({ procedure: FREE, channel: 'web', exactAmount: null, dossierCode: null, lang: 'vi' })).toBeNull();
      expect(await s.transferOffer({ procedure: ZERO, channel: 'web', exactAmount: null, dossierCode: null, lang: 'vi' })).toBeNull();
      expect(await s.transferOffer({ procedure: PAID, channel: 'web', exactAmount: 0, dossierCode: null, lang: 'vi' })).toBeNull();
      expect(await s.transferOffer({ procedure: FORBIDDEN, channel: 'web', exactAmount: 1_000_000, dossierCode: null, lang: 'vi' })).toBeNull();
      const noAccount = service({}, CommuneProfileSchema.parse({}));
      expect(await noAccount.transferOffer({ procedure: PAID, channel: 'web', exactAmount: 1_000_000, dossierCode: null, lang: 'vi' })).toBeNull();
      // the environment's account is enough without one in the profile
      const fromEnv = service({ FEE_ACCOUNT_BIN: '970415', FEE_ACCOUNT_NUMBER: '123456789012', FEE_ACCOUNT_NAME: 'TT PVHCC AN BINH' }, CommuneProfileSchema.parse({}));
      const reply = (await fromEnv.transferOffer({ procedure: PAID, channel: 'web', exactAmount: null, dossierCode: null, lang: 'vi' }))!;
      expect((await qrOf(reply)).accountNumber).toBe('123456789012');
      expect(reply.text).toContain('TT PVHCC AN BINH');
    });

    it('in English for a conversation in English, with the same honest note', async () => {
      const reply = (await service().transferOffer({ procedure: PAID, channel: 'web', exactAmount: 1_000_000, dossierCode: 'H56.14-240823-0001', lang: 'en' }))!;
      expect(reply.text).toContain('Amount: 1,000,000 VND');
      expect(reply.text).toContain('does not count as an online payment');
      expect(reply.choices?.[0]?.id).toBe(choiceId.guide('transferred'));
    });
  });

  describe('claimTransfer', () => {
    it('stores the claim (transfer, claimed, an event) before acknowledging; a second press changes nothing', async () => {
      const code = await dossier('web:c1');
      const r = await service().recordTransferClaim({ conversationId: 'web:c1', dossierCode: code.toLowerCase(), lang: 'vi' });
      expect(r.outcome).toBe('claimed');
      expect(r.dossierCode).toBe(code);
      expect(r.reply.text).toContain(`hồ sơ ${code}`);
      expect(await paymentOf(code)).toEqual({ payment_method: 'transfer', payment_status: 'claimed' });
      expect((await eventsOf(code)).map((e) => e.kind)).toEqual(['payment_claimed']);
      const again = await service().recordTransferClaim({ conversationId: 'web:c1', dossierCode: code, lang: 'vi' });
      expect(again.outcome).toBe('already_claimed');
      expect((await eventsOf(code)).map((e) => e.kind)).toEqual(['payment_claimed']);
    });

    it('claimTransfer gives just the acknowledgement to send', async () => {
      const code = await dossier('web:c11');
      expect(await service().claimTransfer({ conversationId: 'web:c11', dossierCode: code, lang: 'vi' })).toEqual({
        text: expect.stringContaining(`Đã ghi nhận: bạn báo đã chuyển khoản lệ phí cho hồ sơ ${code}`),
      });
      expect(await paymentOf(code)).toEqual({ payment_method: 'transfer', payment_status: 'claimed' });
    });

    it('when the write fails, nothing is acknowledged and nothing half-stored', async () => {
      const code = await dossier('web:c2');
      const failing: Db = {
        ...t.db,
        kind: t.db.kind,
        query: (sql, params) => t.db.query(sql, params),
        exec: (sql) => t.db.exec(sql),
        close: async () => {},
        transaction: (fn) =>
          t.db.transaction((tx) =>
            fn({
              query: (sql: string, params?: unknown[]) => {
                if (/INSERT INTO dossier_events/.test(sql)) throw new Error('disk full');
                return tx.query(sql, params);
              },
            } as Queryable),
          ),
      };
      await expect(service({}, PROFILE, failing).recordTransferClaim({ conversationId: 'web:c2', dossierCode: code, lang: 'vi' })).rejects.toThrow('disk full');
      expect(await paymentOf(code)).toEqual({ payment_method: null, payment_status: null });
    });

    it("without a code: the conversation's one dossier awaiting payment; none or several: the code is asked for", async () => {
      expect((await service().recordTransferClaim({ conversationId: 'web:c3', dossierCode: null, lang: 'vi' })).outcome).toBe('needs_code');
      const code = await dossier('web:c3');
      await dossier('web:c3', { feeCharged: false }); // free for this case: not awaiting a payment
      const r = await service().recordTransferClaim({ conversationId: 'web:c3', dossierCode: null, lang: 'vi' });
      expect(r).toMatchObject({ outcome: 'claimed', dossierCode: code });
      expect((await service().recordTransferClaim({ conversationId: 'web:c3', dossierCode: null, lang: 'vi' })).outcome).toBe('already_claimed');
      await dossier('web:c4');
      await dossier('web:c4');
      const ask = await service().recordTransferClaim({ conversationId: 'web:c4', dossierCode: null, lang: 'vi' });
      expect(ask.outcome).toBe('needs_code');
      expect(ask.reply.text).toContain('mã hồ sơ');
    });

    it("another conversation's dossier code is treated as unknown and left untouched", async () => {
      const code = await dossier('telegram:900');
      const r = await service().recordTransferClaim({ conversationId: 'web:intruder', dossierCode: code, lang: 'vi' });
      expect(r.outcome).toBe('unknown_dossier');
      expect(await paymentOf(code)).toEqual({ payment_method: null, payment_status: null });
    });
  });

  describe('confirm and reject', () => {
    it('confirm: claimed → confirmed, one notice to the citizen through the outbox, audited; a second confirm tells no one', async () => {
      const code = await dossier('telegram:700');
      await service().recordTransferClaim({ conversationId: 'telegram:700', dossierCode: code, lang: 'vi' });
      const notified: string[] = [];
      const s = service();
      s.notify = (id) => notified.push(id);
      const r = await s.confirmPayment(code, lan);
      expect(r.ok && r.dossier.paymentStatus).toBe('confirmed');
      expect(notified).toEqual(['telegram:700']);
      const notices = await noticesTo('telegram:700');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ kind: 'system', source_key: expect.stringMatching(/^payment:\d+:confirmed:\d+$/) });
      expect(notices[0]!.message.text).toContain(`đã xác nhận nhận được khoản chuyển khoản lệ phí cho hồ sơ ${code}`);
      expect((await eventsOf(code)).map((e) => [e.kind, e.actor_id === null ? null : Number(e.actor_id)])).toEqual([
        ['payment_claimed', null],
        ['payment_confirmed', lan.id],
      ]);
      const audit = await t.db.query<{ action: string; target: string }>(`SELECT action, target FROM audit_log WHERE target = $1`, [`dossier:${code}`]);
      expect(audit).toEqual([{ action: 'dossier.payment_confirm', target: `dossier:${code}` }]);

      const twice = await s.confirmPayment(code, lan);
      expect(twice).toEqual({ ok: false, reason: 'not_claimed', paymentStatus: 'confirmed' });
      expect(await noticesTo('telegram:700')).toHaveLength(1);
      expect(notified).toHaveLength(1);
      expect((await service().recordTransferClaim({ conversationId: 'telegram:700', dossierCode: code, lang: 'vi' })).outcome).toBe('already_confirmed');
    });

    it('reject: the citizen is told once with the reason (kept out of the log as typed), may claim again, and the next decision is told too', async () => {
      const code = await dossier('zalo:z-800');
      const s = service();
      await s.recordTransferClaim({ conversationId: 'zalo:z-800', dossierCode: code, lang: 'vi' });
      const r = await s.rejectPayment(code, lan, '  Chưa thấy tiền về,  gọi 0912345678 để đối chiếu ');
      expect(r.ok && r.dossier.paymentStatus).toBe('rejected');
      expect(await s.rejectPayment(code, lan, 'lần nữa')).toMatchObject({ ok: false, reason: 'not_claimed', paymentStatus: 'rejected' });
      let notices = await noticesTo('zalo:z-800');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.message.text).toContain('Lý do: Chưa thấy tiền về, gọi 0912345678 để đối chiếu');
      const rejected = (await eventsOf(code)).find((e) => e.kind === 'payment_rejected')!;
      expect(rejected.note).not.toContain('0912345678');

      expect((await s.recordTransferClaim({ conversationId: 'zalo:z-800', dossierCode: code, lang: 'vi' })).outcome).toBe('claimed');
      expect((await s.confirmPayment(code, lan)).ok).toBe(true);
      notices = await noticesTo('zalo:z-800');
      expect(notices.map((n) => n.source_key.split(':')[2])).toEqual(['rejected', 'confirmed']);
      expect(await paymentOf(code)).toEqual({ payment_method: 'transfer', payment_status: 'confirmed' });
    });

    it('two staff deciding at once: one wins, the citizen is told once', async () => {
      const code = await dossier('web:c10');
      await service().recordTransferClaim({ conversationId: 'web:c10', dossierCode: code, lang: 'vi' });
      const minh = await new UserStore(t.db).insert({ username: 'minh', displayName: 'Minh', role: 'staff', passwordHash: 'x', telegramId: null });
      const results = await Promise.all([service().confirmPayment(code, lan), service().rejectPayment(code, minh, 'không thấy')]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toMatchObject([{ reason: 'not_claimed' }]);
      expect(await noticesTo('web:c10')).toHaveLength(1);
      expect((await eventsOf(code)).filter((e) => e.kind !== 'payment_claimed')).toHaveLength(1);
    });

    it('a dossier never claimed, or unknown, is not decided', async () => {
      const code = await dossier('web:c9');
      expect(await service().confirmPayment(code, lan)).toEqual({ ok: false, reason: 'not_claimed', paymentStatus: null });
      expect(await service().rejectPayment('H99.99-000000-0000', lan)).toEqual({ ok: false, reason: 'not_found' });
      expect(await noticesTo('web:c9')).toHaveLength(0);
    });
  });
});
