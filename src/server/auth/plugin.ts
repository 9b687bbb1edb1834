import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import session from '@fastify/session';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { StaffUserSchema } from '../../domain/staff.ts';
import { Accounts } from '../../services/accounts/accounts.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import type { Db } from '../../storage/db.ts';
import { SessionStore } from '../../storage/session-store.ts';
import { ErrorBodySchema, useZod } from '../docs.ts';
import { codeOfFastifyError, sendError } from '../errors.ts';
import { signedInUser } from './guard.ts';
import { AUTH_MESSAGES } from './messages.ts';
import { fastifySessionStore } from './session-adapter.ts';
import { sessionSecret } from './session-secret.ts';
import { type RegisteredRoute, SESSION_COOKIE } from './types.ts';

export interface AuthDeps {
  db: Db;
  config: Config;
  logger: Logger;
}

export { SESSION_COOKIE };

/** Put in the options of every staff and admin route: `{ config: staffRateLimit, preHandler: requireRole('staff') }`. */
export const staffRateLimit = { rateLimit: { max: 120, timeWindow: '1 minute' } };

const LOGIN_LIMIT = { max: 5, timeWindow: '1 minute' };

const LoginBodySchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
});
const SignedInSchema = z.object({ ok: z.literal(true), user: StaffUserSchema, csrfToken: z.string() });

/** Thrown by the login rate limit; the login route's error handler turns it into the 429 with the wait. */
class LoginThrottled extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('login rate limit');
  }
}

/**
 * Staff sign-in for the console and the staff API: cookies, server-side sessions in the `sessions` table (logout
 * and disabling an account end them at once), CSRF tokens, the rate limiter (off unless a route asks: staff routes
 * put `staffRateLimit` in their config), and `/api/auth/login`, `/logout`, `/me`. Register it on the root app
 * before any staff or admin route (and after `registerDocs`, which must see the routes to describe them).
 */
export async function registerAuth(app: FastifyInstance, deps: AuthDeps): Promise<void> {
  const { db, config } = deps;
  const maxAgeMs = config.staff.sessionHours * 3600_000;
  const sessions = new SessionStore(db);
  const accounts = new Accounts(db);
  const audit = new AuditLog(db);

  const routes: RegisteredRoute[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.decorate('staffAuth', { users: accounts.users });
  app.decorateRequest('staffUser', null as never);

  await app.register(cookie);
  await app.register(session, {
    secret: sessionSecret({ configured: config.staff.sessionSecret, dataDir: config.dataDir }),
    cookieName: SESSION_COOKIE,
    store: fastifySessionStore(sessions, maxAgeMs),
    // Only a sign-in creates a row: citizens' chat requests and webhooks never do.
    saveUninitialized: false,
    // A session lasts SESSION_HOURS from sign-in, however busy; the row's expiry is what counts.
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'strict', secure: config.staff.secureCookies, path: '/', maxAge: maxAgeMs },
  });
  await app.register(csrf, { sessionPlugin: '@fastify/session' });
  await app.register(rateLimit, { global: false });

  await app.register(async (scope) => {
    useZod(scope);
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/auth/login',
      {
        schema: {
          summary: 'Đăng nhập',
          tags: ['auth'],
          body: LoginBodySchema,
          response: { 200: SignedInSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 429: ErrorBodySchema },
        },
        config: {
          rateLimit: {
            ...LOGIN_LIMIT,
            // After validation, so the key can name the account: one person's typos do not lock out a colleague
            // behind the same address, and guessing one account's password stays at five tries a minute.
            hook: 'preHandler',
            keyGenerator: (req: FastifyRequest) => `${req.ip}|${normalise((req.body as { username?: string } | undefined)?.username ?? '')}`,
            errorResponseBuilder: (_req: FastifyRequest, ctx: { ttl: number }) => new LoginThrottled(Math.max(1, Math.ceil(ctx.ttl / 1000))),
          },
        },
        errorHandler: loginErrorHandler,
      },
      async (request, reply) => {
        const { username, password } = request.body;
        const user = await accounts.authenticate(username, password);
        if (!user) {
          await audit.record({ userId: null, username: normalise(username).slice(0, 100), action: 'login_failed', details: { ip: request.ip } });
          return sendError(reply, 'unauthorized', AUTH_MESSAGES.wrongCredentials);
        }
        // A new id at sign-in: a session id planted before it (fixation) is worth nothing after.
        await request.session.regenerate();
        request.session.userId = user.id;
        const csrfToken = reply.generateCsrf();
        await audit.record({ userId: user.id, username: user.username, action: 'login', details: { ip: request.ip } });
        // Expired rows are never read; clearing them here keeps the table small without a timer.
        await sessions.deleteExpired();
        return reply.header('cache-control', 'no-store').send({ ok: true as const, user, csrfToken });
      },
    );

    r.post(
      '/api/auth/logout',
      { schema: { summary: 'Đăng xuất', tags: ['auth'], response: { 200: z.object({ ok: z.literal(true) }) } } },
      async (request, reply) => {
        const user = await signedInUser(request);
        if (user) await audit.record({ userId: user.id, username: user.username, action: 'logout' });
        if (request.session?.sessionId) await request.session.destroy();
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.send({ ok: true as const });
      },
    );

    r.get(
      '/api/auth/me',
      { schema: { summary: 'Tài khoản đang đăng nhập', tags: ['auth'], response: { 200: SignedInSchema, 401: ErrorBodySchema } } },
      async (request, reply) => {
        const user = await signedInUser(request);
        if (!user) return sendError(reply, 'unauthorized', AUTH_MESSAGES.signIn);
        return reply.header('cache-control', 'no-store').send({ ok: true as const, user, csrfToken: reply.generateCsrf() });
      },
    );
  });
}

/** Usernames are compared lowercased and trimmed, as they are stored. */
function normalise(username: string): string {
  return username.trim().toLowerCase();
}

function loginErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof LoginThrottled) {
    return sendError(reply.header('retry-after', String(error.retryAfterSeconds)), 'too_many_requests', AUTH_MESSAGES.tooManyLogins(error.retryAfterSeconds));
  }
  const code = codeOfFastifyError(error);
  if (code === 'internal_error') request.log.error({ err: error }, 'login failed');
  if (code === 'bad_request') return sendError(reply, code, AUTH_MESSAGES.badLoginBody);
  return sendError(reply, code);
}
