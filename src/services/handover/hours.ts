import type { WorkingHours } from '../../knowledge/commune-profile.ts';

/**
 * Whether the centre is open at a moment, and when it next opens, from the commune profile's working hours. Vietnam
 * has one time zone without daylight saving (UTC+7), so a fixed offset is exact and needs no time-zone database.
 */
export const VIETNAM_OFFSET_MS = 7 * 3600_000;
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Weekday names by `Date.getUTCDay()` of a Vietnam-time date: "thứ Hai" (as inside a sentence). */
export const WEEKDAY_VI = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];
export const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export type Opening =
  /** No hours in the profile: the bot says it does not know. */
  | { kind: 'unknown' }
  | { kind: 'open' }
  /** Closed now; `next` is the next opening (null when none is set in the coming 60 days). */
  | { kind: 'closed'; next: Date | null; holiday: string | null };

export interface LocalDay {
  /** Midnight of the local day, as a UTC instant. */
  start: number;
  weekday: number;
  iso: string;
}

/** The Vietnam-time day an instant falls in. */
export function localDay(at: number): LocalDay {
  const local = new Date(at + VIETNAM_OFFSET_MS);
  const midnightLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return { start: midnightLocal - VIETNAM_OFFSET_MS, weekday: local.getUTCDay(), iso: new Date(midnightLocal).toISOString().slice(0, 10) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function span(s: string): [number, number] {
  const [a, b] = s.split('-') as [string, string];
  return [minutesOf(a), minutesOf(b)];
}

export function holidayOf(hours: WorkingHours, iso: string): string | null {
  for (const h of hours.holidays) {
    if ('date' in h ? h.date === iso : h.from <= iso && iso <= h.to) return h.name;
  }
  return null;
}

/** The day's open spans in minutes after local midnight, lunch break taken out. */
export function spansOf(hours: WorkingHours, day: LocalDay): [number, number][] {
  if (holidayOf(hours, day.iso)) return [];
  const s = hours.weekly[DAY_KEYS[day.weekday]!];
  if (!s) return [];
  const [open, close] = span(s);
  if (!hours.lunchBreak) return open < close ? [[open, close]] : [];
  const [lunchFrom, lunchTo] = span(hours.lunchBreak);
  const parts: [number, number][] = [
    [open, Math.min(close, lunchFrom)],
    [Math.max(open, lunchTo), close],
  ];
  return parts.filter(([a, b]) => a < b);
}

export function openingAt(hours: WorkingHours | null, now: Date): Opening {
  if (!hours || Object.values(hours.weekly).every((d) => d === null)) return { kind: 'unknown' };
  const t = now.getTime();
  const today = localDay(t);
  const minute = Math.floor((t - today.start) / 60_000);
  if (spansOf(hours, today).some(([a, b]) => a <= minute && minute < b)) return { kind: 'open' };
  const holiday = holidayOf(hours, today.iso);
  for (let d = 0; d <= 60; d++) {
    const day = localDay(today.start + d * 86_400_000 + 12 * 3600_000);
    for (const [a] of spansOf(hours, day)) {
      if (d > 0 || a > minute) return { kind: 'closed', next: new Date(day.start + a * 60_000), holiday };
    }
  }
  return { kind: 'closed', next: null, holiday };
}

/** "lúc 7:30 thứ Hai, 8/12" (Vietnam time). */
export function formatOpening(at: Date, lang: 'vi' | 'en'): string {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const time = `${local.getUTCHours()}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  const date = `${local.getUTCDate()}/${local.getUTCMonth() + 1}`;
  return lang === 'vi' ? `lúc ${time} ${WEEKDAY_VI[local.getUTCDay()]}, ${date}` : `at ${time} on ${WEEKDAY_EN[local.getUTCDay()]} ${date}`;
}

/** "14:05 1/12" in Vietnam time, for staff cards and lists. */
export function formatLocalTime(at: Date): string {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')} ${local.getUTCDate()}/${local.getUTCMonth() + 1}`;
}
