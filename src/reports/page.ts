import { LEVELS } from '../services/ratings/levels.ts';
import { handoverChart, satisfactionChart } from './charts.ts';
import { escapeMarkup as e } from './escape.ts';
import { formatMinutes, formatNumber, formatShare } from './format.ts';
import type { HandoverReport } from './handover.ts';
import { periodParams, type ReportPeriod } from './query.ts';
import { GROUPING_LABELS, GROUPINGS, type Grouping, type SatisfactionGroup, type SatisfactionReport } from './satisfaction.ts';
import { USAGE_STYLE, usageSections } from './usage-sections.ts';
import type { UsageReports } from './usage.ts';

/**
 * The console's report page (`/console/reports`), rendered on the server: a month picker (a plain GET form), then
 * each report as a chart (the SVG inline) and a table, with links to the CSV files. No script at all and one
 * inline style block, so the page runs under a CSP without 'unsafe-inline'; every value is escaped.
 */

export const SIPAS_NOTICE = 'Đánh giá qua trợ lý ảo — không phải khảo sát SIPAS chính thức';

export type ReportsPageModel =
  | { ok: true; period: ReportPeriod; by: Grouping; satisfaction: SatisfactionReport; handover: HandoverReport; usage: UsageReports }
  | { ok: false; error: string; by: Grouping; month: string };

