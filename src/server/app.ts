import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../storage/db.ts';
import { codeOfFastifyError, sendError } from './errors.ts';

export interface ServerDeps {
  db: Db;
  logger: Logger;
  /** True once the knowledge base is indexed and the assistant can answer. */
  isReady: () => boolean;
  /** Fastify's trustProxy: the client's address and protocol from a reverse proxy (TRUST_PROXY). */
  trustProxy?: boolean | string[];
}

/** Largest webhook or chat body accepted: platform updates are a few KB. */
const BODY_LIMIT = 256 * 1024;

/**
 * The fastify server: health and readiness, JSON errors for bad requests (the server keeps serving), pino
 * logging. Channels register their own routes (webhooks, web chat) on the instance this returns.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: BODY_LIMIT, trustProxy: deps.trustProxy ?? false, logController: new LogController({ disableRequestLogging: true }) });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const checks = { database: false, knowledge: deps.isReady() };
    try {
      await deps.db.query('SELECT 1');
      checks.database = true;
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'readiness: database unreachable');
    }
    const ok = checks.database && checks.knowledge;
    return reply.code(ok ? 200 : 503).send({ ok, ...checks });
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const code = codeOfFastifyError(err);
    if (code === 'internal_error') req.log.error({ err, url: req.url }, 'request failed');
    else req.log.info({ code: err.code, url: req.url }, 'bad request');
    return sendError(reply, code);
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, 'not_found'));
  return app;
}
