import { LEVELS } from '../services/ratings/levels.ts';
import { formatMinutes, formatNumber, formatShare } from './format.ts';
import type { HandoverReport } from './handover.ts';
import { GROUPING_LABELS, type SatisfactionReport } from './satisfaction.ts';
import { barChart } from './svg-chart.ts';

/** The two reports as charts: the satisfaction levels stacked per group, and how handover tickets ended. */

/** Best level green through to worst red, in the order of LEVELS (5 first). */
export const LEVEL_COLORS: Record<number, string> = { 5: '#1a7f37', 4: '#6fbf73', 3: '#b8bec6', 2: '#f08c3c', 1: '#c62828' };

export function satisfactionChart(report: SatisfactionReport, period: string): string {
  return barChart({
    id: `satisfaction-${report.by}`,
    title: `Mức độ hài lòng — ${GROUPING_LABELS[report.by].toLowerCase()}`,
    captions: [`${period} · ${formatNumber(report.overall.total)} lượt · ${formatShare(report.overall.shareSatisfied)} hài lòng`],
    legend: LEVELS.map((l) => ({ label: l.label, color: LEVEL_COLORS[l.level]! })),
    rows: report.groups.map((g) => ({
      label: `${g.label} (${formatNumber(g.total)})`,
      segments: LEVELS.map((l) => ({ name: l.label, value: g.counts[String(l.level)] ?? 0, color: LEVEL_COLORS[l.level]! })),
      note: `${formatShare(g.shareSatisfied)} hài lòng`,
    })),
    emptyText: 'Chưa có đánh giá nào trong khoảng thời gian này.',
  });
}

export function handoverChart(report: HandoverReport, period: string): string {
  const w = report.waitingMinutes;
  return barChart({
    id: 'handover',
    title: 'Chuyển cán bộ — kết quả xử lý',
    captions: [`${period} · ${formatNumber(report.opened)} yêu cầu gặp cán bộ`, `Chờ cán bộ nhận: p50 ${formatMinutes(w.p50)}, p90 ${formatMinutes(w.p90)}`],
    legend: [],
    rows: [
      ...report.byEndStatus.map((s) => ({ label: s.label, segments: [{ name: s.label, value: s.count, color: '#0969da' }], note: formatNumber(s.count) })),
      { label: 'Đang chờ hoặc đang xử lý', segments: [{ name: 'Chưa đóng', value: report.stillOpen, color: '#8c959f' }], note: formatNumber(report.stillOpen) },
      { label: 'Ngoài giờ làm việc', segments: [{ name: 'Ngoài giờ', value: report.afterHours, color: '#8250df' }], note: formatNumber(report.afterHours) },
      { label: 'Xin gọi lại', segments: [{ name: 'Xin gọi lại', value: report.callbacksRequested, color: '#bf8700' }], note: formatNumber(report.callbacksRequested) },
    ],
    emptyText: 'Chưa có yêu cầu gặp cán bộ nào trong khoảng thời gian này.',
  });
}
