/** Numbers as Vietnamese readers write them: 66,7% and 4,5 phút. */
const PERCENT = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });
const NUMBER = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

export function formatShare(share: number | null): string {
  return share === null ? '—' : PERCENT.format(share);
}

export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

export function formatMinutes(minutes: number | null): string {
  return minutes === null ? 'chưa có' : `${NUMBER.format(minutes)} phút`;
}
