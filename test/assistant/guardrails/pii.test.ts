import { describe, expect, it } from 'vitest';
import {
  containsPersonalData,
  PII_NOTICE,
  type PiiKind,
  redactPersonalData,
} from '../../../src/assistant/guardrails/pii.ts';

const redacts = (text: string, kind: PiiKind, expected: string) => {
  const r = redactPersonalData(text);
  expect(r.text).toBe(expected);
  expect(r.found).toEqual([kind]);
};

describe('redactPersonalData: căn cước (12 digits)', () => {
  it.each([
    ['CCCD của tôi là 001203001234', 'CCCD của tôi là [số căn cước]'],
    ['số căn cước 0012 0300 1234 nhé', 'số căn cước [số căn cước] nhé'],
    ['căn cước 001.203.001.234', 'căn cước [số căn cước]'],
    ['001-203-001-234 là số của em', '[số căn cước] là số của em'],
    // A 12-digit number starting with 0 is a căn cước number even with no word before it.
    ['em gửi 079203004567 ạ', 'em gửi [số căn cước] ạ'],
    // VNeID logs in with the căn cước number: "tài khoản VNeID" is not a bank account.
    ['tài khoản VNeID 001203001234 bị khóa', 'tài khoản VNeID [số căn cước] bị khóa'],
    ['số định danh 001203001234', 'số định danh [số căn cước]'],
  ])('%s', (text, expected) => redacts(text, 'citizen_id', expected));
});

describe('redactPersonalData: CMND (9 digits)', () => {
  it.each([
    ['CMND 123456789 hết hạn', 'CMND [CMND] hết hạn'],
    ['chứng minh thư số 123 456 789', 'chứng minh thư số [CMND]'],
    ['số 123456789 của tôi', 'số [CMND] của tôi'],
  ])('%s', (text, expected) => redacts(text, 'old_id', expected));
});

describe('redactPersonalData: phone numbers', () => {
  it.each([
    ['sđt 0912345678', 'sđt [số điện thoại]'],
    ['gọi 0912 345 678 giúp', 'gọi [số điện thoại] giúp'],
    ['0912.345.678', '[số điện thoại]'],
    ['số 0912-345-678', 'số [số điện thoại]'],
    ['liên hệ +84 912-345-678', 'liên hệ [số điện thoại]'],
    ['+84912345678', '[số điện thoại]'],
    ['(+84) 912 345 678', '[số điện thoại]'],
    ['84912345678', '[số điện thoại]'],
    ['máy bàn 0243 825 1234', 'máy bàn [số điện thoại]'],
    ['sdt0912345678', 'sdt[số điện thoại]'],
    ['sđt 0912345678 k nghe máy', 'sđt [số điện thoại] k nghe máy'],
    // The zero dropped after a phone word.
    ['số điện thoại 912345678', 'số điện thoại [số điện thoại]'],
    ['số nước ngoài +1 202 555 0100', 'số nước ngoài [số điện thoại]'],
  ])('%s', (text, expected) => redacts(text, 'phone', expected));

  it('takes two numbers written back to back as two phones', () => {
    expect(redactPersonalData('0912345678,0987654321').text).toBe('[số điện thoại],[số điện thoại]');
    expect(redactPersonalData('sđt 0912345678/0987654321').text).toBe('sđt [số điện thoại]/[số điện thoại]');
    expect(redactPersonalData('0912345678 0987654321').text).toBe('[số điện thoại] [số điện thoại]');
  });

  it('does not glue a year to a phone number after it', () => {
    expect(redactPersonalData('sinh năm 1990 0912345678').text).toBe('sinh năm 1990 [số điện thoại]');
  });
});

describe('redactPersonalData: e-mail', () => {
  it.each([
    ['email nguyenvana@gmail.com nhé', 'email [email] nhé'],
    ['gửi về tran.thi-b+hs@ubnd.hanoi.gov.vn', 'gửi về [email]'],
    ['địa chỉ thư: lan_2001@yahoo.com.vn.', 'địa chỉ thư: [email].'],
  ])('%s', (text, expected) => redacts(text, 'email', expected));

  it('does not read the digits of an address as anything else', () => {
    expect(redactPersonalData('0912345678@gmail.com')).toEqual({ text: '[email]', found: ['email'] });
  });
});

