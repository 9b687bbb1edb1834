import { z } from 'zod';
import type { InstantRange } from '../storage/report-queries.ts';
import { GROUPINGS, type Grouping } from './satisfaction.ts';
import { dayLabel, endOfVietnamDay, monthDays, monthLabel, startOfVietnamDay } from './vietnam-time.ts';

/**
 * The reports' query parameters, validated at the edge: `from` and `to` are Vietnam calendar days, both
 * included; `month` (the console page's picker) stands for its first and last day; `by` picks the grouping.
 * A bad value is answered with the Vietnamese message of its field.
 */

export const REPORT_QUERY_MESSAGES = {
  from: 'Ngày bắt đầu (from) không hợp lệ. Ghi theo dạng năm-tháng-ngày, ví dụ 2026-11-01.',
  to: 'Ngày kết thúc (to) không hợp lệ. Ghi theo dạng năm-tháng-ngày, ví dụ 2026-11-30.',
  month: 'Tháng không hợp lệ. Ghi theo dạng năm-tháng, ví dụ 2026-11.',
  order: 'Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.',
  monthAndDays: 'Chọn theo tháng hoặc theo khoảng ngày, không dùng cả hai.',
  by: `Cách nhóm (by) không hợp lệ. Chọn một trong: ${GROUPINGS.join(', ')}.`,
  invalid: 'Tham số báo cáo không hợp lệ.',
} as const;

/** A real calendar day: 2026-02-30 has the right shape and is still rejected. */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  });
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
// An empty field from a GET form ("month=") means "not chosen".
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

const QuerySchema = z.object({
  from: z.preprocess(blankToUndefined, Day.optional()),
  to: z.preprocess(blankToUndefined, Day.optional()),
  month: z.preprocess(blankToUndefined, Month.optional()),
  by: z.preprocess(blankToUndefined, z.enum(GROUPINGS).default('month')),
});

export interface ReportPeriod {
  /** First and last Vietnam day included, when set. */
  from: string | null;
  to: string | null;
  range: InstantRange;
  /** For people: 'Tháng 11/2026', 'Từ 01/11/2026 đến 30/11/2026', 'Toàn bộ thời gian'. */
  label: string;
  /** The month picked, when the period is one. */
  month: string | null;
}

export interface ReportQuery {
  period: ReportPeriod;
  by: Grouping;
}

export type ParsedQuery = { ok: true; value: ReportQuery } | { ok: false; error: string };

export function parseReportQuery(query: unknown): ParsedQuery {
  const r = QuerySchema.safeParse(query ?? {});
  if (!r.success) {
    const field = r.error.issues[0]?.path[0];
    const error = field === 'from' || field === 'to' || field === 'month' || field === 'by' ? REPORT_QUERY_MESSAGES[field] : REPORT_QUERY_MESSAGES.invalid;
    return { ok: false, error };
  }
  const { month, by } = r.data;
  if (month && (r.data.from || r.data.to)) return { ok: false, error: REPORT_QUERY_MESSAGES.monthAndDays };
  const from = month ? monthDays(month).first : (r.data.from ?? null);
  const to = month ? monthDays(month).last : (r.data.to ?? null);
  if (from && to && from > to) return { ok: false, error: REPORT_QUERY_MESSAGES.order };
  const range: InstantRange = { from: from ? startOfVietnamDay(from) : null, to: to ? endOfVietnamDay(to) : null };
  return { ok: true, value: { by, period: { from, to, range, label: periodLabel(from, to, month ?? null), month: month ?? null } } };
}

function periodLabel(from: string | null, to: string | null, month: string | null): string {
  if (month) return monthLabel(month);
  if (from && to) return from === to ? `Ngày ${dayLabel(from)}` : `Từ ${dayLabel(from)} đến ${dayLabel(to)}`;
  if (from) return `Từ ${dayLabel(from)}`;
  if (to) return `Đến hết ${dayLabel(to)}`;
  return 'Toàn bộ thời gian';
}

/** The period as query parameters for links (CSV, charts), in from/to form. */
export function periodParams(p: ReportPeriod): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.from) out.from = p.from;
  if (p.to) out.to = p.to;
  return out;
}
