import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { guardedUser } from '../../server/auth/guard.ts';
import type { Logger } from 'pino';
import { z } from 'zod';
import { cleanText } from '../../channels/clean-text.ts';
import { DOSSIER_STATUS_LABELS, DossierStatusSchema, StaffDossierStatusSchema } from '../../domain/dossier.ts';
import type { Role, StaffUser } from '../../domain/staff.ts';
import { staffRateLimit } from '../../server/auth/plugin.ts';
import { sendError } from '../../server/errors.ts';
import { MAX_NOTE, type DossierService } from '../../services/dossiers/service.ts';
import { documentOnlyScope } from './routes.ts';

/**
 * Dossier tracking for staff: the list (open ones by default, close to due or overdue on request), one dossier with
 * its events, a status change (`PATCH /api/dossiers/{code}`, pushed to the citizen) and the decision on a claimed
 * transfer. Every route is behind the session guard (staff and admins, CSRF on changes) and speaks the one error
 * shape; the schemas are for /docs only, the handlers read their input with zod and answer in Vietnamese.
 */

export interface DossierRouteDeps {
  dossiers: DossierService;
  /** The auth plugin's `requireRole`. */
  guard: (...roles: Role[]) => NonNullable<RouteShorthandOptions['preHandler']>;
  logger: Logger;
  /**
   * Confirms or rejects a claimed transfer and tells the citizen (the payment service); without it the dossier
   * service does.
   */
  payments?: {
    confirmPayment(code: string, user: StaffUser): Promise<unknown>;
    rejectPayment(code: string, user: StaffUser, reason?: string): Promise<unknown>;
  };
}

export const DOSSIER_MESSAGES = {
  badCode: 'Mã hồ sơ không hợp lệ.',
  notFound: 'Không tìm thấy hồ sơ có mã này.',
  badStatus: 'Vui lòng chọn trạng thái mới của hồ sơ.',
  supplementNote: 'Vui lòng ghi rõ giấy tờ, nội dung người dân cần bổ sung.',
  noteTooLong: `Ghi chú quá dài (tối đa ${MAX_NOTE} ký tự).`,
  badFilter: 'Bộ lọc danh sách hồ sơ không hợp lệ.',
  badDecision: 'Vui lòng chọn xác nhận hoặc từ chối khoản chuyển khoản.',
  notClaimed: 'Hồ sơ này không có khoản chuyển khoản nào đang chờ xác nhận.',
} as const;

const CodeParams = z.object({ code: z.string().trim().regex(/^[A-Za-z0-9.-]{1,60}$/) });
const Note = z
  .string()
  .transform((t) => cleanText(t).trim())
  .pipe(z.string().max(MAX_NOTE))
  .nullish();
const StatusBody = z.object({ status: StaffDossierStatusSchema, note: Note });
const ListQuery = z.object({
  status: z.union([DossierStatusSchema, z.enum(['open', 'all'])]).default('open'),
  due: z.enum(['soon', 'overdue']).optional(),
});
const PaymentBody = z.object({ decision: z.enum(['confirm', 'reject']), reason: Note });


/** The first problem's message: a too long note named as such, else the field's, else `fallback`. */
function problem(error: z.ZodError, messages: Partial<Record<string, string>>, fallback: string): string {
  const issue = error.issues[0];
  const field = String(issue?.path[0] ?? '');
  if (field === 'note' || field === 'reason') return issue?.code === 'too_big' ? DOSSIER_MESSAGES.noteTooLong : fallback;
  return messages[field] ?? fallback;
}

const DOSSIER_DOC = { type: 'object', additionalProperties: true, description: 'Hồ sơ (mã hồ sơ do hệ thống một cửa cấp) và trạng thái của nó.' } as const;
const ERROR_DOC = { type: 'object', properties: { ok: { type: 'boolean', enum: [false] }, code: { type: 'string' }, error: { type: 'string' } } } as const;
const CODE_DOC = { type: 'object', required: ['code'], properties: { code: { type: 'string', description: 'Mã hồ sơ, ví dụ H56.14-240823-0001' } } } as const;
const statusList = StaffDossierStatusSchema.options.map((s) => `${s} (${DOSSIER_STATUS_LABELS[s]})`).join(', ');
const read = { tags: ['dossiers'], security: [{ session: [] }] };
const write = { tags: ['dossiers'], security: [{ session: [], csrf: [] }] };
const DOCS = {
  list: {
    ...read,
    summary: 'Danh sách hồ sơ (đang mở theo mặc định; due=soon: sắp đến hạn, due=overdue: quá hạn)',
    querystring: { type: 'object', properties: { status: { type: 'string' }, due: { type: 'string', enum: ['soon', 'overdue'] } } },
  },
  get: { ...read, summary: 'Một hồ sơ và các sự kiện của nó', params: CODE_DOC, response: { 404: ERROR_DOC } },
  patch: {
    ...write,
    summary: 'Đổi trạng thái hồ sơ; người dân được báo qua kênh của họ',
    params: CODE_DOC,
    body: { type: 'object', required: ['status'], properties: { status: { type: 'string', description: statusList }, note: { type: 'string', description: 'Bắt buộc khi cần bổ sung' } } },
    response: { 200: { type: 'object', properties: { ok: { type: 'boolean', enum: [true] }, dossier: DOSSIER_DOC } }, 400: ERROR_DOC, 404: ERROR_DOC },
  },
  payment: {
    ...write,
    summary: 'Xác nhận hoặc từ chối khoản chuyển khoản người dân báo đã chuyển',
    params: CODE_DOC,
    body: { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['confirm', 'reject'] }, reason: { type: 'string' } } },
    response: { 400: ERROR_DOC, 404: ERROR_DOC, 409: ERROR_DOC },
  },
};