/** The report pages' style (the monthly page adds its print rules). */
export const REPORT_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
header{background:#0b4f8a;color:#fff;padding:12px 16px}
header h1{margin:0;font-size:1.25rem}
header a{color:#fff}
main{max-width:960px;margin:0 auto;padding:12px}
.notice{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px;margin:0 0 12px;font-weight:600}
.error{background:#ffebe9;border:1px solid #cf222e;border-radius:6px;padding:8px 12px;margin:0 0 12px}
form{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px;margin:0 0 12px}
.field{display:flex;flex-direction:column}
label{font-size:.875rem;color:#57606a}
input,select,button{font:inherit;min-height:44px;padding:6px 10px;border:1px solid #8c959f;border-radius:6px;background:#fff;color:#1f2328}
button{background:#0b4f8a;color:#fff;border-color:#0b4f8a;font-weight:600}
.all{align-self:center}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px;margin:0 0 12px}
h2{font-size:1.1rem;margin:0 0 4px}
.period{color:#57606a;margin:0 0 8px}
.chart svg{display:block;width:100%;max-width:560px;height:auto}
.scroll{overflow-x:auto}
.hint{display:none;font-size:.8125rem;color:#57606a;margin:8px 0 0}
@media (max-width:640px){.hint{display:block}}
table{border-collapse:collapse;width:100%;font-size:.875rem;margin-top:8px}
th,td{border-bottom:1px solid #d8dee4;padding:6px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal;min-width:8rem}
tbody th:first-child,tfoot th:first-child,thead th:first-child{position:sticky;left:0;background:#fff;z-index:1}
thead th:first-child{background:#f6f8fa}
thead th{background:#f6f8fa}
tfoot td{font-weight:600}
.downloads{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 0;padding:0;list-style:none}
.monthly{margin:0 0 12px}
.monthly a{font-weight:600;color:#0b4f8a}
.downloads a{display:inline-block;padding:10px 12px;border:1px solid #0b4f8a;border-radius:6px;color:#0b4f8a;text-decoration:none}
`;

function query(params: Record<string, string>): string {
  const q = new URLSearchParams(params).toString();
  return q ? `?${e(q)}` : '';
}

function pickerForm(by: Grouping, month: string, days: { from: string; to: string }): string {
  const options = GROUPINGS.map((g) => `<option value="${g}"${g === by ? ' selected' : ''}>${e(GROUPING_LABELS[g])}</option>`).join('');
  return (
    `<form method="get" action="/console/reports" aria-label="Chọn khoảng thời gian">` +
    `<div class="field"><label for="f-month">Tháng</label><input id="f-month" type="month" name="month" value="${e(month)}"></div>` +
    `<div class="field"><label for="f-from">Hoặc từ ngày</label><input id="f-from" type="date" name="from" value="${e(days.from)}"></div>` +
    `<div class="field"><label for="f-to">Đến ngày</label><input id="f-to" type="date" name="to" value="${e(days.to)}"></div>` +
    `<div class="field"><label for="f-by">Nhóm đánh giá</label><select id="f-by" name="by">${options}</select></div>` +
    `<button type="submit">Xem báo cáo</button>` +
    `<a class="all" href="/console/reports${query({ by })}">Toàn bộ thời gian</a>` +
    `</form>`
  );
}

function satisfactionRow(g: SatisfactionGroup): string {
  const counts = LEVELS.map((l) => `<td>${formatNumber(g.counts[String(l.level)] ?? 0)}</td>`).join('');
  return `<tr><th scope="row">${e(g.label)}</th>${counts}<td>${formatNumber(g.total)}</td><td>${formatShare(g.shareSatisfied)}</td></tr>`;
}

export function satisfactionSection(r: SatisfactionReport, period: ReportPeriod): string {
  const params = periodParams(period);
  const head = LEVELS.map((l) => `<th scope="col">${e(l.label)}</th>`).join('');
  const body = r.groups.length ? r.groups.map(satisfactionRow).join('') : `<tr><td colspan="${LEVELS.length + 3}">Chưa có đánh giá.</td></tr>`;
  return (
    `<section aria-labelledby="sat-h"><h2 id="sat-h">Mức độ hài lòng</h2>` +
    `<p class="period">${e(period.label)} · ${e(GROUPING_LABELS[r.by])}. Tỷ lệ hài lòng = (Hài lòng + Rất hài lòng) ÷ tổng số lượt.</p>` +
    `<div class="chart">${satisfactionChart(r, period.label)}</div>` +
    `<p class="hint">Bảng có ${LEVELS.length} mức đánh giá: vuốt ngang để xem đủ các cột.</p>` +
    `<div class="scroll"><table><thead><tr><th scope="col">Nhóm</th>${head}<th scope="col">Tổng</th><th scope="col">Tỷ lệ hài lòng</th></tr></thead>` +
    `<tbody>${body}</tbody><tfoot>${satisfactionRow(r.overall)}</tfoot></table></div>` +
    `<ul class="downloads">` +
    `<li><a href="/api/reports/satisfaction.csv${query(params)}" download>Tải CSV từng đánh giá</a></li>` +
    `<li><a href="/api/reports/satisfaction-summary.csv${query({ ...params, by: r.by })}" download>Tải CSV bảng tổng hợp</a></li>` +
    `</ul></section>`
  );
}

export function handoverSection(r: HandoverReport, period: ReportPeriod): string {
  const w = r.waitingMinutes;
  const rows: [string, string][] = [
    ['Yêu cầu gặp cán bộ', formatNumber(r.opened)],
    ['Được cán bộ nhận', formatNumber(r.claimed)],
    ['Đã đóng', formatNumber(r.closed)],
    ...r.byEndStatus.map((s): [string, string] => [`— ${s.label}`, formatNumber(s.count)]),
    ['Đang chờ hoặc đang xử lý', formatNumber(r.stillOpen)],
    [`Thời gian chờ cán bộ nhận, trung vị (${formatNumber(w.sample)} yêu cầu)`, formatMinutes(w.p50)],
    ['Thời gian chờ cán bộ nhận, p90', formatMinutes(w.p90)],
    ['Ngoài giờ làm việc', formatNumber(r.afterHours)],
    ['Xin gọi lại', formatNumber(r.callbacksRequested)],
    ['Ngoài giờ và xin gọi lại', formatNumber(r.afterHoursCallbacks)],
  ];
  return (
    `<section aria-labelledby="ho-h"><h2 id="ho-h">Chuyển cán bộ</h2>` +
    `<p class="period">${e(period.label)} · theo ngày người dân yêu cầu gặp cán bộ.</p>` +
    `<div class="chart">${handoverChart(r, period.label)}</div>` +
    `<div class="scroll"><table><thead><tr><th scope="col">Chỉ số</th><th scope="col">Giá trị</th></tr></thead><tbody>` +
    rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('') +
    `</tbody></table></div>` +
    `<ul class="downloads"><li><a href="/api/reports/handover.csv${query(periodParams(period))}" download>Tải CSV chuyển cán bộ</a></li></ul>` +
    `</section>`
  );
}

/** The printable monthly report of the month picked (only for a whole month). */
function monthlyLink(period: ReportPeriod): string {
  if (!period.month) return '';
  return `<p class="monthly"><a href="/console/reports/monthly${query({ month: period.month })}">Báo cáo ${e(period.label.toLowerCase())} để in (PAR INDEX)</a></p>`;
}

export function renderReportsPage(model: ReportsPageModel): string {
  const month = model.ok ? (model.period.month ?? '') : model.month;
  // A custom range is shown in its own fields; a month stands alone.
  const days = model.ok && !model.period.month ? { from: model.period.from ?? '', to: model.period.to ?? '' } : { from: '', to: '' };
  const content = model.ok
    ? monthlyLink(model.period) + satisfactionSection(model.satisfaction, model.period) + handoverSection(model.handover, model.period) + usageSections(model.usage, model.period)
    : `<p class="error" role="alert">${e(model.error)}</p>`;
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Báo cáo — Bảng điều khiển cán bộ</title><style>${REPORT_STYLE}${USAGE_STYLE}</style></head><body>` +
    `<header><h1>Báo cáo</h1><a href="/console">← Về bảng điều khiển</a></header><main>` +
    `<p class="notice">${e(SIPAS_NOTICE)}</p>` +
    pickerForm(model.by, month, days) +
    content +
    `</main></body></html>`
  );
}
