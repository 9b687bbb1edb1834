import { codeOfFastifyError, sendError } from '../../server/errors.ts';
import { secretMatches } from '../../util/secret.ts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { EventSink } from '../types.ts';
import { parseZaloUpdate, ZaloUpdateError } from './updates.ts';

export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';
export const ZALO_SECRET_HEADER = 'x-bot-api-secret-token';
/** Real events are 270–420 bytes; OpenClaw caps at 1 MiB. */
const BODY_LIMIT = 1024 * 1024;

export interface ZaloWebhookOptions {
  /** The `secret_token` given to setWebhook; Zalo sends it back in `X-Bot-Api-Secret-Token`. */
  secret: string;
  sink: EventSink;
  logger: Logger;
}


/**
 * `POST /webhooks/zalo`, registered in its own encapsulated scope (own JSON parser and error handler, nothing
 * leaks to the rest of the app):
 * - missing or wrong `X-Bot-Api-Secret-Token` → 401, checked before the body is read;
 * - malformed JSON → 400 (JSON body; the server keeps serving); body over 1 MiB → 413;
 * - a body that fails the update schema → 400;
 * - empty body (probe), `{}`, a non-message event → 200 `{ok:true}`, ignored;
 * - `await sink.accept(event)` (stores it), then 200 — also for a duplicate (a Zalo retry);
 * - `accept` throws (database down) → 503 so Zalo retries.
 */
export function registerZaloWebhook(app: FastifyInstance, o: ZaloWebhookOptions): void {
  if (o.secret.length < 8) throw new Error('Zalo webhook secret must be at least 8 characters');
  void app.register(async (scope) => {
    // Fastify's JSON parser (prototype-poisoning protection included), except that an empty body is the probe
    // Zalo has been seen to send, answered 200, rather than FST_ERR_CTP_EMPTY_JSON_BODY.
    const json = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req, body, done) => {
      if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
      json(req, body as string, done);
    });

    scope.setErrorHandler((err: FastifyError, req, reply) => {
      const code = codeOfFastifyError(err);
      if (code === 'internal_error') o.logger.error({ err }, 'Zalo webhook failed');
      else o.logger.warn({ code: err.code, status: err.statusCode }, 'Zalo webhook: bad request');
      void sendError(reply, code);
    });

    scope.post(ZALO_WEBHOOK_PATH, {
      bodyLimit: BODY_LIMIT,
      onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
        if (!secretMatches(req.headers[ZALO_SECRET_HEADER], o.secret)) {
          o.logger.warn({ hasHeader: req.headers[ZALO_SECRET_HEADER] !== undefined }, 'Zalo webhook: wrong or missing secret');
          return sendError(reply, 'unauthorized');
        }
      },
      handler: async (req, reply) => {
        let event;
        try {
          event = parseZaloUpdate(req.body);
        } catch (e) {
          if (!(e instanceof ZaloUpdateError)) throw e;
          o.logger.warn({ err: e }, 'Zalo webhook: malformed update');
          return sendError(reply, 'malformed_update');
        }
        if (!event) return reply.code(200).send({ ok: true, ignored: true });
        try {
          const result = await o.sink.accept(event);
          o.logger.debug({ updateKey: event.updateKey, result }, 'Zalo webhook: update accepted');
        } catch (e) {
          o.logger.error({ err: e, updateKey: event.updateKey }, 'Zalo webhook: could not store update; answering 503 so Zalo retries');
          return sendError(reply, 'unavailable');
        }
        return reply.code(200).send({ ok: true });
      },
    });
  });
}
