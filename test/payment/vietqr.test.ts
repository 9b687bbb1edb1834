import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { CommuneProfileSchema } from '../../src/knowledge/commune-profile.ts';
import { bankNameOf, feeAccountOf, type FeeAccount } from '../../src/services/payment/fee-account.ts';
import { MEMO_MAX, MemoError, assertMemo, transferMemo } from '../../src/services/payment/memo.ts';
import { decodeQrPng } from './qr.ts';
import { parseVietQr, VietQrError, vietQrPayload, vietQrPng } from '../../src/services/payment/vietqr.ts';

const ACCOUNT: FeeAccount = { bankBin: '970436', accountNumber: '0011001234567', accountName: 'UBND XA AN BINH', bankName: null };


describe('VietQR payload', () => {
  it('round trips account, amount and memo through the library parser', () => {
    const payload = vietQrPayload(ACCOUNT, 50_000, 'HS H56.14-240823-0001');
    expect(parseVietQr(payload)).toEqual({ bankBin: '970436', accountNumber: '0011001234567', amount: 50_000, memo: 'HS H56.14-240823-0001' });
    // NAPAS 247 to an account (QRIBFTTA), dynamic (12) because it carries an amount
    expect(payload).toContain('QRIBFTTA');
    expect(payload.slice(0, 12)).toBe('000201010212');
  });

  it('without an amount: no amount field, the payer types it; the memo is kept', () => {
    const payload = vietQrPayload(ACCOUNT, null, 'LE PHI 1.001193');
    expect(parseVietQr(payload)).toEqual({ bankBin: '970436', accountNumber: '0011001234567', amount: null, memo: 'LE PHI 1.001193' });
    expect(payload).not.toMatch(/54\d\d\d+5802VN/);
  });

  it('refuses what the library would take: a memo over 25 characters or with diacritics, a bad account, a bad amount', () => {
    expect(() => vietQrPayload(ACCOUNT, null, 'X'.repeat(26))).toThrow(MemoError);
    expect(() => vietQrPayload(ACCOUNT, null, 'Lệ phí khai sinh')).toThrow(MemoError);
    expect(() => vietQrPayload({ ...ACCOUNT, bankBin: '97043' }, null, 'HS 1')).toThrow(VietQrError);
    expect(() => vietQrPayload({ ...ACCOUNT, accountNumber: '12-34' }, null, 'HS 1')).toThrow(VietQrError);
    expect(() => vietQrPayload(ACCOUNT, 0, 'HS 1')).toThrow(VietQrError);
    expect(() => vietQrPayload(ACCOUNT, 12.5, 'HS 1')).toThrow(VietQrError);
  });

  it('parseVietQr rejects a payload whose checksum was tampered with', () => {
    const payload = vietQrPayload(ACCOUNT, 50_000, 'HS 1');
    const tampered = payload.replace('50000', '90000');
    expect(() => parseVietQr(tampered)).toThrow(VietQrError);
  });

  it('the PNG decodes back as a QR code equal to the payload', async () => {
    for (const amount of [50_000, null]) {
      const payload = vietQrPayload(ACCOUNT, amount, 'HS 000.00.06.H56-231027');
      const png = await vietQrPng(payload);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(decodeQrPng(png)).toBe(payload);
    }
  });
});

describe('transfer memo', () => {
  it('keeps the dossier code whole when it fits, with "HS "', () => {
    expect(transferMemo('H56.14-240823-0001', '1.001193')).toBe('HS H56.14-240823-0001');
  });

  it('a longer code: the code alone when it fits 25, else its most specific trailing segments', () => {
    expect(transferMemo('000.00.06.H56-231027-0361', '1.001193')).toBe('000.00.06.H56-231027-0361');
    const memo = transferMemo('000.00.06.H56.XA-231027-0361', '1.001193');
    expect(memo).toBe('HS 06.H56.XA-231027-0361');
    expect(memo.length).toBeLessThanOrEqual(MEMO_MAX);
    expect(memo.endsWith('231027-0361')).toBe(true);
  });

  it('diacritics folded and other characters dropped: ASCII only', () => {
    expect(transferMemo(' hs-Đ56.14–240823 ', '1.001193')).toBe('HS hs-D56.14240823');
    const memo = transferMemo('H56.14-240823-0001', '1.001193');
    expect(/^[\x20-\x7e]+$/.test(memo)).toBe(true);
  });

  it('without a dossier code: "LE PHI" and the procedure code, cut to whole leading segments', () => {
    expect(transferMemo(null, '1.001193')).toBe('LE PHI 1.001193');
    expect(transferMemo(null, '1.001193.000.00.00.H12')).toBe('LE PHI 1.001193.000.00.00');
    expect(transferMemo(null, '1.001193.000.00.00.H12').length).toBeLessThanOrEqual(MEMO_MAX);
  });

  it('throws when nothing fits rather than cutting a code in the middle', () => {
    expect(() => transferMemo('A'.repeat(30) + '-1' + 'B'.repeat(30), '1.001193')).toThrow(MemoError);
    expect(() => assertMemo('')).toThrow(MemoError);
    expect(() => assertMemo('HS_1')).toThrow(MemoError);
  });
});