export function registerDossierRoutes(app: FastifyInstance, deps: DossierRouteDeps): void {
  void app.register(async (api) => {
    documentOnlyScope(api);
    routes(api, deps);
  });
}

function routes(app: FastifyInstance, deps: DossierRouteDeps): void {
  const { dossiers } = deps;
  const guard = deps.guard('staff', 'admin');
  const staff = (schema: object) => ({ config: staffRateLimit, preHandler: guard, schema });
  const codeOf = (request: FastifyRequest, reply: FastifyReply): string | null => {
    const p = CodeParams.safeParse(request.params);
    if (p.success) return p.data.code;
    void sendError(reply, 'bad_request', DOSSIER_MESSAGES.badCode);
    return null;
  };

  app.get('/api/staff/dossiers', staff(DOCS.list), async (request, reply) => {
    const q = ListQuery.safeParse(request.query ?? {});
    if (!q.success) return sendError(reply, 'bad_request', DOSSIER_MESSAGES.badFilter);
    return reply.send({ ok: true, dossiers: await dossiers.list({ status: q.data.status, due: q.data.due }) });
  });

  app.get('/api/staff/dossiers/:code', staff(DOCS.get), async (request, reply) => {
    const code = codeOf(request, reply);
    if (code === null) return reply;
    const dossier = await dossiers.byCode(code);
    if (!dossier) return sendError(reply, 'not_found', DOSSIER_MESSAGES.notFound);
    return reply.send({ ok: true, dossier: { ...dossier, dueState: dossiers.dueState(dossier) }, events: await dossiers.events(dossier.id) });
  });

  app.patch('/api/dossiers/:code', staff(DOCS.patch), async (request, reply) => {
    const code = codeOf(request, reply);
    if (code === null) return reply;
    const b = StatusBody.safeParse(request.body ?? {});
    if (!b.success) return sendError(reply, 'bad_request', problem(b.error, { status: DOSSIER_MESSAGES.badStatus }, DOSSIER_MESSAGES.badStatus));
    const result = await dossiers.setStatus(code, guardedUser(request), b.data.status, b.data.note ?? null);
    if (result.ok) return reply.send({ ok: true, dossier: result.dossier });
    if (result.reason === 'not_found') return sendError(reply, 'not_found', DOSSIER_MESSAGES.notFound);
    return sendError(reply, 'bad_request', DOSSIER_MESSAGES.supplementNote);
  });

  app.post('/api/staff/dossiers/:code/payment', staff(DOCS.payment), async (request, reply) => {
    const code = codeOf(request, reply);
    if (code === null) return reply;
    const b = PaymentBody.safeParse(request.body ?? {});
    if (!b.success) return sendError(reply, 'bad_request', problem(b.error, { decision: DOSSIER_MESSAGES.badDecision }, DOSSIER_MESSAGES.badDecision));
    const user = guardedUser(request);
    const dossier = await dossiers.byCode(code);
    if (!dossier) return sendError(reply, 'not_found', DOSSIER_MESSAGES.notFound);
    if (dossier.paymentStatus !== 'claimed') return sendError(reply, 'conflict', DOSSIER_MESSAGES.notClaimed);
    const { decision, reason } = b.data;
    if (deps.payments) {
      if (decision === 'confirm') await deps.payments.confirmPayment(dossier.code, user);
      else await deps.payments.rejectPayment(dossier.code, user, reason ?? undefined);
    } else {
      const result = await dossiers.decideTransfer(dossier.code, user, decision, reason ?? null);
      if (!result.ok) return sendError(reply, result.reason === 'not_found' ? 'not_found' : 'conflict', result.reason === 'not_found' ? DOSSIER_MESSAGES.notFound : DOSSIER_MESSAGES.notClaimed);
    }
    deps.logger.info({ dossierId: dossier.id, decision }, 'dossier: transfer decided');
    const after = (await dossiers.byCode(dossier.code))!;
    return reply.send({ ok: true, dossier: { ...after, dueState: dossiers.dueState(after) } });
  });
}
