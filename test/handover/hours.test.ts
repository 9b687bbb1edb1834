import { describe, expect, it } from 'vitest';
import { WorkingHoursSchema } from '../../src/knowledge/commune-profile.ts';
import { formatOpening, openingAt } from '../../src/services/handover/hours.ts';
import { parsePhone } from '../../src/services/handover/messages.ts';

/** Working hours from the profile, in Vietnam time (UTC+7): 1 December 2026 is a Tuesday. */
const hours = WorkingHoursSchema.parse({
  weekly: { mon: '07:30-17:00', tue: '07:30-17:00', wed: '07:30-17:00', thu: '07:30-17:00', fri: '07:30-17:00', sat: '07:30-11:30' },
  lunchBreak: '11:30-13:30',
  holidays: [
    { date: '2026-12-03', name: 'Ngày nghỉ bù' },
    { from: '2027-02-05', to: '2027-02-10', name: 'Tết Nguyên đán' },
  ],
});
/** A moment given in Vietnam local time. */
const vn = (isoLocal: string) => new Date(`${isoLocal}+07:00`);

describe('working hours', () => {
  it('open in the morning and the afternoon, closed over lunch with the afternoon opening next', () => {
    expect(openingAt(hours, vn('2026-12-01T08:00:00'))).toEqual({ kind: 'open' });
    expect(openingAt(hours, vn('2026-12-01T14:00:00'))).toEqual({ kind: 'open' });
    const lunch = openingAt(hours, vn('2026-12-01T12:00:00'));
    expect(lunch).toMatchObject({ kind: 'closed', holiday: null });
    expect(lunch.kind === 'closed' && formatOpening(lunch.next!, 'vi')).toBe('lúc 13:30 thứ Ba, 1/12');
  });

  it('after Saturday noon the next opening is Monday morning; a holiday is skipped and named', () => {
    const sat = openingAt(hours, vn('2026-12-05T15:00:00'));
    expect(sat.kind === 'closed' && formatOpening(sat.next!, 'vi')).toBe('lúc 7:30 thứ Hai, 7/12');
    const holiday = openingAt(hours, vn('2026-12-03T09:00:00'));
    expect(holiday).toMatchObject({ kind: 'closed', holiday: 'Ngày nghỉ bù' });
    expect(holiday.kind === 'closed' && formatOpening(holiday.next!, 'vi')).toBe('lúc 7:30 thứ Sáu, 4/12');
  });

  it('Tết as a range: closed throughout, reopening the first working day after it', () => {
    const tet = openingAt(hours, vn('2027-02-07T10:00:00'));
    expect(tet).toMatchObject({ kind: 'closed', holiday: 'Tết Nguyên đán' });
    expect(tet.kind === 'closed' && formatOpening(tet.next!, 'vi')).toBe('lúc 7:30 thứ Năm, 11/2');
  });

  it('no hours in the profile: unknown, never a made-up hour', () => {
    expect(openingAt(null, new Date())).toEqual({ kind: 'unknown' });
    expect(openingAt(WorkingHoursSchema.parse({ weekly: {} }), new Date())).toEqual({ kind: 'unknown' });
  });

  it('callback numbers: Vietnamese mobile and landline forms, nothing else', () => {
    expect(parsePhone('0912 345 678')).toBe('0912345678');
    expect(parsePhone('+84 912-345-678')).toBe('0912345678');
    expect(parsePhone('84912345678')).toBe('0912345678');
    expect(parsePhone('12345')).toBeNull();
    expect(parsePhone('gọi cho tôi nhé')).toBeNull();
  });
});