describe('fee account', () => {
  const profile = (feeAccount: unknown) => CommuneProfileSchema.parse({ feeAccount });

  it('none in the profile and none in the environment: no account', () => {
    expect(feeAccountOf(profile(null), loadConfig({}))).toBeNull();
  });

  it("the profile's account, its bank named by the profile or else by the NAPAS list", () => {
    const named = profile({ bankBin: '970436', accountNumber: '0011001234567', accountName: 'UBND XA AN BINH', bankName: 'Vietcombank chi nhánh Bắc Ninh' });
    expect(feeAccountOf(named, loadConfig({}))).toEqual({ bankBin: '970436', accountNumber: '0011001234567', accountName: 'UBND XA AN BINH', bankName: 'Vietcombank chi nhánh Bắc Ninh' });
    const unnamed = profile({ bankBin: '970436', accountNumber: '0011001234567', accountName: 'UBND XA AN BINH' });
    expect(feeAccountOf(unnamed, loadConfig({}))?.bankName).toBe(bankNameOf('970436'));
    expect(bankNameOf('970436')).toMatch(/Vietcombank/);
    expect(bankNameOf('000000')).toBeNull();
  });

  it('the environment overrides the profile; the profile bank name is kept only for the same BIN', () => {
    const p = profile({ bankBin: '970436', accountNumber: '0011001234567', accountName: 'UBND XA AN BINH', bankName: 'VCB Bắc Ninh' });
    const env = loadConfig({ FEE_ACCOUNT_BIN: '970415', FEE_ACCOUNT_NUMBER: '123456789012', FEE_ACCOUNT_NAME: 'TT PVHCC XA AN BINH' });
    expect(feeAccountOf(p, env)).toEqual({ bankBin: '970415', accountNumber: '123456789012', accountName: 'TT PVHCC XA AN BINH', bankName: bankNameOf('970415') });
    const same = loadConfig({ FEE_ACCOUNT_BIN: '970436', FEE_ACCOUNT_NUMBER: '999999999', FEE_ACCOUNT_NAME: 'X' });
    expect(feeAccountOf(p, same)?.bankName).toBe('VCB Bắc Ninh');
  });

  it('the environment: all three or none, each validated', () => {
    expect(() => loadConfig({ FEE_ACCOUNT_BIN: '970436', FEE_ACCOUNT_NUMBER: '0011001234567' })).toThrow(/all three or none/);
    expect(() => loadConfig({ FEE_ACCOUNT_BIN: 'VCB', FEE_ACCOUNT_NUMBER: '0011001234567', FEE_ACCOUNT_NAME: 'X' })).toThrow(ConfigError);
    expect(() => loadConfig({ FEE_ACCOUNT_BIN: '970436', FEE_ACCOUNT_NUMBER: '12ab', FEE_ACCOUNT_NAME: 'X' })).toThrow(/FEE_ACCOUNT_NUMBER/);
    expect(loadConfig({ FEE_ACCOUNT_BIN: '', FEE_ACCOUNT_NUMBER: '', FEE_ACCOUNT_NAME: '' }).feeAccount).toBeNull();
  });

  it('a profile account without its BIN (the old bankName-only form) is refused with what to add', () => {
    const old = CommuneProfileSchema.safeParse({ feeAccount: { bankName: 'Vietcombank', accountNumber: '0011001234567', accountName: 'UBND XA AN BINH' } });
    expect(old.success).toBe(false);
    expect(old.error?.issues[0]?.message).toMatch(/6-digit NAPAS BIN/);
  });
});
