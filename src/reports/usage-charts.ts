import type { ConversationsReport, OutcomesReport, ProcedureCount } from './activity.ts';
import { columnChart } from './column-chart.ts';
import { formatNumber, formatShare } from './format.ts';
import type { FunnelReport } from './funnel.ts';
import { INTERNAL_ESTIMATE, type IndicatorsReport } from './indicators.ts';
import { barChart } from './svg-chart.ts';
import type { Topic } from './unanswered.ts';

/** The use, indicator and funnel reports as charts (SVG strings), for the console page, the monthly page and /api/reports/charts/. */

export const CHANNEL_COLORS: Record<string, string> = { telegram: '#0969da', zalo: '#1a7f37', web: '#bf8700' };
const OTHER_COLOR = '#8250df';
const BLUE = '#0b4f8a';
const TRACK = '#d0d7de';

export function conversationsChart(r: ConversationsReport, period: string): string {
  const channels = r.channels.filter((c) => c.conversations > 0);
  return columnChart({
    id: 'conversations',
    title: r.unit === 'day' ? 'Cuộc trò chuyện theo ngày và kênh' : 'Cuộc trò chuyện theo tháng và kênh',
    captions: [`${period} · ${formatNumber(r.conversations)} cuộc trò chuyện · ${formatNumber(r.messages)} tin nhắn`],
    legend: channels.map((c) => ({ label: c.label, color: CHANNEL_COLORS[c.channel] ?? OTHER_COLOR })),
    columns: r.buckets.map((b) => ({
      label: r.unit === 'day' ? String(Number(b.key.slice(8, 10))) : `T${Number(b.key.slice(5, 7))}`,
      name: b.label,
      segments: channels.map((c) => ({ name: c.label, value: b.byChannel[c.channel] ?? 0, color: CHANNEL_COLORS[c.channel] ?? OTHER_COLOR })),
    })),
    emptyText: 'Chưa có cuộc trò chuyện nào trong khoảng thời gian này.',
  });
}

export function outcomesChart(r: OutcomesReport, period: string): string {
  const rows = r.outcomes.filter((o) => o.count > 0 || ['answered', 'clarified', 'no_answer', 'handover_requested', 'emergency'].includes(o.outcome));
  return barChart({
    id: 'outcomes',
    title: 'Kết quả các tin nhắn',
    captions: [`${period} · ${formatNumber(r.messages)} tin nhắn · ${formatNumber(r.rated.count)} lượt đánh giá`],
    legend: [],
    rows: [
      ...rows.map((o) => ({ label: o.label, segments: [{ name: o.label, value: o.count, color: BLUE }], note: `${formatNumber(o.count)} · ${formatShare(o.share)}` })),
      { label: r.rated.label, segments: [{ name: r.rated.label, value: r.rated.count, color: '#1a7f37' }], note: formatNumber(r.rated.count) },
    ],
    emptyText: 'Chưa có tin nhắn nào trong khoảng thời gian này.',
  });
}

export function proceduresChart(list: readonly ProcedureCount[], period: string): string {
  return barChart({
    id: 'procedures',
    title: 'Thủ tục được hỏi nhiều nhất',
    captions: [`${period} · theo số tin nhắn`],
    legend: [],
    rows: list.map((p) => ({ label: p.label, segments: [{ name: 'Tin nhắn', value: p.messages, color: BLUE }], note: formatNumber(p.messages) })),
    emptyText: 'Chưa có câu hỏi nào về thủ tục trong khoảng thời gian này.',
  });
}

export function unansweredChart(topics: readonly Topic[], period: string, limit = 10): string {
  return barChart({
    id: 'unanswered',
    title: 'Chủ đề chưa trả lời được',
    captions: [`${period} · ${formatNumber(topics.reduce((s, t) => s + t.count, 0))} tin nhắn`],
    legend: [],
    rows: topics.slice(0, limit).map((t) => ({ label: t.label, segments: [{ name: 'Tin nhắn', value: t.count, color: '#c62828' }], note: formatNumber(t.count) })),
    emptyText: 'Không có tin nhắn nào chưa trả lời được.',
  });
}

/** Each rate as a bar out of 100%: the part reached in blue, the rest as a grey track; no bar for a rate of "—". */
export function indicatorsChart(r: IndicatorsReport, period: string): string {
  return barChart({
    id: 'indicators',
    title: `Chỉ số phục vụ (${INTERNAL_ESTIMATE})`,
    captions: [`${period} · ${formatNumber(r.dossiers)} hồ sơ tiếp nhận`],
    legend: [],
    rows: r.indicators.map((i) => ({
      label: i.label,
      segments:
        i.rate === null
          ? []
          : [
              { name: `${i.label} (${formatNumber(i.numerator)}/${formatNumber(i.denominator)})`, value: i.rate * 100, color: BLUE },
              { name: 'Còn lại', value: (1 - i.rate) * 100, color: TRACK },
            ],
      note: formatShare(i.rate),
    })),
    emptyText: 'Chưa có hồ sơ nào để tính chỉ số trong khoảng thời gian này.',
  });
}

export function funnelChart(r: FunnelReport, period: string): string {
  return barChart({
    id: 'funnel',
    title: 'Hướng dẫn nộp hồ sơ — các bước',
    captions: [`${period} · ${formatNumber(r.runs)} lượt hướng dẫn`],
    legend: [],
    rows: r.steps.map((s) => ({
      label: s.label,
      segments: [{ name: s.label, value: s.count, color: '#8250df' }],
      note: s.shareOfPrevious === null ? formatNumber(s.count) : `${formatNumber(s.count)} · ${formatShare(s.shareOfPrevious)}`,
    })),
    emptyText: 'Chưa có lượt hướng dẫn nộp hồ sơ nào trong khoảng thời gian này.',
  });
}
