import { COMMAND_LIST } from '../../domain/commands.ts';
import { codeOfFastifyError, sendError } from '../../server/errors.ts';
import { secretMatches } from '../../util/secret.ts';
import { autoRetry } from '@grammyjs/auto-retry';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Api, Bot, webhookCallback } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { ChannelSender, EventSink } from '../types.ts';
import { safeErr } from './errors.ts';
import { TelegramPolling } from './polling.ts';
import { TelegramSender } from './sender.ts';
import { ALLOWED_UPDATES, createUpdateHandler, type UpdateHandlerDeps } from './updates.ts';

export { TelegramApiError } from './errors.ts';
export { renderReply, TELEGRAM_TEXT_LIMIT, TELEGRAM_CALLBACK_DATA_MAX_BYTES } from './render.ts';
export { TelegramSender } from './sender.ts';
export { ALLOWED_UPDATES, TELEGRAM_COMMANDS, toInboundEvent, createUpdateHandler } from './updates.ts';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** The command menu, registered with setMyCommands on start. */
export const TELEGRAM_BOT_COMMANDS = COMMAND_LIST;

/** Retries of 429 (waiting retry_after when ≤ 30 s) and 5xx (3 s, 6 s, 12 s): at most 3, then the error is thrown. */
export const AUTO_RETRY = { maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true } as const;

export interface TelegramChannelDeps {
  sink: EventSink;
  logger: Logger;
  /** Public base URL of this server; webhook mode registers `${publicUrl}/webhooks/telegram` with Telegram. */
  publicUrl?: string;
  /** Skips getMe (tests, or a known bot). */
  botInfo?: UserFromGetMe;
  /** Polling knobs (tests use short delays). */
  polling?: { timeoutSeconds?: number; minRetryDelayMs?: number; maxRetryDelayMs?: number };
  /** Time the webhook waits for `accept` before answering 500 (default 10 s, grammY's default). */
  webhookTimeoutMs?: number;
  /** The staff group's updates go to the staff desk instead of the engine (see `UpdateHandlerDeps.staff`). */
  staff?: UpdateHandlerDeps['staff'];
}

export interface TelegramChannel {
  sender: ChannelSender;
  /**
   * For announcements: no auto-retry, so the sender's own policy decides alone (a 429 pauses the whole channel and
   * the delivery is retried later, unclaimed), and no send holds its claim for the retries' long waits.
   */
  broadcastSender: ChannelSender;
  /** The bot's API (auto-retry on) and one without retries, for the staff desk, which uses the same bot. */
  api: Api;
  quickApi: Api;
  /** Webhook mode: adds `POST /webhooks/telegram`. Polling mode: nothing. Call before `app.listen()`. */
  registerRoutes(app: FastifyInstance): void;
  /** setMyCommands; then polling mode starts the getUpdates loop in the background, webhook mode calls setWebhook. */
  start(): Promise<void>;
  /** Stops polling (promptly); nothing to do in webhook mode (the webhook stays set across restarts). */
  stop(): Promise<void>;
}

/**
 * The Telegram adapter on grammY. Updates become `InboundEvent`s handed to `sink.accept`; replies go out through
 * `sender`. The token appears in no log line and no thrown error.
 *
 * Delivery guarantees: an update is acknowledged to Telegram only after `accept` resolved. Webhook: the route
 * answers 200 after `accept`, 500 when it throws (or exceeds the timeout), so Telegram redelivers. Polling: see
 * `TelegramPolling` (own loop; grammY's `bot.start()` would skip an update whose handler threw).
 */
