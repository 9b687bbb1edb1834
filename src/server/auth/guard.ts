import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role, StaffUser } from '../../domain/staff.ts';
import { sendError } from '../errors.ts';
import { AUTH_MESSAGES } from './messages.ts';
import './types.ts';

/** Methods that change something: they must carry the CSRF token as well as the cookie. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `admin` may do everything `staff` may. */
export function hasRole(user: StaffUser, roles: readonly Role[]): boolean {
  return user.role === 'admin' || roles.includes(user.role);
}

/**
 * A preHandler for staff and admin routes: a signed-in, still active account (401 otherwise), one of `roles`
 * (403 `forbidden`; admins always pass), and on unsafe methods the CSRF token in `x-csrf-token` (403 `csrf`).
 * Sets `request.staffUser`. Needs `registerAuth` registered on the app before the route.
 *
 * @example app.post('/api/staff/tickets/:id/claim', { preHandler: requireRole('staff'), config: staffRateLimit }, handler)
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  if (roles.length === 0) throw new Error('requireRole: name at least one role');
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const auth = request.server.staffAuth;
    if (!auth) throw new Error('requireRole: registerAuth must be registered before the routes it guards');
    const user = await signedInUser(request);
    if (!user) return sendError(reply, 'unauthorized', AUTH_MESSAGES.signIn);
    if (!hasRole(user, roles)) return sendError(reply, 'forbidden');
    if (UNSAFE_METHODS.has(request.method) && !csrfTokenValid(request)) return sendError(reply, 'csrf');
    request.staffUser = user;
  };
}

/**
 * The account `requireRole` let through, in a route it guards. Missing means the route was wired without the
 * guard: a programming error (500), never the client's.
 */
export function guardedUser(request: FastifyRequest): StaffUser {
  const user = (request as FastifyRequest & { staffUser?: StaffUser }).staffUser;
  if (!user) throw new Error(`${request.method} ${request.routeOptions.url ?? request.url}: route reached without requireRole`);
  return user;
}

/** The session's account when it is still active, else null (a disabled account's session counts as none). */
export async function signedInUser(request: FastifyRequest): Promise<StaffUser | null> {
  const userId = request.session?.userId;
  if (typeof userId !== 'number') return null;
  const user = await request.server.staffAuth.users.byId(userId);
  return user?.active ? user : null;
}

/**
 * Asks @fastify/csrf-protection to verify the request's token against the session's secret. Its check is
 * synchronous: it calls `done` when the token is good, else `reply.send(error)`; the stand-in reply catches that
 * so the guard answers in our own error shape instead of the plugin's.
 */
function csrfTokenValid(request: FastifyRequest): boolean {
  let valid = false;
  const standIn = { send: () => standIn } as unknown as FastifyReply;
  request.server.csrfProtection(request, standIn, () => {
    valid = true;
  });
  return valid;
}
