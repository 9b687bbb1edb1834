import type { WorkingHours } from '../../knowledge/commune-profile.ts';
import { fold } from '../../retrieval/text.ts';
import { holidayOf, localDay, type LocalDay, spansOf, VIETNAM_OFFSET_MS } from '../handover/hours.ts';

/**
 * When a dossier is due, from the processing time the record gives for its channel ("5 Ngày làm việc") and the
 * commune's working hours and holidays (Vietnam time, src/services/handover/hours.ts).
 *
 * As the Civil Code counts a period (Bộ luật Dân sự 2015, Điều 147–148): the day it starts is not counted; a
 * period in days ends at the end of its last day; a period in calendar days or months whose last day is a weekend
 * or a holiday ends at the end of the next working day. Working days are the days the profile's weekly hours open
 * (outside its holidays, Tết as a range); with no hours in the profile, Monday to Friday. Hours ("Giờ", "Giờ làm
 * việc") count within the opening hours, lunch break taken out; with no hours in the profile, the whole of each
 * working day. A fraction of a day counts as the whole day.
 *
 * The listing's units (knowledge/procedures.jsonl, channels[].timeUnit): "Ngày làm việc", "Ngày", "Giờ",
 * "Tháng", and no unit; "Giờ làm việc" and "Tuần" are read too. Anything else gives no due date, as does no number.
 */

type Unit = 'working_days' | 'calendar_days' | 'working_hours' | 'weeks' | 'months';

/** By the unit's folded text (lower case, no diacritics). */
const UNITS: Record<string, Unit> = {
  'ngay lam viec': 'working_days',
  ngay: 'calendar_days',
  'ngay lien tuc': 'calendar_days',
  gio: 'working_hours',
  'gio lam viec': 'working_hours',
  tuan: 'weeks',
  thang: 'months',
};

const DAY_MS = 86_400_000;
/** Far beyond any procedure's time: a profile closed every day cannot loop for ever. */
const MAX_DAYS = 3 * 366;

export function dueDate(start: Date, time: { value: number | null; unit: string | null }, hours: WorkingHours | null): Date | null {
  const unit = time.unit ? UNITS[fold(time.unit)] : undefined;
  if (!unit || time.value === null || !Number.isFinite(time.value) || time.value <= 0) return null;
  const calendar = new WorkingCalendar(hours);
  const days = Math.ceil(time.value);
  const first = localDay(start.getTime());
  switch (unit) {
    case 'working_days': {
      let day = first;
      for (let counted = 0, i = 0; counted < days; i++) {
        if (i > MAX_DAYS) return null;
        day = next(day);
        if (calendar.isWorkingDay(day)) counted++;
      }
      return endOf(day);
    }
    case 'calendar_days':
      return calendar.endOfPeriod(localDay(first.start + days * DAY_MS));
    case 'weeks':
      return calendar.endOfPeriod(localDay(first.start + days * 7 * DAY_MS));
    case 'months':
      return calendar.endOfPeriod(addMonths(first, days));
    case 'working_hours':
      return calendar.afterWorkingMinutes(start, Math.round(time.value * 60));
  }
}

class WorkingCalendar {
  /** The profile's hours, when it sets at least one day's. */
  private readonly weekly: WorkingHours | null;

  constructor(private readonly hours: WorkingHours | null) {
    this.weekly = hours && Object.values(hours.weekly).some((d) => d !== null) ? hours : null;
  }

  /** The day's working spans in minutes after local midnight. */
  spans(day: LocalDay): [number, number][] {
    if (this.weekly) return spansOf(this.weekly, day);
    const weekday = day.weekday >= 1 && day.weekday <= 5;
    return weekday && !(this.hours && holidayOf(this.hours, day.iso)) ? [[0, 1440]] : [];
  }

  isWorkingDay(day: LocalDay): boolean {
    return this.spans(day).length > 0;
  }

  /** The end of `day`, or of the next working day when it is not one. */
  endOfPeriod(day: LocalDay): Date | null {
    for (let i = 0; !this.isWorkingDay(day); i++) {
      if (i > MAX_DAYS) return null;
      day = next(day);
    }
    return endOf(day);
  }

  afterWorkingMinutes(start: Date, minutes: number): Date | null {
    let remaining = minutes;
    let day = localDay(start.getTime());
    const startMinute = (start.getTime() - day.start) / 60_000;
    for (let i = 0; i <= MAX_DAYS; i++, day = next(day)) {
      for (const [a, b] of this.spans(day)) {
        const from = i === 0 ? Math.max(a, startMinute) : a;
        if (from >= b) continue;
        if (remaining <= b - from) return new Date(day.start + (from + remaining) * 60_000);
        remaining -= b - from;
      }
    }
    return null;
  }
}

function next(day: LocalDay): LocalDay {
  return localDay(day.start + DAY_MS);
}

/** The last millisecond of the local day. */
function endOf(day: LocalDay): Date {
  return new Date(day.start + DAY_MS - 1);
}

/** The same day of the month `n` months on (the month's last day when it is shorter). */
function addMonths(day: LocalDay, n: number): LocalDay {
  const [y, m, d] = day.iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const local = Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, last));
  // local midnight as an instant: noon of that day lies inside it whatever the offset
  return localDay(local + DAY_MS / 2 - VIETNAM_OFFSET_MS);
}
