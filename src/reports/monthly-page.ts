import { escapeMarkup as e } from './escape.ts';
import { formatNumber, formatShare } from './format.ts';
import type { HandoverReport } from './handover.ts';
import { DECISION, INTERNAL_ESTIMATE, NATIONAL_DASHBOARD_LABEL, NATIONAL_DASHBOARD_URL } from './indicators.ts';
import { handoverSection, REPORT_STYLE, satisfactionSection, SIPAS_NOTICE } from './page.ts';
import type { ReportPeriod } from './query.ts';
import type { SatisfactionReport } from './satisfaction.ts';
import { conversationsSection, funnelSection, indicatorsSection, outcomesSection, proceduresSection, unansweredSection, USAGE_STYLE } from './usage-sections.ts';
import type { UsageReports } from './usage.ts';
import { dayLabel, vietnamDay } from './vietnam-time.ts';

/**
 * The printable monthly report (`/console/reports/monthly?month=YYYY-MM`) for the commune's PAR INDEX
 * self-assessment: the month's key figures first, then the indicators with their formulas (labelled an internal
 * estimate, with the national portal for the official figures), satisfaction, handover, conversations, outcomes,
 * procedures, unanswered topics and the guide's funnel — all on one page, laid out for A4 when printed (the
 * browser's Print; download links and the header's navigation are not printed), with a place to sign.
 */

export const MONTHLY_PAGE_PATH = '/console/reports/monthly';

export type MonthlyPageModel =
  | { ok: true; period: ReportPeriod; generatedAt: Date; satisfaction: SatisfactionReport; handover: HandoverReport; usage: UsageReports }
  | { ok: false; error: string };

const PRINT_STYLE = `
main{max-width:210mm}
.lead{margin:0 0 12px;color:#57606a}
.summary td{font-weight:600}
.signatures{display:flex;justify-content:space-between;gap:24px;margin:24px 0 48px;text-align:center}
.signatures p{margin:0;flex:1}
.signatures span{display:block;font-style:italic;font-size:.875rem;color:#57606a}
@page{size:A4;margin:12mm 12mm 14mm}
@media print{
  body{background:#fff;font-size:10.5pt;color:#000}
  header{background:none;color:#000;padding:0 0 4mm;border-bottom:1.5pt solid #000}
  header a,.downloads,.noprint{display:none}
  main{max-width:none;padding:4mm 0 0}
  section{border:0;border-top:.5pt solid #8c959f;border-radius:0;padding:3mm 0 0;margin:0 0 4mm;break-inside:avoid}
  .chart svg{max-width:105mm}
  .scroll{overflow:visible}
  table{font-size:9pt}
  th,td{white-space:normal;padding:3px 5px}
  .text,th:first-child,td:first-child{min-width:0}
  tbody th:first-child,tfoot th:first-child,thead th:first-child{position:static}
  a{color:#000;text-decoration:none}
  .notice{border-color:#000;background:none}
  .hint{display:none!important}
}
`;

function vietnamTime(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(11, 16)} ngày ${dayLabel(vietnamDay(d))}`;
}

function summary(m: Extract<MonthlyPageModel, { ok: true }>): string {
  const u = m.usage;
  const outcome = (id: string) => u.outcomes.outcomes.find((o) => o.outcome === id);
  const answered = outcome('answered');
  const step = (id: string) => u.funnel.steps.find((s) => s.step === id)?.count ?? 0;
  const rows: [string, string][] = [
    ['Cuộc trò chuyện', formatNumber(u.conversations.conversations)],
    ['Tin nhắn của người dân', formatNumber(u.outcomes.messages)],
    ['Tin nhắn được trả lời', `${formatNumber(answered?.count ?? 0)} (${formatShare(answered?.share ?? null)})`],
    ['Tin nhắn chưa trả lời được', formatNumber(outcome('no_answer')?.count ?? 0)],
    ['Yêu cầu gặp cán bộ', formatNumber(m.handover.opened)],
    ['Lượt đánh giá / tỷ lệ hài lòng', `${formatNumber(m.satisfaction.overall.total)} / ${formatShare(m.satisfaction.overall.shareSatisfied)}`],
    ...u.indicators.indicators.map((i): [string, string] => [`${i.label} (${INTERNAL_ESTIMATE})`, `${formatShare(i.rate)} (${formatNumber(i.numerator)}/${formatNumber(i.denominator)})`]),
    ['Hướng dẫn nộp hồ sơ: bắt đầu → đã nộp', `${formatNumber(step('started'))} → ${formatNumber(step('submitted'))}`],
  ];
  return (
    `<section aria-labelledby="sum-h" id="summary"><h2 id="sum-h">Số liệu chính</h2>` +
    `<div class="scroll"><table class="summary"><tbody>` +
    rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('') +
    `</tbody></table></div></section>`
  );
}

export function renderMonthlyPage(m: MonthlyPageModel): string {
  const title = m.ok ? `Báo cáo ${m.period.label.toLowerCase()}` : 'Báo cáo tháng';
  const body = m.ok
    ? `<p class="lead">Trợ lý dịch vụ công — số liệu phục vụ tự đánh giá Chỉ số cải cách hành chính (PAR INDEX). Lập lúc ${e(vietnamTime(m.generatedAt))} (giờ Việt Nam). ` +
      `Các chỉ số hồ sơ là ${e(INTERNAL_ESTIMATE)} theo công thức của ${e(DECISION)}; số liệu chính thức tại ` +
      `<a href="${e(NATIONAL_DASHBOARD_URL)}" rel="noopener noreferrer">${e(NATIONAL_DASHBOARD_LABEL)}</a> (${e(NATIONAL_DASHBOARD_URL.replace(/^https:\/\//, ''))}).</p>` +
      `<p class="notice">${e(SIPAS_NOTICE)}</p>` +
      summary(m) +
      indicatorsSection(m.usage, m.period) +
      satisfactionSection(m.satisfaction, m.period) +
      handoverSection(m.handover, m.period) +
      conversationsSection(m.usage, m.period) +
      outcomesSection(m.usage, m.period) +
      proceduresSection(m.usage, m.period) +
      unansweredSection(m.usage, m.period) +
      funnelSection(m.usage, m.period) +
      `<div class="signatures"><p><strong>Người lập báo cáo</strong><span>(ký, ghi rõ họ tên)</span></p><p><strong>Lãnh đạo duyệt</strong><span>(ký, ghi rõ họ tên)</span></p></div>`
    : `<p class="error" role="alert">${e(m.error)}</p>`;
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${e(title)}</title><style>${REPORT_STYLE}${USAGE_STYLE}${PRINT_STYLE}</style></head><body>` +
    `<header><h1>${e(title)}</h1><a href="/console/reports${m.ok && m.period.month ? `?month=${e(m.period.month)}` : ''}">← Về trang báo cáo</a></header><main>` +
    `<p class="noprint period">Dùng lệnh In của trình duyệt (Ctrl+P) để in hoặc lưu thành PDF khổ A4.</p>` +
    body +
    `</main></body></html>`
  );
}
