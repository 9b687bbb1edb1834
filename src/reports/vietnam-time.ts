/**
 * Reports group and filter by the calendar in Vietnam (Asia/Ho_Chi_Minh): a rating given at 23:30 UTC on
 * 30 November belongs to 1 December for the commune. Vietnam has kept UTC+7 without daylight saving since 1975,
 * so a fixed offset is exact and needs no time-zone database.
 */
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** 'YYYY-MM-DD' of the instant in Vietnam. */
export function vietnamDay(d: Date): string {
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of the instant in Vietnam. */
export function vietnamMonth(d: Date): string {
  return vietnamDay(d).slice(0, 7);
}

/** The instant a Vietnam calendar day ('YYYY-MM-DD') starts. */
export function startOfVietnamDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** The instant the Vietnam calendar day after `day` starts: the exclusive end of a range that includes `day`. */
export function endOfVietnamDay(day: string): Date {
  return new Date(startOfVietnamDay(day).getTime() + DAY_MS);
}

/** First and last day ('YYYY-MM-DD') of a month 'YYYY-MM'. */
export function monthDays(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(last).padStart(2, '0')}` };
}

/** '2026-11' → 'Tháng 11/2026'. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `Tháng ${Number(m)}/${y}`;
}

/** '2026-11-05' → '05/11/2026', as dates are written in Vietnam. */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}
