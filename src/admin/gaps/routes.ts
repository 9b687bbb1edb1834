import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import { staffRateLimit } from '../../server/auth/plugin.ts';
import { sendError } from '../../server/errors.ts';
import { parseReportQuery } from '../../reports/query.ts';
import type { Queryable } from '../../storage/db.ts';
import { knowledgeGaps } from './service.ts';

const DOCS = {
  tags: ['admin'],
  security: [{ session: [] }],
  summary: 'Lỗ hổng kiến thức: câu bot không trả lời được, yêu cầu gặp cán bộ và đánh giá thấp, nhóm theo chủ đề',
  querystring: {
    type: 'object',
    properties: {
      from: { type: 'string', description: 'Ngày đầu (giờ Việt Nam), ví dụ 2026-11-01' },
      to: { type: 'string', description: 'Ngày cuối, tính cả ngày này' },
      month: { type: 'string', description: 'Hoặc một tháng, ví dụ 2026-11' },
    },
  },
  response: { 200: { type: 'object', additionalProperties: true } },
} as const;

/** `GET /api/admin/gaps?from&to` (or `?month`): the knowledge-gaps report as JSON; admin only, in an admin API scope. */
export function registerGapRoutes(app: FastifyInstance, deps: { db: Queryable; guard: NonNullable<RouteShorthandOptions['preHandler']> }): void {
  app.get('/api/admin/gaps', { config: staffRateLimit, preHandler: deps.guard, schema: DOCS }, async (request, reply) => {
    const q = parseReportQuery(request.query ?? {});
    if (!q.ok) return sendError(reply, 'bad_request', q.error);
    const { period } = q.value;
    return reply.send({ ok: true, period: { from: period.from, to: period.to, label: period.label }, ...(await knowledgeGaps(deps.db, period.range)) });
  });
}
