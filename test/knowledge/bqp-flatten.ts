/**
 * Test helpers: rebuild the flattened text the national-portal scraper produced
 * (header + cells concatenated, no separators) from the clean tables of the Bộ Quốc phòng
 * export, and compare what the listing parser recovers from it with the clean table.
 */
import type { ChannelTerms, LegalBasis } from '../../src/knowledge/procedure.ts';

export interface BqpChannelRow {
  hinh_thuc: string;
  thoi_han_giai_quyet: string;
  phi_le_phi: string;
  mo_ta: string;
}

export interface BqpLegalRow {
  so_ky_hieu: string;
  trich_yeu: string;
}

export const CHANNEL_HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả';
export const LEGAL_HEADER = 'Tên văn bản pháp lýMã văn bản';

export function flattenChannelTable(rows: BqpChannelRow[]): string {
  return CHANNEL_HEADER + rows.map((r) => r.hinh_thuc + r.thoi_han_giai_quyet + r.phi_le_phi + r.mo_ta).join('');
}

export function flattenLegalTable(rows: BqpLegalRow[]): string {
  return LEGAL_HEADER + rows.map((r) => r.trich_yeu + r.so_ky_hieu).join('');
}

const CHANNELS: Record<string, ChannelTerms['channel']> = {
  'Trực tiếp': 'truc_tiep',
  'Trực tuyến': 'truc_tuyen',
  'Dịch vụ bưu chính': 'buu_chinh',
};

const squash = (s: string) => s.replace(/\s+/g, '');

/** Does the row recovered from the flattened text say what the clean table row says? */
export function channelRowAgrees(clean: BqpChannelRow, parsed: ChannelTerms | undefined): boolean {
  if (!parsed || parsed.channel !== CHANNELS[clean.hinh_thuc.trim()]) return false;
  const time = /^(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng|Năm)$/u.exec(clean.thoi_han_giai_quyet.trim());
  if (time) {
    if (parsed.timeValue !== Number(time[1]!.replace(',', '.')) || parsed.timeUnit !== time[2]) return false;
  } else if (parsed.timeValue !== null || (parsed.timeText ?? '') !== clean.thoi_han_giai_quyet.trim()) {
    return false;
  }
  return squash((parsed.feeText ?? '') + parsed.description) === squash(clean.phi_le_phi + clean.mo_ta);
}

const CODE = /\d+(?:\.\d+)?\/(?:\d{4}\/)?\p{Lu}[\p{Lu}\d]*(?:g(?!\p{Ll}))?(?:(?:-|\/|- )\p{Lu}[\p{Lu}\d]*(?:g(?!\p{Ll}))?)*/u;

/** What the parser should recover for a clean legal row; null when the "Mã văn bản" cell holds no document number. */
export function expectedLegal(row: BqpLegalRow): LegalBasis | null {
  const code = CODE.exec(row.so_ky_hieu)?.[0];
  if (!code) return null;
  return { number: code, title: row.trich_yeu.replace(/\s+/g, ' ').trim() };
}
