import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** HSTS for a year once the server is reached over https. */
const HSTS_MAX_AGE = 365 * 24 * 3600;

/**
 * @fastify/helmet's headers on every answer (nosniff, frame and opener policies, referrer, no DNS prefetch, …),
 * without its Content-Security-Policy: every page (web chat, console, reports, admin) sends its own strict one, by
 * hash of its inline script and style, which a global policy would replace. HSTS only when PUBLIC_URL is https: on
 * plain http (a laptop, the tests) a browser would ignore it, and behind a proxy it is the public address that
 * counts. Register it on the root app before the routes.
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { publicUrl?: string }): Promise<void> {
  const https = opts.publicUrl?.startsWith('https://') ?? false;
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: false,
    hsts: https ? { maxAge: HSTS_MAX_AGE, includeSubDomains: false } : false,
  });
}
