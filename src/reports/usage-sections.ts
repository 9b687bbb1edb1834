import { escapeMarkup as e } from './escape.ts';
import { formatNumber, formatShare } from './format.ts';
import { DECISION, INTERNAL_ESTIMATE, NATIONAL_DASHBOARD_LABEL, NATIONAL_DASHBOARD_URL } from './indicators.ts';
import { periodParams, type ReportPeriod } from './query.ts';
import { conversationsChart, funnelChart, indicatorsChart, outcomesChart, proceduresChart, unansweredChart } from './usage-charts.ts';
import type { UsageReports } from './usage.ts';

/**
 * The issue-11 reports as page sections (chart, table, CSV link), shared by the console's report page and the
 * printable monthly page: the same classes as the satisfaction and handover sections, every value escaped.
 */

export const UNANSWERED_SHOWN = 10;

function href(path: string, period: ReportPeriod): string {
  const q = new URLSearchParams(periodParams(period)).toString();
  return e(q ? `${path}?${q}` : path);
}

function downloads(links: [string, string][], period: ReportPeriod): string {
  return `<ul class="downloads">${links.map(([path, text]) => `<li><a href="${href(path, period)}" download>${e(text)}</a></li>`).join('')}</ul>`;
}

function table(head: string[], rows: string[][], foot?: string[]): string {
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const tr = (cells: string[], tag: 'td' | 'th' = 'td') =>
    `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<${tag}>${c}</${tag}>`)).join('')}</tr>`;
  const body = rows.length ? rows.map((r) => tr(r)).join('') : `<tr><td colspan="${head.length}">Chưa có số liệu.</td></tr>`;
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody>${foot ? `<tfoot>${tr(foot)}</tfoot>` : ''}</table></div>`;
}

function section(id: string, title: string, intro: string, chart: string, body: string): string {
  return `<section aria-labelledby="${id}-h" id="${id}"><h2 id="${id}-h">${e(title)}</h2><p class="period">${intro}</p><div class="chart">${chart}</div>${body}</section>`;
}

export function conversationsSection(u: UsageReports, period: ReportPeriod): string {
  const r = u.conversations;
  const rows = r.channels.map((c) => [e(c.label), formatNumber(c.conversations), formatNumber(c.newConversations), formatNumber(c.messages)]);
  return section(
    'conv',
    'Cuộc trò chuyện',
    `${e(period.label)} · số cuộc trò chuyện có tin nhắn trong ${r.unit === 'day' ? 'ngày' : 'tháng'}, theo kênh (giờ Việt Nam).`,
    conversationsChart(r, period.label),
    table(['Kênh', 'Cuộc trò chuyện', 'Mới trong kỳ', 'Tin nhắn'], rows, ['Tổng cộng', formatNumber(r.conversations), formatNumber(r.channels.reduce((s, c) => s + c.newConversations, 0)), formatNumber(r.messages)]) +
      downloads([['/api/reports/conversations.csv', `Tải CSV theo ${r.unit === 'day' ? 'ngày' : 'tháng'}`]], period),
  );
}

export function outcomesSection(u: UsageReports, period: ReportPeriod): string {
  const r = u.outcomes;
  const rows = r.outcomes.map((o) => [e(o.label), formatNumber(o.count), formatShare(o.share)]);
  rows.push([e(r.rated.label), formatNumber(r.rated.count), '']);
  return section(
    'out',
    'Kết quả trả lời',
    `${e(period.label)} · mỗi tin nhắn của người dân một kết quả; “Được đánh giá” là số lượt đánh giá mức độ hài lòng.`,
    outcomesChart(r, period.label),
    table(['Kết quả', 'Số tin nhắn', 'Tỷ lệ'], rows, ['Tổng số tin nhắn', formatNumber(r.messages), r.messages ? '100%' : '—']) +
      downloads([['/api/reports/outcomes.csv', 'Tải CSV kết quả']], period),
  );
}

export function proceduresSection(u: UsageReports, period: ReportPeriod): string {
  const rows = u.procedures.map((p) => [e(p.label), formatNumber(p.messages), formatNumber(p.conversations)]);
  return section(
    'proc',
    'Thủ tục được hỏi nhiều nhất',
    `${e(period.label)} · theo thủ tục đầu tiên mỗi tin nhắn nhắc đến.`,
    proceduresChart(u.procedures, period.label),
    table(['Thủ tục', 'Tin nhắn', 'Cuộc trò chuyện'], rows) + downloads([['/api/reports/procedures.csv', 'Tải CSV thủ tục']], period),
  );
}

