import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type RunningApp, startApp } from '../../src/app/server.ts';
import { loadConfig } from '../../src/config.ts';
import { SESSION_COOKIE } from '../../src/server/auth/plugin.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { signInOverHttp } from '../security/matrix.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { type FakeZaloServer, startFakeZaloServer } from '../fakes/zalo-server.ts';
import { SMALL_KB } from './assistant.ts';
import { serverDatabaseForApp } from './db.ts';

export const TG_SECRET = 'tg-secret-0123456789abcdef';
export const ZALO_SECRET = 'zalo-secret-123';

export interface Product {
  running: RunningApp;
  telegram: FakeTelegram;
  zalo: FakeZaloServer;
  /** Absolute URL of a path on the running product. */
  url: (p: string) => string;
  /** Texts the fake Telegram received for a chat, in order. */
  telegramTexts: (chatId: number) => string[];
  /** Texts the fake Zalo received for a chat, in order. */
  zaloTexts: (chatId: string) => string[];
  close: () => Promise<void>;
}

/**
 * The whole product as `npm start` runs it (small knowledge base), with Telegram by webhook and Zalo by long
 * polling against local fake Bot API servers, on PGlite or (with DATABASE_URL) a fresh database on the server.
 */
export async function startProduct(env: Record<string, string> = {}, opts: { now?: () => Date } = {}): Promise<Product> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
  const db = await serverDatabaseForApp();
  const telegram = await startFakeTelegram();
  const zalo = await startFakeZaloServer();
  const config = loadConfig({
    KNOWLEDGE_DIR: SMALL_KB,
    DATA_DIR: path.join(work, 'data'),
    DATABASE_URL: db?.url ?? '',
    PORT: '0',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_BASE: zalo.url,
    ZALO_MODE: 'polling',
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    ...env,
  });
  const running = await startApp(config, { logger: pino({ level: 'silent' }), now: opts.now });
  await running.ready;
  return {
    running,
    telegram,
    zalo,
    url: (p) => new URL(p, running.url).toString(),
    telegramTexts: (chatId) =>
      telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text)),
    zaloTexts: (chatId) => zalo.sent.filter((s) => s.chat_id === chatId).map((s) => s.text ?? ''),
    close: async () => {
      await running.close();
      await telegram.close();
      await zalo.close();
      await db?.drop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A web-chat reply as the route answers it. */
export interface WebChatReply {
  messages: Array<{ text: string; choices?: Array<{ id: string; label: string }> }>;
}

/** Posts one message (or a button press) to the running product's web chat; a non-200 answer throws. */
export async function webChat(p: Product, conversationId: string, body: { text?: string; choice?: string }): Promise<WebChatReply> {
  const r = await fetch(p.url('/api/chat'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId, ...body }) });
  if (r.status !== 200) throw new Error(`web chat answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as WebChatReply;
}

export const ADMIN_PASSWORD = 'mat-khau-quan-tri-123';

/**
 * An admin account added to the running product and signed in over HTTP, as the console does: the headers its API
 * calls carry (the session cookie and the CSRF token).
 */
export async function adminHeaders(p: Product, username = 'quantri'): Promise<Record<string, string>> {
  await new Accounts(p.running.db).add({ username, role: 'admin', password: ADMIN_PASSWORD }, CLI_ACTOR);
  const s = await signInOverHttp(p.running.url, username, ADMIN_PASSWORD);
  return { cookie: `${SESSION_COOKIE}=${s.cookie}`, 'x-csrf-token': s.csrfToken };
}

/** One admin API call with `headers` from `adminHeaders`: its status and JSON body. */
export async function adminCall(p: Product, headers: Record<string, string>, method: string, path: string, body?: object): Promise<{ status: number; json: Record<string, any> }> {
  const r = await fetch(p.url(path), { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: (await r.json()) as Record<string, any> };
}

/** The product on Telegram (by webhook, against the fake server) that a test stops and starts again on the same data. */
export interface RestartableProduct {
  telegram: FakeTelegram;
  /** Starts a process on the data and waits until it is ready. */
  start(): Promise<RunningApp>;
  /** Stops the running process (what it left undone stays in the database). */
  stop(): Promise<void>;
  /** The texts the fake Telegram received for a chat, in order. */
  texts(chatId: number): string[];
  close(): Promise<void>;
}

export async function restartableProduct(prefix: string): Promise<RestartableProduct> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const telegram = await startFakeTelegram();
  const db = await serverDatabaseForApp();
  const config = loadConfig({
    KNOWLEDGE_DIR: SMALL_KB,
    DATA_DIR: path.join(work, 'data'),
    DATABASE_URL: db?.url ?? '',
    PORT: '0',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
  });
  let running: RunningApp | null = null;
  const stop = async () => {
    await running?.close();
    running = null;
  };
  return {
    telegram,
    async start() {
      const app = await startApp(config, { logger: pino({ level: 'silent' }) });
      running = app;
      await app.ready;
      return app;
    },
    stop,
    texts: (chatId) => telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text)),
    async close() {
      await stop();
      await telegram.close();
      await db?.drop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
