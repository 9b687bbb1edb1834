import { readFileSync } from 'node:fs';
import { guardedUser } from '../../server/auth/guard.ts';
import type { FastifyInstance, FastifyReply, RouteShorthandOptions } from 'fastify';
import type { Logger } from 'pino';
import { servePage } from '../../server/pages.ts';
import { DOSSIER_STATUS_LABELS, PAYMENT_METHOD_LABELS, StaffDossierStatusSchema } from '../../domain/dossier.ts';
import { END_STATUS_LABELS, type Role, type StaffUser } from '../../domain/staff.ts';
import { staffRateLimit } from '../../server/auth/plugin.ts';
import { sendError } from '../../server/errors.ts';
import type { DeskResult, HandoverDesk } from '../../services/handover/types.ts';
import { CONSOLE_API_DOCS } from './api-docs.ts';
import { deskFailure } from './desk-failures.ts';
import { LIVE_DEFAULTS, type LiveOptions, streamLiveEvents } from './live-events.ts';
import {
  CONSOLE_MESSAGES,
  CloseBodySchema,
  EventsCursorSchema,
  ReleaseBodySchema,
  ReplyBodySchema,
  TicketParamsSchema,
  TicketQuerySchema,
  parseWith,
  ticketFilter,
} from './requests.ts';

/**
 * The staff web console: `GET /console` serves one self-contained page (page.html beside this module: inline CSS
 * and JS, a strict CSP by hash, as the web chat), public because it shows the login form itself; the staff API
 * under `/api/staff/` is behind the session guard (staff, and admins) and speaks the one error shape. The page
 * reads the queue, a ticket's transcript and changes, claims, releases (to the queue or a colleague), closes with
 * an end status and replies; live updates come as server-sent events from the ticket log.
 */

export interface ConsoleDeps {
  desk: HandoverDesk;
  users: { list(): Promise<StaffUser[]> };
  /** The auth plugin's `requireRole`: a preHandler that answers 401/403 and sets `request.staffUser`. */
  guard: (...roles: Role[]) => NonNullable<RouteShorthandOptions['preHandler']>;
  logger: Logger;
  /** Poll and heartbeat periods of the live stream (tests shorten them). */
  live?: Partial<LiveOptions>;
}

const PAGE_FILE = new URL('./page.html', import.meta.url);

/**
 * The page with the end-status labels of src/domain/staff.ts and the dossier labels of src/domain/dossier.ts put in
 * as data (JSON blocks, never executed).
 */
export function consolePage(): string {
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  const dossier = { status: DOSSIER_STATUS_LABELS, staffStatuses: StaffDossierStatusSchema.options, payment: PAYMENT_METHOD_LABELS };
  return readFileSync(PAGE_FILE, 'utf8').replace('{{END_STATUS_LABELS}}', json(END_STATUS_LABELS)).replace('{{DOSSIER_LABELS}}', json(dossier));
}


function answer(reply: FastifyReply, result: DeskResult): FastifyReply {
  if (result.ok) return reply.send({ ok: true, ticket: result.ticket });
  const { code, message } = deskFailure(result);
  return sendError(reply, code, message);
}

export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const live: LiveOptions = { ...LIVE_DEFAULTS, ...deps.live };
  const openStreams = new Set<() => void>();

  // Live streams never end by themselves; the server's close would wait for them.
  app.addHook('preClose', async () => {
    for (const stop of openStreams) stop();
  });

  servePage(app, '/console', consolePage());

  // The staff API in its own scope: its hook stays inside.
  void app.register(async (api) => {
    documentOnlyScope(api);
    registerStaffApi(api, deps, live, openStreams);
  });
}

/**
 * A staff API scope whose route schemas are for /docs only (api-docs.ts): the handlers read their input with zod
 * themselves, answers are serialised with JSON.stringify, and nothing is cached.
 */
export function documentOnlyScope(api: FastifyInstance): void {
  api.setValidatorCompiler(() => () => true);
  api.setSerializerCompiler(() => (data) => JSON.stringify(data));
  api.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
}

