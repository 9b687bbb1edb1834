import { readFileSync } from 'node:fs';
import { guardedUser } from '../server/auth/guard.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { servePage } from '../server/pages.ts';
import type { Role } from '../domain/staff.ts';
import { staffRateLimit } from '../server/auth/plugin.ts';
import { sendError, sendFieldErrors } from '../server/errors.ts';
import { documentOnlyScope } from '../staff/console/routes.ts';
import type { OverridesAdmin } from './overrides-service.ts';
import type { ProfileAdmin } from './profile-service.ts';
import { ADMIN_MESSAGES, CodeParamsSchema, parseOverride, parseProfile, ProcedureQuerySchema } from './validation.ts';
import { z } from 'zod';

/**
 * The admin console: `GET /console/admin` (one self-contained page, public as /console is: it signs in through
 * /api/auth/me and shows the login link itself) and the admin API under /api/admin/ (admin role only, CSRF on
 * changes, rate-limited, the one error shape with Vietnamese messages; a body that does not validate also carries
 * `fields`, the message for each field):
 *   GET    /api/admin/procedures?query=&overridden=1   procedures by code or title words, with their override
 *   GET    /api/admin/procedures/:code                  the record's summary and its override
 *   PUT    /api/admin/procedures/:code/override         sets fields of the override (audited before/after)
 *   DELETE /api/admin/procedures/:code/override         removes it: the listing's values apply again
 *   GET    /api/admin/profile                           the profile in force and where each part comes from
 *   PUT    /api/admin/profile                           saves the whole profile (validated)
 *   GET    /api/admin/profile/history                   every saved version, newest first
 *   POST   /api/admin/profile/revert/:id                makes a version the profile in force again
 */

export interface AdminRouteDeps {
  overrides: OverridesAdmin;
  profile: ProfileAdmin;
  /** The auth plugin's `requireRole`. */
  guard: (...roles: Role[]) => NonNullable<RouteShorthandOptions['preHandler']>;
}

export const ADMIN_PAGE_PATH = '/console/admin';
const PAGE_FILE = new URL('./page.html', import.meta.url);

export function adminPage(): string {
  return readFileSync(PAGE_FILE, 'utf8');
}

const VersionParams = z.object({ id: z.string().regex(/^[1-9]\d{0,14}$/).transform(Number) });



const OBJECT = { type: 'object', additionalProperties: true } as const;
const ERROR_DOC = { type: 'object', properties: { ok: { type: 'boolean', enum: [false] }, code: { type: 'string' }, error: { type: 'string' }, fields: OBJECT } } as const;
const CODE_PARAM = { type: 'object', required: ['code'], properties: { code: { type: 'string', description: 'Mã thủ tục, ví dụ 1.001193' } } } as const;
const read = { tags: ['admin'], security: [{ session: [] }] };
const write = { tags: ['admin'], security: [{ session: [], csrf: [] }] };
const DOCS = {
  search: {
    ...read,
    summary: 'Tìm thủ tục theo mã hoặc tên, kèm thiết lập riêng của xã',
    querystring: { type: 'object', properties: { query: { type: 'string', description: 'Mã (1.0011…) hoặc các từ trong tên' }, overridden: { type: 'string', enum: ['0', '1'], description: '1: chỉ thủ tục có thiết lập riêng' } } },
    response: { 200: OBJECT, 400: ERROR_DOC },
  },
  detail: { ...read, summary: 'Một thủ tục và thiết lập riêng của xã', params: CODE_PARAM, response: { 200: OBJECT, 404: ERROR_DOC } },
  setOverride: {
    ...write,
    summary: 'Đặt thiết lập riêng của xã cho một thủ tục',
    params: CODE_PARAM,
    body: {
      type: 'object',
      properties: {
        excluded: { type: 'boolean', description: 'Không đưa thủ tục này vào câu trả lời' },
        fullyOnline: { type: ['boolean', 'null'], description: 'Dịch vụ công trực tuyến toàn trình' },
        portalUrl: { type: ['string', 'null'], description: 'Trang nộp hồ sơ trên cổng dịch vụ công của tỉnh (https)' },
        localNote: { type: ['string', 'null'], description: 'Ghi chú của Trung tâm, tối đa 300 ký tự' },
        feeAccountAllowed: { type: 'boolean', description: 'Được giới thiệu chuyển khoản vào tài khoản thu phí' },
      },
    },
    response: { 200: OBJECT, 400: ERROR_DOC, 404: ERROR_DOC },
  },
  deleteOverride: { ...write, summary: 'Bỏ thiết lập riêng của xã cho một thủ tục', params: CODE_PARAM, response: { 200: OBJECT, 404: ERROR_DOC } },
  profile: { ...read, summary: 'Thông tin của xã đang áp dụng và nguồn của từng mục', response: { 200: OBJECT } },
  putProfile: { ...write, summary: 'Lưu toàn bộ thông tin của xã', body: OBJECT, response: { 200: OBJECT, 400: ERROR_DOC } },
  history: { ...read, summary: 'Lịch sử thông tin của xã', response: { 200: OBJECT } },
  revert: {
    ...write,
    summary: 'Khôi phục một phiên bản thông tin của xã',
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    response: { 200: OBJECT, 404: ERROR_DOC },
  },
} as const;

