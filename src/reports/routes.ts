import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import { inlineHashes } from '../server/pages.ts';
import { sendError } from '../server/errors.ts';
import type { StaffUser } from '../domain/staff.ts';
import { AuditLog } from '../storage/audit-log.ts';
import type { Db } from '../storage/db.ts';
import { ratingsInRange, ticketsInRange } from '../storage/report-queries.ts';
import { handoverChart, satisfactionChart } from './charts.ts';
import { handoverCsv, ratingsCsv, satisfactionCsv } from './exports.ts';
import { handoverReport } from './handover.ts';
import { renderReportsPage } from './page.ts';
import { parseReportQuery, type ReportQuery } from './query.ts';
import { GROUPINGS, satisfactionReport } from './satisfaction.ts';
import { MONTHLY_PAGE_PATH, renderMonthlyPage } from './monthly-page.ts';
import { conversationsChart, funnelChart, indicatorsChart, outcomesChart, proceduresChart, unansweredChart } from './usage-charts.ts';
import { conversationsCsv, funnelCsv, indicatorsCsv, outcomesCsv, proceduresCsv, unansweredCsv } from './usage-exports.ts';
import { conversationsOf, funnelOf, indicatorsOf, outcomesOf, proceduresOf, unansweredOf, usageReports } from './usage.ts';
import { vietnamMonth } from './vietnam-time.ts';

/**
 * The staff reports: satisfaction ratings and handover figures, and (issue 11) conversations, outcomes, top
 * procedures, unanswered topics, the commune's indicators from the dossiers and the guide's funnel, as JSON, CSV
 * and SVG charts under /api/reports/; the console page /console/reports that shows them, and the printable
 * monthly report /console/reports/monthly?month=YYYY-MM. Every route is behind `guard` (staff or admin); the page
 * turns the guard's 401 into a redirect to the console's login page, since a person opened it in a browser.
 */

export interface ReportsDeps {
  db: Db;
  /** `requireRole('staff', 'admin')`: answers 401 for no session and 403 for a role that may not see reports. */
  guard: preHandlerHookHandler | preHandlerAsyncHookHandler;
  /** Route config for every report route: `staffRateLimit` from src/server/auth/plugin.ts, so staff endpoints are rate-limited. */
  routeConfig?: FastifyContextConfig;
  /** The clock: the monthly page without a month shows the current one (Vietnam time). */
  now?: () => Date;
}

const PERIOD_PARAMS = {
  from: { type: 'string', description: 'Ngày đầu (giờ Việt Nam), YYYY-MM-DD, ví dụ 2026-11-01; bỏ trống: từ đầu' },
  to: { type: 'string', description: 'Ngày cuối, tính cả ngày này (giờ Việt Nam), YYYY-MM-DD, ví dụ 2026-11-30; bỏ trống: đến nay' },
} as const;
const BY_PARAM = { by: { type: 'string', description: `Cách nhóm: ${GROUPINGS.join(', ')} (mặc định month)` } } as const;

/**
 * OpenAPI description only: the parameters are listed as plain strings and checked by `parseReportQuery`, which
 * answers a bad date with its own Vietnamese message.
 */
function docs(summary: string, params: Record<string, object>): FastifySchema {
  return { summary, tags: ['reports'], security: [{ session: [] }], querystring: { type: 'object', properties: params } };
}

export const REPORTS_PAGE_PATH = '/console/reports';
/** The console's login page, which brings the person back to `next` (the page with the month they asked for). */
export function loginRedirect(requestUrl: string, page: string = REPORTS_PAGE_PATH): string {
  const q = requestUrl.indexOf('?');
  return `/console?next=${encodeURIComponent(page + (q >= 0 ? requestUrl.slice(q) : ''))}`;
}

/** Someone not signed in opened a report page in a browser: send them to the login page, which brings them back. */
function redirectToLogin(page: string) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (reply.statusCode !== 401) return payload;
    reply.code(303).header('location', loginRedirect(request.url, page)).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store');
    return 'Vui lòng đăng nhập.';
  };
}

function htmlPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return privateReply(reply.code(status), 'text/html; charset=utf-8')
    .header('content-security-policy', pageSecurityPolicy(html))
    .header('referrer-policy', 'no-referrer')
    .send(html);
}