describe('redactPersonalData: bank accounts', () => {
  it.each([
    ['stk 1903 4567 8901 23 techcombank', 'stk [số tài khoản] techcombank'],
    ['số tài khoản Vietcombank: 0123456789', 'số tài khoản Vietcombank: [số tài khoản]'],
    ['tk 123456', 'tk [số tài khoản]'],
    ['account 12345678', 'account [số tài khoản]'],
    ['stk:19034567890123', 'stk:[số tài khoản]'],
    // A phone number used as an account number is still an account number.
    ['STK MB 0912345678', 'STK MB [số tài khoản]'],
    // Long runs with no word before them are taken as accounts.
    ['chuyển vào 19034567890123 giúp tôi', 'chuyển vào [số tài khoản] giúp tôi'],
    ['thẻ 9704 1234 5678 9012', 'thẻ [số tài khoản]'],
  ])('%s', (text, expected) => redacts(text, 'bank_account', expected));

  it('keeps an amount written without its unit after an account word', () => {
    expect(redactPersonalData('chuyển khoản 500000 vào đâu')).toEqual({ text: 'chuyển khoản 500000 vào đâu', found: [] });
  });
});

describe('redactPersonalData: several kinds in one message', () => {
  it('replaces each and lists each kind once, in order', () => {
    const r = redactPersonalData(
      'Tôi tên Lan, CCCD 001203001234, sđt 0912345678, email lan@gmail.com, sđt khác 0987654321, stk 1903456789012',
    );
    expect(r.text).toBe(
      'Tôi tên Lan, CCCD [số căn cước], sđt [số điện thoại], email [email], sđt khác [số điện thoại], stk [số tài khoản]',
    );
    expect(r.found).toEqual(['citizen_id', 'phone', 'email', 'bank_account']);
  });

  it('keeps a dossier code next to a phone number', () => {
    expect(redactPersonalData('Mã hồ sơ H12.22-250101-0001, sđt 0912345678').text).toBe(
      'Mã hồ sơ H12.22-250101-0001, sđt [số điện thoại]',
    );
  });
});

describe('redactPersonalData: what must survive', () => {
  it.each([
    'thủ tục 1.001193 cần giấy tờ gì',
    'mã 2.000986.000.00.00.H12',
    'Nghị định 123/2015/NĐ-CP',
    'theo Nghị định 104/2022',
    'Thông tư 01/2022/TT-BTP ngày 04/01/2022',
    'sinh năm 2022',
    'năm 2021 2022 2023 2024',
    'lệ phí 50.000 đồng',
    'lệ phí 50,000 VNĐ',
    'khoảng 5 triệu',
    '1,5 tỷ đồng',
    'phí 200k',
    'lệ phí 100.000.000',
    'phạt 500000000 đồng',
    'ngày 21/12/2022',
    'ngày 01.07.2025',
    'hạn 01-07-2025',
    'hồ sơ H12.22-250101-0001 đến đâu rồi',
    'tra cứu 000.00.12.H12-250101-0001',
    'mã hồ sơ 2501010001',
    'số biên nhận 250101000123',
    'hotline 1900 1234',
    'tổng đài 1800 599 920',
    'tôi 35 tuổi có 2 con, nhà số 12 ngõ 34',
    'Mẫu TK01, mẫu số 02/2020',
    'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1001193',
    'Mã số thuế 0101234567 của công ty',
    '',
  ])('%s', (text) => {
    expect(redactPersonalData(text)).toEqual({ text, found: [] });
    expect(containsPersonalData(text)).toBe(false);
  });
});

describe('containsPersonalData', () => {
  it('is true exactly when something would be redacted', () => {
    expect(containsPersonalData('số tôi 0912345678')).toBe(true);
    expect(containsPersonalData('a@b.vn')).toBe(true);
    expect(containsPersonalData('thủ tục 1.001193, lệ phí 50.000 đồng')).toBe(false);
  });
});

describe('PII_NOTICE', () => {
  it('is one Vietnamese sentence naming what not to send', () => {
    expect(PII_NOTICE).toMatch(/số căn cước/);
    expect(PII_NOTICE).toMatch(/số điện thoại/);
    expect(PII_NOTICE).toMatch(/số tài khoản/);
    expect(PII_NOTICE.trim().split(/[.!?](\s|$)/).filter((s) => s && s.trim()).length).toBe(1);
  });
});
