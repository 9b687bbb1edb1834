import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../storage/db.ts';

export interface ServerDeps {
  db: Db;
  logger: Logger;
  /** True once the knowledge base is indexed and the assistant can answer. */
  isReady: () => boolean;
}

/** Largest webhook or chat body accepted: platform updates are a few KB. */
const BODY_LIMIT = 256 * 1024;

/**
 * The fastify server: health and readiness, JSON errors for bad requests (the server keeps serving), pino
 * logging. Channels register their own routes (webhooks, web chat) on the instance this returns.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: BODY_LIMIT, logController: new LogController({ disableRequestLogging: true }) });

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
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err, url: req.url }, 'request failed');
    else req.log.info({ code: err.code, url: req.url }, 'bad request');
    const message =
      status === 400 ? 'Yêu cầu không hợp lệ.' : status === 413 ? 'Nội dung quá lớn.' : status === 415 ? 'Chỉ nhận JSON.' : status < 500 ? 'Yêu cầu không hợp lệ.' : 'Hệ thống đang bận, vui lòng thử lại sau.';
    return reply.code(status).send({ ok: false, error: message });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ ok: false, error: 'Không tìm thấy.' }));
  return app;
}