function pageSecurityPolicy(html: string): string {
  return [
    "default-src 'none'",
    "script-src 'none'",
    `style-src ${inlineHashes(html, 'style').join(' ') || "'none'"}`,
    "img-src 'self'",
    "base-uri 'none'",
    // The month picker submits to the page itself.
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Reports name staff and quote (redacted) comments: never kept by a browser cache or a proxy. */
function privateReply(reply: FastifyReply, contentType: string): FastifyReply {
  return reply.header('content-type', contentType).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
}

function attachment(reply: FastifyReply, filename: string, body: string): FastifyReply {
  return privateReply(reply, 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(body);
}

function svg(reply: FastifyReply, body: string): FastifyReply {
  // A standalone SVG opened in a tab is a document: it may run nothing and load nothing.
  return privateReply(reply, 'image/svg+xml; charset=utf-8').header('content-security-policy', "default-src 'none'").send(body);
}

export function registerReports(app: FastifyInstance, deps: ReportsDeps): void {
  const { db } = deps;
  const audit = new AuditLog(db);
  const guarded = (schema: FastifySchema) => ({ preHandler: deps.guard, schema, ...(deps.routeConfig ? { config: deps.routeConfig } : {}) });

  /** Parses the query, or answers the 400 and returns null. */
  function queryOf(request: FastifyRequest, reply: FastifyReply): ReportQuery | null {
    const parsed = parseReportQuery(request.query);
    if (parsed.ok) return parsed.value;
    sendError(reply.header('cache-control', 'no-store'), 'bad_request', parsed.error);
    return null;
  }

  /** A file leaving the system (ratings with comments, staff names) is a staff action: it goes in the audit log. */
  async function exported(request: FastifyRequest, file: string, q: ReportQuery, by?: string): Promise<void> {
    // Set by requireRole; a stand-in guard in a test may leave it unset.
    const user = (request.staffUser as StaffUser | null | undefined) ?? null;
    const details = { from: q.period.from, to: q.period.to, ...(by ? { by } : {}) };
    await audit.record({ userId: user?.id ?? null, username: user?.username ?? null, action: 'report.export', target: `report:${file}`, details });
  }

  const satisfactionOf = async (q: ReportQuery) => satisfactionReport(await ratingsInRange(db, q.period.range), q.by);
  const handoverOf = async (q: ReportQuery) => handoverReport(await ticketsInRange(db, q.period.range));
  const periodJson = (q: ReportQuery) => ({ from: q.period.from, to: q.period.to, label: q.period.label });

  app.get('/api/reports/satisfaction.csv', guarded(docs('Từng đánh giá (CSV)', PERIOD_PARAMS)), async (request, reply) => {
    const q = queryOf(request, reply);
    if (!q) return reply;
    const body = ratingsCsv(await ratingsInRange(db, q.period.range));
    await exported(request, 'satisfaction.csv', q);
    return attachment(reply, 'satisfaction.csv', body);
  });

  app.get('/api/reports/satisfaction', guarded(docs('Mức độ hài lòng theo nhóm', { ...PERIOD_PARAMS, ...BY_PARAM })), async (request, reply) => {
    const q = queryOf(request, reply);
    if (!q) return reply;
    return privateReply(reply, 'application/json; charset=utf-8').send({ ok: true, period: periodJson(q), ...(await satisfactionOf(q)) });
  });

  app.get('/api/reports/satisfaction-summary.csv', guarded(docs('Mức độ hài lòng theo nhóm (CSV)', { ...PERIOD_PARAMS, ...BY_PARAM })), async (request, reply) => {
    const q = queryOf(request, reply);
    if (!q) return reply;
    const body = satisfactionCsv(await satisfactionOf(q));
    await exported(request, 'satisfaction-summary.csv', q, q.by);
    return attachment(reply, `satisfaction-by-${q.by}.csv`, body);
  });

  app.get('/api/reports/handover', guarded(docs('Số liệu chuyển cán bộ', PERIOD_PARAMS)), async (request, reply) => {
    const q = queryOf(request, reply);
    if (!q) return reply;
    return privateReply(reply, 'application/json; charset=utf-8').send({ ok: true, period: periodJson(q), ...(await handoverOf(q)) });
  });

  app.get('/api/reports/handover.csv', guarded(docs('Số liệu chuyển cán bộ (CSV)', PERIOD_PARAMS)), async (request, reply) => {
    const q = queryOf(request, reply);
    if (!q) return reply;
    const body = handoverCsv(await handoverOf(q));
    await exported(request, 'handover.csv', q);
    return attachment(reply, 'handover.csv', body);
  });

  app.get('/api/reports/charts/satisfaction.svg', guarded(docs('Biểu đồ mức độ hài lòng (SVG)', { ...PERIOD_PARAMS, ...BY_PARAM })), async (request, reply) => {
    const q = queryOf(request, reply);
    if (!q) return reply;
    return svg(reply, satisfactionChart(await satisfactionOf(q), q.period.label));
  });

  app.get('/api/reports/charts/handover.svg', guarded(docs('Biểu đồ chuyển cán bộ (SVG)', PERIOD_PARAMS)), async (request, reply) => {
    const q = queryOf(request, reply);
    if (!q) return reply;
    return svg(reply, handoverChart(await handoverOf(q), q.period.label));
  });

  registerUsageRoutes(app, deps, { guarded, queryOf, exported, periodJson });

  app.get(REPORTS_PAGE_PATH, { ...guarded({ hide: true }), onSend: redirectToLogin(REPORTS_PAGE_PATH) }, async (request, reply) => {
    const parsed = parseReportQuery(request.query);
    const raw = (request.query ?? {}) as Record<string, unknown>;
    if (!parsed.ok) return htmlPage(reply, 400, renderReportsPage({ ok: false, error: parsed.error, by: 'month', month: typeof raw.month === 'string' ? raw.month : '' }));
    const q = parsed.value;
    return htmlPage(
      reply,
      200,
      renderReportsPage({ ok: true, period: q.period, by: q.by, satisfaction: await satisfactionOf(q), handover: await handoverOf(q), usage: await usageReports(db, q.period) }),
    );
  });

  app.get(MONTHLY_PAGE_PATH, { ...guarded({ hide: true }), onSend: redirectToLogin(MONTHLY_PAGE_PATH) }, async (request, reply) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    // Only a whole month: no month means the current one in Vietnam.
    const month = typeof raw.month === 'string' && raw.month !== '' ? raw.month : vietnamMonth((deps.now ?? (() => new Date()))());
    const parsed = parseReportQuery({ month, by: 'channel' });
    if (!parsed.ok) return htmlPage(reply, 400, renderMonthlyPage({ ok: false, error: parsed.error }));
    const q = parsed.value;
    return htmlPage(
      reply,
      200,
      renderMonthlyPage({
        ok: true,
        period: q.period,
        generatedAt: (deps.now ?? (() => new Date()))(),
        satisfaction: await satisfactionOf(q),
        handover: await handoverOf(q),
        usage: await usageReports(db, q.period),
      }),
    );
  });
}

interface RouteKit {
  guarded: (schema: FastifySchema) => object;
  queryOf: (request: FastifyRequest, reply: FastifyReply) => ReportQuery | null;
  exported: (request: FastifyRequest, file: string, q: ReportQuery) => Promise<void>;
  periodJson: (q: ReportQuery) => { from: string | null; to: string | null; label: string };
}

/**
 * Each issue-11 report at three addresses: /api/reports/<name> (JSON), /api/reports/<name>.csv and
 * /api/reports/charts/<name>.svg, all for the period asked (month, or from/to).
 */
function registerUsageRoutes(app: FastifyInstance, deps: ReportsDeps, kit: RouteKit): void {
  const { db } = deps;
  const reports = [
    { name: 'conversations', summary: 'Cuộc trò chuyện theo ngày và kênh', of: conversationsOf, json: (r: object) => r, csv: conversationsCsv, chart: conversationsChart },
    { name: 'outcomes', summary: 'Kết quả các tin nhắn và số lượt đánh giá', of: outcomesOf, json: (r: object) => r, csv: outcomesCsv, chart: outcomesChart },
    { name: 'procedures', summary: 'Thủ tục được hỏi nhiều nhất', of: proceduresOf, json: (r: object) => ({ procedures: r }), csv: proceduresCsv, chart: proceduresChart },
    { name: 'unanswered', summary: 'Chủ đề chưa trả lời được (ví dụ đã che thông tin cá nhân)', of: unansweredOf, json: (r: object) => ({ topics: r }), csv: unansweredCsv, chart: unansweredChart },
    { name: 'indicators', summary: 'Chỉ số phục vụ từ hồ sơ (ước tính nội bộ, công thức QĐ 766/QĐ-TTg)', of: indicatorsOf, json: (r: object) => r, csv: indicatorsCsv, chart: indicatorsChart },
    { name: 'funnel', summary: 'Các bước của hướng dẫn nộp hồ sơ', of: funnelOf, json: (r: object) => r, csv: funnelCsv, chart: funnelChart },
  ] as const;
  for (const r of reports) {
    // Each entry pairs its own loader with its own renderers; the union of the table loses that pairing for tsc.
    const of = r.of as (d: Db, p: ReportQuery['period']) => Promise<never>;
    const csv = r.csv as (x: never) => string;
    const chart = r.chart as (x: never, period: string) => string;
    app.get(`/api/reports/${r.name}`, kit.guarded(docs(r.summary, PERIOD_PARAMS)), async (request, reply) => {
      const q = kit.queryOf(request, reply);
      if (!q) return reply;
      return privateReply(reply, 'application/json; charset=utf-8').send({ ok: true, period: kit.periodJson(q), ...r.json(await of(db, q.period)) });
    });
    app.get(`/api/reports/${r.name}.csv`, kit.guarded(docs(`${r.summary} (CSV)`, PERIOD_PARAMS)), async (request, reply) => {
      const q = kit.queryOf(request, reply);
      if (!q) return reply;
      const body = csv(await of(db, q.period));
      await kit.exported(request, `${r.name}.csv`, q);
      return attachment(reply, `${r.name}.csv`, body);
    });
    app.get(`/api/reports/charts/${r.name}.svg`, kit.guarded(docs(`${r.summary} (SVG)`, PERIOD_PARAMS)), async (request, reply) => {
      const q = kit.queryOf(request, reply);
      if (!q) return reply;
      return svg(reply, chart(await of(db, q.period), q.period.label));
    });
  }
}
