import { levelLabel, LEVELS } from '../services/ratings/levels.ts';
import type { RatingRow } from '../storage/report-queries.ts';
import { toCsv } from './csv.ts';
import type { HandoverReport } from './handover.ts';
import type { SatisfactionReport } from './satisfaction.ts';

/** The reports as CSV files for a spreadsheet. */

export const RATINGS_CSV_HEADER = ['created_at', 'level', 'label', 'channel', 'procedure_code', 'staff', 'ticket_id', 'comment'] as const;

/** One row per rating; comments were redacted before they were stored. */
export function ratingsCsv(rows: readonly RatingRow[]): string {
  return toCsv(
    RATINGS_CSV_HEADER,
    rows.map((r) => [r.createdAt.toISOString(), r.level, levelLabel(r.level), r.channel, r.procedureCode, r.staff, r.ticketId, r.comment]),
  );
}

/** One row per group: its key, its label, the count on each official level (named verbatim), total and share. */
export function satisfactionCsv(report: SatisfactionReport): string {
  const header = ['group', 'label', ...LEVELS.map((l) => l.label), 'total', 'share_satisfied'];
  const rows = [...report.groups, report.overall].map((g) => [
    g.key ?? '',
    g.label,
    ...LEVELS.map((l) => g.counts[String(l.level)] ?? 0),
    g.total,
    g.shareSatisfied === null ? null : Math.round(g.shareSatisfied * 10000) / 10000,
  ]);
  return toCsv(header, rows);
}

/** One row per figure: a machine name, what it is in Vietnamese, its value. */
export function handoverCsv(report: HandoverReport): string {
  const w = report.waitingMinutes;
  return toCsv(
    ['measure', 'label', 'value'],
    [
      ['opened', 'Yêu cầu gặp cán bộ', report.opened],
      ['claimed', 'Được cán bộ nhận', report.claimed],
      ['closed', 'Đã đóng', report.closed],
      ['still_open', 'Đang chờ hoặc đang xử lý', report.stillOpen],
      ...report.byEndStatus.map((s) => [`end_status.${s.endStatus}`, s.label, s.count]),
      ['waiting_minutes_p50', 'Thời gian chờ cán bộ nhận, trung vị (phút)', w.p50],
      ['waiting_minutes_p90', 'Thời gian chờ cán bộ nhận, p90 (phút)', w.p90],
      ['after_hours', 'Ngoài giờ làm việc', report.afterHours],
      ['callbacks_requested', 'Xin gọi lại', report.callbacksRequested],
      ['after_hours_callbacks', 'Ngoài giờ và xin gọi lại', report.afterHoursCallbacks],
    ],
  );
}