function registerStaffApi(app: FastifyInstance, deps: ConsoleDeps, live: LiveOptions, openStreams: Set<() => void>): void {
  const { desk, logger } = deps;
  const guard = deps.guard('staff', 'admin');
  const staff = (schema: object) => ({ config: staffRateLimit, preHandler: guard, schema });

  app.get('/api/staff/tickets', staff(CONSOLE_API_DOCS.list), async (request, reply) => {
    const q = parseWith(TicketQuerySchema, request.query, { default: CONSOLE_MESSAGES.badFilter });
    if (!q.ok) return sendError(reply, 'bad_request', q.error);
    const tickets = await desk.listTickets(ticketFilter(q.value, guardedUser(request).id));
    return reply.send({ ok: true, tickets });
  });

  app.get('/api/staff/tickets/:id', staff(CONSOLE_API_DOCS.get), async (request, reply) => {
    const p = parseWith(TicketParamsSchema, request.params, { default: CONSOLE_MESSAGES.badTicketId });
    if (!p.ok) return sendError(reply, 'bad_request', p.error);
    const ticket = await desk.getTicket(p.value.id);
    if (!ticket) return answer(reply, { ok: false, reason: 'not_found' });
    // the callback number (given with consent, kept only in the ticket) is for whoever makes the call: the owner,
    // or an admin; it is never in a list, a log or an event
    const user = guardedUser(request);
    const mayCall = ticket.callbackRequested && (ticket.ownerId === user.id || user.role === 'admin');
    const callbackPhone = mayCall ? await desk.callbackPhone(ticket.id) : null;
    return reply.send({ ok: true, ticket: { ...ticket, callbackPhone }, events: await desk.ticketEvents(ticket.id) });
  });

  app.post('/api/staff/tickets/:id/claim', staff(CONSOLE_API_DOCS.claim), async (request, reply) => {
    const p = parseWith(TicketParamsSchema, request.params, { default: CONSOLE_MESSAGES.badTicketId });
    if (!p.ok) return sendError(reply, 'bad_request', p.error);
    return answer(reply, await desk.claim(p.value.id, guardedUser(request)));
  });

  app.post('/api/staff/tickets/:id/release', staff(CONSOLE_API_DOCS.release), async (request, reply) => {
    const p = parseWith(TicketParamsSchema, request.params, { default: CONSOLE_MESSAGES.badTicketId });
    if (!p.ok) return sendError(reply, 'bad_request', p.error);
    const b = parseWith(ReleaseBodySchema, request.body ?? undefined, { default: CONSOLE_MESSAGES.badTarget });
    if (!b.ok) return sendError(reply, 'bad_request', b.error);
    return answer(reply, await desk.release(p.value.id, guardedUser(request), b.value.toUserId));
  });

  app.post('/api/staff/tickets/:id/close', staff(CONSOLE_API_DOCS.close), async (request, reply) => {
    const p = parseWith(TicketParamsSchema, request.params, { default: CONSOLE_MESSAGES.badTicketId });
    if (!p.ok) return sendError(reply, 'bad_request', p.error);
    const b = parseWith(CloseBodySchema, request.body, { default: CONSOLE_MESSAGES.badEndStatus });
    if (!b.ok) return sendError(reply, 'bad_request', b.error);
    return answer(reply, await desk.close(p.value.id, guardedUser(request), b.value.endStatus));
  });

  app.post('/api/staff/tickets/:id/reply', staff(CONSOLE_API_DOCS.reply), async (request, reply) => {
    const p = parseWith(TicketParamsSchema, request.params, { default: CONSOLE_MESSAGES.badTicketId });
    if (!p.ok) return sendError(reply, 'bad_request', p.error);
    const b = parseWith(ReplyBodySchema, request.body, {
      default: CONSOLE_MESSAGES.emptyReply,
      messageId: CONSOLE_MESSAGES.badMessageId,
      text: CONSOLE_MESSAGES.emptyReply,
    });
    if (!b.ok) return sendError(reply, 'bad_request', b.error);
    const { text, messageId } = b.value;
    return answer(reply, await desk.reply(p.value.id, guardedUser(request), text, `console:${messageId}`));
  });

  app.get('/api/staff/users', staff(CONSOLE_API_DOCS.users), async (_request, reply) => {
    const users = (await deps.users.list()).filter((u) => u.active).map((u) => ({ id: u.id, displayName: u.displayName, role: u.role }));
    return reply.send({ ok: true, users });
  });

  app.get('/api/staff/events', staff(CONSOLE_API_DOCS.events), async (request, reply) => {
    const header = request.headers['last-event-id'];
    const raw = (typeof header === 'string' && header !== '' ? header : undefined) ?? (request.query as { after?: unknown }).after;
    let start: number | null = null;
    if (raw !== undefined) {
      const c = parseWith(EventsCursorSchema, raw, { default: CONSOLE_MESSAGES.badAfter });
      if (!c.ok) return sendError(reply, 'bad_request', c.error);
      start = c.value;
    }
    // From here the response is ours: fastify neither serialises nor ends it.
    reply.hijack();
    const stop = streamLiveEvents(reply.raw, { desk, logger, options: live }, start);
    openStreams.add(stop);
    reply.raw.on('close', () => openStreams.delete(stop));
  });
}
