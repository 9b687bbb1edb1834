import { describe, expect, it } from 'vitest';
import { findDossierCode } from '../../src/services/dossiers/code.ts';

describe('the dossier code in a citizen’s message', () => {
  it.each([
    ['mã hồ sơ của tôi là H56.14-240823-0001', 'H56.14-240823-0001'],
    ['000.00.06.H56-231027-0361', '000.00.06.H56-231027-0361'],
    ['Mã hồ sơ: H56.14-240823-0001.', 'H56.14-240823-0001'],
    ['hồ sơ h56.14-240823-0001 đến đâu rồi ạ?', 'h56.14-240823-0001'],
    ['Tôi nộp ngày 01/12/2026, mã 000.00.06.H56-231027-0361, sđt 0912345678', '000.00.06.H56-231027-0361'],
  ])('%s → %s', (text, code) => {
    expect(findDossierCode(text)).toBe(code);
  });

  it.each([
    'số điện thoại của tôi 0912.345.678',
    'gọi 0912-345-678 giúp tôi',
    '+84.912.345.678',
    'thủ tục 1.001193 cần gì',
    'tôi nộp ngày 01/12/2026',
    'hẹn trả 2026-12-01',
    'hẹn trả 01.12.2026',
    'email lan.nguyen2024@gmail.com',
    'xem https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html',
    'chuyển 1.500.000 đồng',
    'đăng ký khai sinh cần giấy tờ gì',
  ])('no code in “%s”', (text) => {
    expect(findDossierCode(text)).toBeNull();
  });
});
