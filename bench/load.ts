import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import pino from 'pino';
import { type RunningApp, startApp } from '../src/app/server.ts';
import { loadConfig } from '../src/config.ts';
import { startFakeTelegram } from '../test/fakes/telegram-server.ts';

/**
 * Webhook load on loopback: Telegram updates POSTed to the running product (offline mode) at a fixed offered rate,
 * then a drain until every stored update is answered; lost and duplicated replies are counted from the database
 * against what the fake Telegram server received. The same load against a bare grammY + fastify echo bot gives
 * the ceiling of the web stack on this machine.
 */
const SECRET = 'bench-secret-0123456789';

export interface LoadResult {
  offered: number;
  acked: number;
  non2xx: number;
  ackPerSecond: number;
  p50: number;
  p99: number;
  /** Updates answered per second, from the first request to the last reply. */
  answeredPerSecond?: number;
  lost?: number;
  duplicated?: number;
  drainSeconds?: number;
  /** Event-loop delay in the server process while the load ran (ms). */
  loopLagP99?: number;
  loopLagMax?: number;
}

/**
 * The load generator runs in a worker thread (autocannon's `workers`), so generating and timing requests does not
 * compete with the server for the main thread's event loop; the machine's two cores are still shared.
 */
async function fire(url: string, rate: number, seconds: number, connections = 50): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    workers: 1,
    overallRate: rate || undefined,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        setupRequest: fileURLToPath(new URL('./webhook-request.cjs', import.meta.url)),
      },
    ],
  });
}

function summarise(r: autocannon.Result, seconds: number): LoadResult {
  const acked = r['2xx'];
  return { offered: r.requests.sent, acked, non2xx: r.non2xx, ackPerSecond: acked / seconds, p50: r.latency.p50, p99: r.latency.p99 };
}

export async function productLoad(opts: { databaseUrl?: string; rate: number; seconds: number }): Promise<LoadResult> {
  const telegram = await startFakeTelegram();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  let running: RunningApp | undefined;
  try {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: opts.databaseUrl ?? '',
      DATA_DIR: dataDir,
      PORT: '0',
      OPENAI_API_KEY: '',
      PUBLIC_URL: '',
      ZALO_BOT_TOKEN: '',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    });
    running = await startApp(config, { logger: pino({ level: 'silent' }) });
    await running.ready;
    const url = new URL('/webhooks/telegram', running.url).toString();
    const t0 = performance.now();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const r = await fire(url, opts.rate, opts.seconds);
    lag.disable();
    const result = { ...summarise(r, opts.seconds), loopLagP99: lag.percentile(99) / 1e6, loopLagMax: lag.max / 1e6 };
    // drain: wait until nothing is pending (bounded)
    const db = running.db;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const [p] = await db.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM inbound_updates WHERE status = 'pending') + (SELECT count(*) FROM outbound_messages WHERE status = 'pending') AS n`,
      );
      if (Number(p!.n) === 0 || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const drained = (performance.now() - t0) / 1000;
    const [answered] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM inbound_updates i WHERE status = 'done'
         AND EXISTS (SELECT 1 FROM outbound_messages o WHERE o.inbound_id = i.id AND o.status = 'sent')`,
    );
    const [sentRows] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM outbound_messages WHERE status = 'sent'`);
    // every update the server acknowledged is stored (200 is sent only after the row is written)
    const [stored] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_updates`);
    const received = telegram.sent.filter((c) => c.method === 'sendMessage' && c.status === 200).length;
    return {
      ...result,
      answeredPerSecond: Number(answered!.n) / drained,
      lost: Math.max(result.acked, Number(stored!.n)) - Number(answered!.n),
      duplicated: Math.max(0, received - Number(sentRows!.n)),
      drainSeconds: drained,
    };
  } finally {
    await running?.close();
    await telegram.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A bare grammY + fastify echo bot on the same fake: the ceiling of the web stack alone. */
export async function echoCeiling(opts: { rate: number; seconds: number }): Promise<LoadResult> {
  const telegram = await startFakeTelegram();
  const bot = new Bot(telegram.token, { botInfo: telegram.botInfo, client: { apiRoot: telegram.apiRoot } });
  bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  const app = Fastify();
  app.post('/webhooks/telegram', webhookCallback(bot, 'fastify', { secretToken: SECRET }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (app.server.address() as { port: number }).port;
    const r = await fire(`http://127.0.0.1:${port}/webhooks/telegram`, opts.rate, opts.seconds);
    return summarise(r, opts.seconds);
  } finally {
    await app.close();
    await telegram.close();
  }
}
