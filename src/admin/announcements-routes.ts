import { readFileSync } from 'node:fs';
import { guardedUser } from '../server/auth/guard.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { servePage } from '../server/pages.ts';
import type { Role } from '../domain/staff.ts';
import { staffRateLimit } from '../server/auth/plugin.ts';
import { sendError, sendFieldErrors } from '../server/errors.ts';
import type { AnnouncementService } from '../services/announcements/service.ts';
import { ANNOUNCEMENT_MESSAGES, AnnouncementIdSchema, parseNewAnnouncement, parseSendBody } from '../services/announcements/validation.ts';
import { documentOnlyScope } from '../staff/console/routes.ts';

/**
 * Announcements in the admin console: `GET /console/announcements` (a self-contained page, public as /console is:
 * it signs in through /api/auth/me) and, admin only, CSRF on changes, rate-limited, audited:
 *   GET  /api/admin/announcements              the latest announcements with their progress
 *   POST /api/admin/announcements              {text, link?, channels, procedureCode?} → {id} (a draft)
 *   GET  /api/admin/announcements/:id          {status, scheduledAt, recipients, sent, failed, pending, …}
 *   GET  /api/admin/announcements/:id/preview  the exact messages per channel, as the channels' renderers send them
 *   POST /api/admin/announcements/:id/send     {at?} one delivery per opted-in recipient, then the send job, now or
 *                                              for `at` (ISO 8601 with offset, ≤ 60 days ahead) → 202 {id, recipients, scheduledAt}
 *   POST /api/admin/announcements/:id/cancel   a scheduled one, before its time (200); 409 once sending began
 */
export interface AnnouncementRouteDeps {
  service: AnnouncementService;
  /** The auth plugin's `requireRole`. */
  guard: (...roles: Role[]) => NonNullable<RouteShorthandOptions['preHandler']>;
}

export const ANNOUNCEMENTS_PAGE_PATH = '/console/announcements';
const PAGE_FILE = new URL('./announcements-page.html', import.meta.url);

export function announcementsPage(): string {
  return readFileSync(PAGE_FILE, 'utf8');
}



const OBJECT = { type: 'object', additionalProperties: true } as const;
const ERROR_DOC = { type: 'object', properties: { ok: { type: 'boolean', enum: [false] }, code: { type: 'string' }, error: { type: 'string' }, fields: OBJECT } } as const;
const ID_PARAM = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'Mã thông báo' } } } as const;
const read = { tags: ['admin'], security: [{ session: [] }] };
const write = { tags: ['admin'], security: [{ session: [], csrf: [] }] };
const DOCS = {
  list: { ...read, summary: 'Các thông báo gần đây và tiến độ gửi', response: { 200: OBJECT } },
  create: {
    ...write,
    summary: 'Soạn một thông báo (bản nháp)',
    body: {
      type: 'object',
      required: ['text', 'channels'],
      properties: {
        text: { type: 'string', description: 'Nội dung, tối đa 1.500 ký tự' },
        link: { type: ['string', 'null'], description: 'Đường link https (tùy chọn)' },
        channels: { type: 'array', items: { type: 'string', enum: ['telegram', 'zalo'] }, description: 'Kênh gửi' },
        procedureCode: { type: ['string', 'null'], description: 'Chỉ gửi người dân có hồ sơ của thủ tục này' },
      },
    },
    response: { 201: OBJECT, 400: ERROR_DOC },
  },
  get: { ...read, summary: 'Một thông báo và tiến độ gửi', params: ID_PARAM, response: { 200: OBJECT, 404: ERROR_DOC } },
  preview: { ...read, summary: 'Xem trước đúng tin nhắn trên từng kênh', params: ID_PARAM, response: { 200: OBJECT, 404: ERROR_DOC } },
  send: {
    ...write,
    summary: 'Gửi ngay hoặc hẹn giờ gửi thông báo tới người dân đã đăng ký',
    description:
      'Không có nội dung hoặc không có `at`: gửi ngay. `at`: thời điểm gửi theo ISO 8601 kèm múi giờ (ví dụ 2027-01-05T08:00:00+07:00), ' +
      'trong vòng 60 ngày tới. Người nhận được xác định lúc gửi: ai hủy đăng ký trước giờ gửi sẽ không nhận, ai đăng ký trước giờ gửi sẽ nhận.',
    params: ID_PARAM,
    body: { type: 'object', properties: { at: { type: ['string', 'null'], format: 'date-time', description: 'Thời điểm hẹn gửi (tùy chọn)' } } },
    response: { 202: OBJECT, 400: ERROR_DOC, 404: ERROR_DOC, 409: ERROR_DOC },
  },
  cancel: { ...write, summary: 'Hủy một thông báo đã hẹn giờ, trước giờ gửi', params: ID_PARAM, response: { 200: OBJECT, 404: ERROR_DOC, 409: ERROR_DOC } },
} as const;