export function registerAdmin(app: FastifyInstance, deps: AdminRouteDeps): void {
  servePage(app, ADMIN_PAGE_PATH, adminPage());
  void app.register(async (api) => {
    documentOnlyScope(api);
    registerAdminApi(api, deps);
  });
}

function registerAdminApi(app: FastifyInstance, deps: AdminRouteDeps): void {
  const { overrides, profile } = deps;
  const guard = deps.guard('admin');
  const admin = (schema: object) => ({ config: staffRateLimit, preHandler: guard, schema });
  const codeOf = (request: FastifyRequest) => CodeParamsSchema.safeParse(request.params);

  app.get('/api/admin/procedures', admin(DOCS.search), async (request, reply) => {
    const q = ProcedureQuerySchema.safeParse(request.query ?? {});
    if (!q.success) return sendError(reply, 'bad_request', ADMIN_MESSAGES.badQuery);
    return reply.send({ ok: true, procedures: await overrides.search(q.data.query, q.data.overridden === '1') });
  });

  app.get('/api/admin/procedures/:code', admin(DOCS.detail), async (request, reply) => {
    const p = codeOf(request);
    if (!p.success) return sendError(reply, 'bad_request', ADMIN_MESSAGES.badCode);
    const found = await overrides.detail(p.data.code);
    if (!found) return sendError(reply, 'not_found', ADMIN_MESSAGES.unknownProcedure);
    return reply.send({ ok: true, ...found });
  });

  app.put('/api/admin/procedures/:code/override', admin(DOCS.setOverride), async (request, reply) => {
    const p = codeOf(request);
    if (!p.success) return sendError(reply, 'bad_request', ADMIN_MESSAGES.badCode);
    const b = parseOverride(request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    const change = await overrides.set(p.data.code, b.value, guardedUser(request));
    if (!change.ok) return sendError(reply, 'not_found', ADMIN_MESSAGES.unknownProcedure);
    return reply.send({ ok: true, override: change.after });
  });

  app.delete('/api/admin/procedures/:code/override', admin(DOCS.deleteOverride), async (request, reply) => {
    const p = codeOf(request);
    if (!p.success) return sendError(reply, 'bad_request', ADMIN_MESSAGES.badCode);
    const change = await overrides.remove(p.data.code, guardedUser(request));
    if (!change.ok) return sendError(reply, 'not_found', ADMIN_MESSAGES.noOverride);
    return reply.send({ ok: true, override: null });
  });

  app.get('/api/admin/profile', admin(DOCS.profile), async (_request, reply) => reply.send({ ok: true, ...(await profile.view()) }));

  app.put('/api/admin/profile', admin(DOCS.putProfile), async (request, reply) => {
    const b = parseProfile(request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    return reply.send({ ok: true, ...(await profile.update(b.value, guardedUser(request))) });
  });

  app.get('/api/admin/profile/history', admin(DOCS.history), async (_request, reply) => reply.send({ ok: true, versions: await profile.history() }));

  app.post('/api/admin/profile/revert/:id', admin(DOCS.revert), async (request, reply) => {
    const p = VersionParams.safeParse(request.params);
    if (!p.success) return sendError(reply, 'bad_request', ADMIN_MESSAGES.badVersion);
    const view = await profile.revert(p.data.id, guardedUser(request));
    if (!view) return sendError(reply, 'not_found', ADMIN_MESSAGES.unknownVersion);
    return reply.send({ ok: true, ...view });
  });
}
