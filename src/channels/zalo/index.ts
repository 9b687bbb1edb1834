import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { ChannelSender, EventSink } from '../types.ts';
import { ZaloBotClient } from './client.ts';
import { ZaloPolling } from './polling.ts';
import { ZaloSender } from './sender.ts';
import { sleep } from './sleep.ts';
import { registerZaloWebhook, ZALO_WEBHOOK_PATH } from './webhook.ts';

export { ZaloApiError, ZaloBotClient, ZaloError, ZaloNetworkError, redactToken } from './client.ts';
export { parseZaloUpdate, ZaloUpdateError } from './updates.ts';
export { renderZaloMessage, ZALO_TEXT_LIMIT } from './render.ts';
export { ZaloSender } from './sender.ts';
export { ZaloPolling } from './polling.ts';
export { registerZaloWebhook, ZALO_WEBHOOK_PATH } from './webhook.ts';

export interface ZaloChannel {
  sender: ChannelSender;
  /** Adds `POST /webhooks/zalo` when a webhook secret is configured; call before `app.listen`/`ready`. */
  registerRoutes(app: FastifyInstance): void;
  /** Polling: deleteWebhook, then the getUpdates loop. Webhook: setWebhook(`${publicUrl}/webhooks/zalo`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ZaloChannelDeps {
  sink: EventSink;
  logger: Logger;
  /** Public base URL of this server (PUBLIC_URL), without a trailing slash. */
  publicUrl?: string;
  /** Tests: shorter long polls and back-off. */
  polling?: { pollTimeoutSec?: number; backoff?: { initialMs?: number; maxMs?: number } };
}

/**
 * The Zalo Bot Platform channel (ZALO.md §1): a static bot token, long polling or a webhook, text only, no buttons.
 *
 * Seam for a second Zalo adapter: a business that already runs a Zalo Official Account would get its own
 * `src/channels/zalo-oa/` (Open API v3, ZALO.md §2) exposing this same `ZaloChannel` shape — an OAuth v4 token that
 * is refreshed every 25 h, `POST /v3.0/oa/message/cs` with real buttons (`oa.query.hide` payloads coming back as
 * `kind: 'choice'`), and a webhook verified by `X-ZEvent-Signature` = sha256(app_id + raw body + timestamp + OA
 * secret) over the raw body. It would share `InboundEvent`, `EventSink` and the choice model, not this client,
 * and would need a channel name of its own (or an account discriminator) in `ChannelNameSchema`. Not written.
 */
export function createZaloChannel(cfg: NonNullable<Config['zalo']>, deps: ZaloChannelDeps): ZaloChannel {
  const logger = deps.logger.child({ channel: 'zalo' });
  const client = new ZaloBotClient({ token: cfg.token, apiBase: cfg.apiBase });
  const sender = new ZaloSender(client, logger);
  let polling: ZaloPolling | null = null;
  let webhookRetry: AbortController | null = null;

  return {
    sender,

    registerRoutes(app) {
      if (!cfg.webhookSecret) {
        if (cfg.mode === 'webhook') logger.error('Zalo webhook mode without ZALO_WEBHOOK_SECRET: route not registered');
        return;
      }
      registerZaloWebhook(app, { secret: cfg.webhookSecret, sink: deps.sink, logger });
    },

    async start() {
      if (cfg.mode === 'polling') {
        if (polling) return;
        polling = new ZaloPolling({
          client,
          sink: deps.sink,
          logger,
          pollTimeoutSec: deps.polling?.pollTimeoutSec,
          backoff: deps.polling?.backoff,
          // getUpdates does not work while a webhook is set.
          prepare: async () => {
            await client.deleteWebhook();
          },
        });
        await polling.start();
        return;
      }
      if (!deps.publicUrl) {
        logger.warn('Zalo webhook mode without PUBLIC_URL: not calling setWebhook; Zalo keeps whatever webhook was set before');
        return;
      }
      if (!cfg.webhookSecret) return; // config refuses this combination; registerRoutes has logged it
      const url = `${deps.publicUrl.replace(/\/+$/, '')}${ZALO_WEBHOOK_PATH}`;
      if (!url.startsWith('https://')) logger.warn({ url }, 'Zalo only accepts public HTTPS webhook URLs');
      webhookRetry?.abort();
      webhookRetry = new AbortController();
      await setWebhookWithRetry(client, url, cfg.webhookSecret, logger, webhookRetry.signal);
    },

    async stop() {
      webhookRetry?.abort();
      webhookRetry = null;
      const p = polling;
      polling = null;
      await p?.stop();
    },
  };
}

/**
 * Tries setWebhook once and returns; on failure keeps retrying in the background (1 s → 60 s) until it succeeds
 * or the signal aborts, so a Zalo outage at boot neither crashes the service nor leaves the webhook unset.
 */
async function setWebhookWithRetry(client: ZaloBotClient, url: string, secret: string, logger: Logger, signal: AbortSignal): Promise<void> {
  const attempt = async (): Promise<boolean> => {
    try {
      await client.setWebhook(url, secret, { signal });
      logger.info({ url }, 'Zalo webhook set');
      return true;
    } catch (e) {
      if (!signal.aborted) logger.error({ err: e, url }, 'Zalo setWebhook failed');
      return false;
    }
  };
  if (await attempt()) return;
  void (async () => {
    for (let delay = 1_000; !signal.aborted; delay = Math.min(delay * 2, 60_000)) {
      if (!(await sleep(delay, signal)) || (await attempt())) return;
    }
  })();
}