/** Why a send or a cancellation was refused, by the announcement's status, in the admin's words. */
const SEND_CONFLICT: Record<string, string> = { scheduled: ANNOUNCEMENT_MESSAGES.alreadyScheduled, cancelled: ANNOUNCEMENT_MESSAGES.wasCancelled };
const CANCEL_CONFLICT: Record<string, string> = { draft: ANNOUNCEMENT_MESSAGES.cancelDraft, cancelled: ANNOUNCEMENT_MESSAGES.cancelAgain };

export function registerAnnouncementRoutes(app: FastifyInstance, deps: AnnouncementRouteDeps): void {
  servePage(app, ANNOUNCEMENTS_PAGE_PATH, announcementsPage());
  void app.register(async (api) => {
    documentOnlyScope(api);
    registerApi(api, deps);
  });
}

function registerApi(app: FastifyInstance, deps: AnnouncementRouteDeps): void {
  const { service } = deps;
  const guard = deps.guard('admin');
  const admin = (schema: object) => ({ config: staffRateLimit, preHandler: guard, schema });
  const idOf = (request: FastifyRequest) => AnnouncementIdSchema.safeParse(request.params);

  app.get('/api/admin/announcements', admin(DOCS.list), async (_request, reply) => reply.send({ ok: true, announcements: (await service.list()).map(summary) }));

  app.post('/api/admin/announcements', admin(DOCS.create), async (request, reply) => {
    const b = parseNewAnnouncement(request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    const id = await service.create(b.value, guardedUser(request));
    return reply.code(201).send({ ok: true, id });
  });

  app.get('/api/admin/announcements/:id', admin(DOCS.get), async (request, reply) => {
    const p = idOf(request);
    if (!p.success) return sendError(reply, 'bad_request', ANNOUNCEMENT_MESSAGES.badId);
    const a = await service.get(p.data.id);
    if (!a) return sendError(reply, 'not_found', ANNOUNCEMENT_MESSAGES.notFound);
    return reply.send({ ok: true, ...summary(a) });
  });

  app.get('/api/admin/announcements/:id/preview', admin(DOCS.preview), async (request, reply) => {
    const p = idOf(request);
    if (!p.success) return sendError(reply, 'bad_request', ANNOUNCEMENT_MESSAGES.badId);
    const preview = await service.preview(p.data.id);
    if (!preview) return sendError(reply, 'not_found', ANNOUNCEMENT_MESSAGES.notFound);
    return reply.send({ ok: true, ...preview });
  });

  app.post('/api/admin/announcements/:id/send', admin(DOCS.send), async (request, reply) => {
    const p = idOf(request);
    if (!p.success) return sendError(reply, 'bad_request', ANNOUNCEMENT_MESSAGES.badId);
    const b = parseSendBody(request.body, service.now());
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    const r = await service.send(p.data.id, guardedUser(request), b.at);
    if (!r.ok) return r.reason === 'not_found' ? sendError(reply, 'not_found', ANNOUNCEMENT_MESSAGES.notFound) : sendError(reply, 'conflict', SEND_CONFLICT[r.reason] ?? ANNOUNCEMENT_MESSAGES.alreadySent);
    return reply.code(202).send({ ok: true, id: p.data.id, recipients: r.recipients, scheduledAt: r.scheduledAt });
  });

  app.post('/api/admin/announcements/:id/cancel', admin(DOCS.cancel), async (request, reply) => {
    const p = idOf(request);
    if (!p.success) return sendError(reply, 'bad_request', ANNOUNCEMENT_MESSAGES.badId);
    const r = await service.cancel(p.data.id, guardedUser(request));
    if (!r.ok) return r.reason === 'not_found' ? sendError(reply, 'not_found', ANNOUNCEMENT_MESSAGES.notFound) : sendError(reply, 'conflict', CANCEL_CONFLICT[r.reason] ?? ANNOUNCEMENT_MESSAGES.cancelStarted);
    return reply.send({ ok: true, id: p.data.id, status: 'cancelled' });
  });
}

type View = NonNullable<Awaited<ReturnType<AnnouncementService['get']>>>;

/** `{recipients, sent, failed, pending}` as the issue asks, with the other counts and the announcement itself. */
function summary(a: View) {
  const p = a.progress;
  return {
    id: a.id,
    text: a.text,
    link: a.link,
    channels: a.channels,
    procedureCode: a.procedureCode,
    status: a.status,
    createdBy: a.createdBy,
    createdAt: a.createdAt,
    sentAt: a.sentAt,
    scheduledAt: a.scheduledAt,
    cancelledAt: a.cancelledAt,
    audience: a.audience,
    recipients: p.recipients,
    sent: p.sent,
    // blocked users are not delivered to: counted with the failures, and apart
    failed: p.failed + p.blocked,
    pending: p.pending + p.sending,
    skipped: p.skipped,
    blocked: p.blocked,
  };
}
