import { describe, expect, it } from 'vitest';
import { loadCommuneProfile } from '../../src/knowledge/commune-profile.ts';
import { dueDate } from '../../src/services/dossiers/due-date.ts';

/** Weekdays 7:30–17:00 with a lunch break 11:30–13:30; 1/1/2027 and Tết 5–10/2/2027 closed. */
const profile = loadCommuneProfile(new URL('./fixture/', import.meta.url).pathname);
const hours = profile.hours;
const at = (local: string) => new Date(`${local}+07:00`);
const endOfDay = (day: string) => at(`${day}T23:59:59.999`);
const due = (start: string, value: number | null, unit: string | null, h = hours) => dueDate(at(start), { value, unit }, h)?.toISOString() ?? null;

describe('due dates from the record’s processing time', () => {
  it('the fixture is what the tests assume', () => {
    expect(hours?.weekly.sat).toBeNull();
    expect(hours?.holidays).toHaveLength(2);
  });

  it('working days: the day of submission does not count, the weekend is skipped', () => {
    // Thursday 3/12/2026 → Fri 4 (1), Mon 7 (2), Tue 8 (3)
    expect(due('2026-12-03T10:00:00', 3, 'Ngày làm việc')).toBe(endOfDay('2026-12-08').toISOString());
    // submitted on a Saturday: the count starts on Monday
    expect(due('2026-12-05T09:00:00', 1, 'Ngày làm việc')).toBe(endOfDay('2026-12-07').toISOString());
  });

  it('working days: a public holiday is skipped, and so is Tết as a range', () => {
    // Thursday 31/12/2026: Fri 1/1 is Tết Dương lịch, then the weekend → Mon 4 (1), Tue 5 (2)
    expect(due('2026-12-31T09:00:00', 2, 'Ngày làm việc')).toBe(endOfDay('2027-01-05').toISOString());
    // Thursday 4/2/2027: Tết from Fri 5 to Wed 10 → Thu 11
    expect(due('2027-02-04T15:00:00', 1, 'Ngày làm việc')).toBe(endOfDay('2027-02-11').toISOString());
    expect(due('2027-02-04T15:00:00', 2, 'Ngày làm việc')).toBe(endOfDay('2027-02-12').toISOString());
  });

  it('without hours in the profile, Saturday and Sunday are the only days off', () => {
    expect(due('2026-12-31T09:00:00', 2, 'Ngày làm việc', null)).toBe(endOfDay('2027-01-04').toISOString());
  });

  it('a fraction of a working day counts as the whole day', () => {
    expect(due('2026-12-03T10:00:00', 1.5, 'Ngày làm việc')).toBe(endOfDay('2026-12-07').toISOString());
  });

  it('calendar days ("Ngày") run through the weekend; a last day off moves to the next working day', () => {
    expect(due('2026-12-03T10:00:00', 1, 'Ngày')).toBe(endOfDay('2026-12-04').toISOString());
    // Sat 5/12 is the last day: it ends with Monday 7/12
    expect(due('2026-12-03T10:00:00', 2, 'Ngày')).toBe(endOfDay('2026-12-07').toISOString());
    expect(due('2026-12-03T10:00:00', 15, 'Ngày')).toBe(endOfDay('2026-12-18').toISOString());
    // ends inside Tết: the first working day after it
    expect(due('2027-02-01T10:00:00', 5, 'Ngày')).toBe(endOfDay('2027-02-11').toISOString());
  });

  it('months ("Tháng"): the same day of the month, the month’s end when shorter', () => {
    expect(due('2026-12-03T10:00:00', 1, 'Tháng')).toBe(endOfDay('2027-01-04').toISOString()); // Sun 3/1 → Mon 4/1
    expect(due('2027-03-31T10:00:00', 2, 'Tháng')).toBe(endOfDay('2027-05-31').toISOString());
    expect(due('2027-01-29T10:00:00', 1, 'Tháng')).toBe(endOfDay('2027-03-01').toISOString()); // Sun 28/2 → Mon 1/3
  });

  it('hours ("Giờ", "Giờ làm việc") count within the opening hours, the lunch break taken out', () => {
    // Thu 10:00: 1.5 h to 11:30, then 2.5 h from 13:30
    expect(due('2026-12-03T10:00:00', 4, 'Giờ')).toBe(at('2026-12-03T16:00:00').toISOString());
    expect(due('2026-12-03T10:00:00', 4, 'Giờ làm việc')).toBe(at('2026-12-03T16:00:00').toISOString());
    // 1.5 + 3.5 the first day, 3 more on Friday from 7:30
    expect(due('2026-12-03T10:00:00', 8, 'Giờ')).toBe(at('2026-12-04T10:30:00').toISOString());
    expect(due('2026-12-03T11:15:00', 0.5, 'Giờ')).toBe(at('2026-12-03T13:45:00').toISOString());
    // submitted after closing on Friday: Monday morning
    expect(due('2026-12-04T18:00:00', 2, 'Giờ')).toBe(at('2026-12-07T09:30:00').toISOString());
    // 24 working hours from Thu 31/12 16:00: 1 h, the holiday and weekend, 7.5 h a day → Thu 7/1 08:00
    expect(due('2026-12-31T16:00:00', 24, 'Giờ')).toBe(at('2027-01-07T08:00:00').toISOString());
  });

  it('hours without hours in the profile: the whole of each weekday', () => {
    expect(due('2026-12-04T16:00:00', 24, 'Giờ', null)).toBe(at('2026-12-07T16:00:00').toISOString());
  });

  it('no usable time: no due date', () => {
    expect(due('2026-12-03T10:00:00', null, 'Ngày làm việc')).toBeNull();
    expect(due('2026-12-03T10:00:00', 5, null)).toBeNull();
    expect(due('2026-12-03T10:00:00', 0, 'Ngày')).toBeNull();
    expect(due('2026-12-03T10:00:00', 5, 'Năm')).toBeNull();
    expect(due('2026-12-03T10:00:00', 5, 'Không quy định')).toBeNull();
  });

  it('reads every unit the listing uses', async () => {
    const { readFileSync } = await import('node:fs');
    const units = new Set<string>();
    for (const line of readFileSync(new URL('../../knowledge/procedures.jsonl', import.meta.url), 'utf8').split('\n')) {
      if (!line) continue;
      for (const c of (JSON.parse(line) as { channels: { timeUnit: string | null }[] }).channels) if (c.timeUnit) units.add(c.timeUnit);
    }
    expect(units.size).toBeGreaterThan(0);
    for (const unit of units) expect(due('2026-12-03T10:00:00', 1, unit), unit).not.toBeNull();
  });
});