export function createTelegramChannel(cfg: NonNullable<Config['telegram']>, deps: TelegramChannelDeps): TelegramChannel {
  const log = deps.logger.child({ channel: 'telegram' });
  const token = cfg.token;
  const client = { apiRoot: cfg.apiRoot, timeoutSeconds: 60 };
  const bot = new Bot(token, { client, ...(deps.botInfo ? { botInfo: deps.botInfo } : {}) });
  bot.api.config.use(autoRetry(AUTO_RETRY));
  // Best-effort calls (typing, answerCallbackQuery) skip the retries: late is useless for them.
  const quickApi = new Api(token, { ...client, timeoutSeconds: 10 });
  bot.use(
    createUpdateHandler({ sink: deps.sink, logger: log, token, answerCallbackQuery: (_ctx, id) => quickApi.answerCallbackQuery(id), staff: deps.staff }),
  );

  const sender = new TelegramSender({ api: bot.api, quickApi, logger: log, token });
  const broadcastSender = new TelegramSender({ api: new Api(token, client), logger: log, token });
  let polling: TelegramPolling | null = null;

  function registerRoutes(app: FastifyInstance): void {
    if (cfg.mode !== 'webhook') return;
    const secret = cfg.webhookSecret;
    if (!secret) throw new Error('Telegram webhook mode needs a webhook secret (TELEGRAM_WEBHOOK_SECRET)');
    const handle = webhookCallback(bot, 'fastify', {
      secretToken: secret,
      onTimeout: 'throw',
      timeoutMilliseconds: deps.webhookTimeoutMs ?? 10_000,
    });
    void app.register(async (scope) => {
      // Errors of this route only: bad JSON and oversized bodies keep their 4xx; anything else (accept threw,
      // timeout) is a 500 with a generic body, so Telegram retries and nothing internal leaks.
      scope.setErrorHandler((err: FastifyError, _req, reply) => {
        const code = codeOfFastifyError(err);
        if (code === 'internal_error') log.error({ err: safeErr(errorOf(err), token) }, 'Telegram webhook: update not stored; answering 500 so Telegram retries');
        else log.warn({ code: err.code, status: err.statusCode }, 'Telegram webhook: bad request');
        void sendError(reply, code);
      });
      scope.post(TELEGRAM_WEBHOOK_PATH, {
        // Checked before the body is parsed, so an unauthenticated caller learns nothing about body handling.
        onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
          if (!secretMatches(req.headers[TELEGRAM_SECRET_HEADER], secret)) {
            log.warn({ hasHeader: req.headers[TELEGRAM_SECRET_HEADER] !== undefined }, 'Telegram webhook: wrong or missing secret');
            return sendError(reply, 'unauthorized');
          }
        },
        handler: async (req, reply) => {
          if (!isUpdate(req.body)) {
            log.warn('Telegram webhook: body is not an update');
            return sendError(reply, 'malformed_update');
          }
          await handle(req, reply);
          return reply;
        },
      });
    });
  }

  async function start(): Promise<void> {
    try {
      await bot.api.setMyCommands(TELEGRAM_BOT_COMMANDS.map((c) => ({ ...c })));
    } catch (err) {
      log.warn({ err: safeErr(err, token) }, 'Telegram: setMyCommands failed (the command menu may be out of date)');
    }
    if (cfg.mode === 'polling') {
      polling ??= new TelegramPolling({ bot, logger: log, token, ...deps.polling });
      polling.start();
      return;
    }
    try {
      await bot.init(); // getMe now rather than on the first webhook call (no-op when botInfo was given)
    } catch (err) {
      log.warn({ err: safeErr(err, token) }, 'Telegram: getMe failed; retried on the first webhook call');
    }
    if (!deps.publicUrl) {
      log.warn('Telegram webhook mode without PUBLIC_URL: setWebhook not called; register the webhook yourself');
      return;
    }
    const url = `${deps.publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
    try {
      await bot.api.setWebhook(url, { secret_token: cfg.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
    } catch (err) {
      // A wrong PUBLIC_URL (not https, unreachable) is a configuration error: fail loudly, without the token.
      throw new Error(`Telegram setWebhook(${url}) failed: ${safeErr(err, token).message}`);
    }
    log.info({ url }, 'Telegram webhook registered');
  }

  async function stop(): Promise<void> {
    await polling?.stop();
  }

  return { sender, broadcastSender, api: bot.api, quickApi, registerRoutes, start, stop };
}


function isUpdate(body: unknown): body is { update_id: number } {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Number.isSafeInteger((body as { update_id?: unknown }).update_id);
}

function errorOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'error' in err ? (err as { error: unknown }).error : err;
}