export function unansweredSection(u: UsageReports, period: ReportPeriod): string {
  const shown = u.unanswered.slice(0, UNANSWERED_SHOWN);
  const rows = shown.map((t) => [e(t.label), formatNumber(t.count), t.examples.map((x) => `<q>${e(x)}</q>`).join('<br>')]);
  const more = u.unanswered.length > shown.length ? `<p class="period">Còn ${formatNumber(u.unanswered.length - shown.length)} chủ đề khác trong tệp CSV.</p>` : '';
  return section(
    'gaps',
    'Chủ đề chưa trả lời được',
    `${e(period.label)} · tin nhắn trợ lý ảo chưa trả lời được, nhóm theo các từ đầu tiên có nghĩa; ví dụ đã được che thông tin cá nhân.`,
    unansweredChart(u.unanswered, period.label, UNANSWERED_SHOWN),
    `<div class="scroll"><table class="examples"><thead><tr><th scope="col">Chủ đề</th><th scope="col">Tin nhắn</th><th scope="col" class="text">Ví dụ</th></tr></thead><tbody>` +
      (rows.length ? rows.map((r) => `<tr><th scope="row">${r[0]}</th><td>${r[1]}</td><td class="text">${r[2]}</td></tr>`).join('') : `<tr><td colspan="3">Không có.</td></tr>`) +
      `</tbody></table></div>` +
      more +
      downloads([['/api/reports/unanswered.csv', 'Tải CSV chủ đề']], period),
  );
}

export function indicatorsSection(u: UsageReports, period: ReportPeriod): string {
  const r = u.indicators;
  const rows = r.indicators.map((i) => [
    `${e(i.label)}<span class="formula">${e(i.formula)}</span>${i.notes.map((n) => `<span class="formula">${e(n.text)}: ${formatNumber(n.count)}</span>`).join('')}`,
    formatNumber(i.numerator),
    formatNumber(i.denominator),
    `<strong>${formatShare(i.rate)}</strong>`,
  ]);
  return section(
    'kpi',
    `Chỉ số phục vụ người dân (${INTERNAL_ESTIMATE})`,
    `${e(period.label)} · tính theo công thức của ${e(DECISION)} từ các hồ sơ người dân báo cho trợ lý ảo, không phải số liệu chính thức. ` +
      `Số liệu chính thức: <a href="${e(NATIONAL_DASHBOARD_URL)}" rel="noopener noreferrer">${e(NATIONAL_DASHBOARD_LABEL)}</a>.`,
    indicatorsChart(r, period.label),
    `<p class="notice estimate">Ước tính nội bộ — không thay thế số liệu trên Cổng Dịch vụ công quốc gia.</p>` +
      table(['Chỉ số và công thức', 'Tử số', 'Mẫu số', 'Tỷ lệ'], rows) +
      downloads([['/api/reports/indicators.csv', 'Tải CSV chỉ số']], period),
  );
}

export function funnelSection(u: UsageReports, period: ReportPeriod): string {
  const r = u.funnel;
  const rows = r.steps.map((s) => [e(s.label), formatNumber(s.count), formatShare(s.shareOfPrevious)]);
  return section(
    'funnel',
    'Hướng dẫn nộp hồ sơ',
    `${e(period.label)} · các lượt hướng dẫn bắt đầu trong kỳ; mỗi bước tính các lượt đã qua bước đó hoặc một bước sau, tỷ lệ so với bước trước. ` +
      `Hồ sơ miễn phí được coi là đã qua bước thanh toán. Đã hủy: ${formatNumber(r.cancelled)}; chuyển cán bộ: ${formatNumber(r.handover)}.`,
    funnelChart(r, period.label),
    table(['Bước', 'Số lượt', 'So với bước trước'], rows) + downloads([['/api/reports/funnel.csv', 'Tải CSV các bước']], period),
  );
}

/** Every section, in the order of the issue. */
export function usageSections(u: UsageReports, period: ReportPeriod): string {
  return [conversationsSection, outcomesSection, proceduresSection, unansweredSection, indicatorsSection, funnelSection].map((f) => f(u, period)).join('');
}

/** What these sections need beyond the report page's own style. */
export const USAGE_STYLE = `
.formula{display:block;font-size:.8125rem;font-weight:400;color:#57606a;white-space:normal}
.text{white-space:normal;text-align:left;min-width:14rem}
.notice.estimate{font-weight:400}
`;
