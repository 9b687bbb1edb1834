import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable the product reads, validated once at start-up.
 * Modules below receive the parsed `Config` (or the slice they need); nothing reads process.env deeper in.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());

export const EnvSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  KNOWLEDGE_DIR: z.preprocess(emptyToUndefined, z.string().default('./knowledge')),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_EMBEDDING_MODEL: z.preprocess(emptyToUndefined, z.string().default('text-embedding-3-small')),
  EMBEDDING_DIMENSIONS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(64).max(2000).default(512)),
  OPENAI_CHAT_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_ROUTER_MODEL: optionalString,
  LLM_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(500).max(120_000).default(15_000)),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65_535).default(3000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PUBLIC_URL: optionalUrl,
  /**
   * Behind a reverse proxy that ends TLS: which proxy to trust for the client's address and protocol — "true" (any),
   * or the proxy's addresses/CIDRs separated by commas. Needed for Secure session cookies and per-address limits.
   */
  TRUST_PROXY: z.preprocess(emptyToUndefined, z.string().regex(/^(true|false|[0-9a-fA-F.:/, ]+)$/, 'TRUST_PROXY: true, or addresses separated by commas').optional()),
  TELEGRAM_BOT_TOKEN: z.preprocess(emptyToUndefined, z.string().regex(/^\d+:[\w-]+$/, 'TELEGRAM_BOT_TOKEN looks like 123456:ABC-…').optional()),
  TELEGRAM_MODE: z.preprocess(emptyToUndefined, z.enum(['polling', 'webhook']).optional()),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'TELEGRAM_WEBHOOK_SECRET: 16–256 of A-Z a-z 0-9 _ -').optional()),
  TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.string().url().default('https://api.telegram.org')),
  ZALO_BOT_TOKEN: optionalString,
  ZALO_MODE: z.preprocess(emptyToUndefined, z.enum(['polling', 'webhook']).optional()),
  ZALO_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().min(8, 'ZALO_WEBHOOK_SECRET: at least 8 characters').max(256).optional()),
  ZALO_API_BASE: z.preprocess(emptyToUndefined, z.string().url().default('https://bot-api.zaloplatforms.com')),
  TELEGRAM_STAFF_CHAT_ID: z.preprocess(emptyToUndefined, z.string().regex(/^-?\d{1,20}$/, 'TELEGRAM_STAFF_CHAT_ID: the staff group chat id, e.g. -1001234567890').optional()),
  SESSION_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'SESSION_SECRET: at least 32 characters').optional()),
  SESSION_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(720).default(12)),
  CALLBACK_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(365).default(30)),
  /** The fee-collection account for VietQR transfers, overriding the commune profile's: all three or none. */
  FEE_ACCOUNT_BIN: z.preprocess(emptyToUndefined, z.string().trim().regex(/^\d{6}$/, "FEE_ACCOUNT_BIN: the bank's 6-digit NAPAS BIN, e.g. 970436").optional()),
  FEE_ACCOUNT_NUMBER: z.preprocess(emptyToUndefined, z.string().trim().regex(/^\d{6,19}$/, 'FEE_ACCOUNT_NUMBER: 6–19 digits').optional()),
  FEE_ACCOUNT_NAME: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(100).optional()),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  databaseUrl: string | undefined;
  knowledgeDir: string;
  embeddings:
    | { kind: 'offline'; dimensions: number }
    | { kind: 'openai'; apiKey: string; baseUrl: string | undefined; model: string; dimensions: number };
  /** LLM mode (answers and a second router) when an API key is set; null means offline answers only. */
  llm: { apiKey: string; baseUrl: string | undefined; model: string; routerModel: string | undefined; timeoutMs: number } | null;
  server: { port: number; host: string; publicUrl: string | undefined; trustProxy: boolean | string[] };
  /** null: the channel is off (no token). */
  telegram: { token: string; mode: 'polling' | 'webhook'; webhookSecret: string | undefined; apiRoot: string } | null;
  zalo: { token: string; mode: 'polling' | 'webhook'; webhookSecret: string | undefined; apiBase: string } | null;
  staff: {
    /** The Telegram staff group (a supergroup with topics, or a plain group); null: no Telegram staff desk. */
    telegramChatId: string | null;
    /** Signs the console's session cookie; unset: a random secret kept in DATA_DIR (sessions survive restarts). */
    sessionSecret: string | undefined;
    sessionHours: number;
    /** Cookies marked Secure: when PUBLIC_URL is https (a plain-http localhost console must still work). */
    secureCookies: boolean;
    /** Days after a ticket closes before its callback number is erased. */
    callbackRetentionDays: number;
  };
  /** The fee-collection account from the environment (overrides the commune profile's); null: the profile's, if any. */
  feeAccount: { bankBin: string; accountNumber: string; accountName: string } | null;
}

export class ConfigError extends Error {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // Webhook mode by default when the server is reachable from outside (PUBLIC_URL), polling otherwise.
  const defaultMode = e.PUBLIC_URL ? 'webhook' : 'polling';
  const telegramMode = e.TELEGRAM_MODE ?? defaultMode;
  const zaloMode = e.ZALO_MODE ?? defaultMode;
  const problems: string[] = [];
  // A webhook without a secret would take updates from anyone who finds the URL.
  if (e.TELEGRAM_BOT_TOKEN && telegramMode === 'webhook' && !e.TELEGRAM_WEBHOOK_SECRET) problems.push('  TELEGRAM_WEBHOOK_SECRET: required in webhook mode');
  if (e.ZALO_BOT_TOKEN && zaloMode === 'webhook' && !e.ZALO_WEBHOOK_SECRET) problems.push('  ZALO_WEBHOOK_SECRET: required in webhook mode');
  const feeVars = [e.FEE_ACCOUNT_BIN, e.FEE_ACCOUNT_NUMBER, e.FEE_ACCOUNT_NAME];
  // half an account would send citizens' money nowhere (or somewhere else): all three, or none
  if (feeVars.some(Boolean) && !feeVars.every(Boolean)) problems.push('  FEE_ACCOUNT_BIN, FEE_ACCOUNT_NUMBER, FEE_ACCOUNT_NAME: set all three or none');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    knowledgeDir: path.resolve(e.KNOWLEDGE_DIR),
    embeddings: e.OPENAI_API_KEY
      ? {
          kind: 'openai',
          apiKey: e.OPENAI_API_KEY,
          baseUrl: e.OPENAI_BASE_URL,
          model: e.OPENAI_EMBEDDING_MODEL,
          dimensions: e.EMBEDDING_DIMENSIONS,
        }
      : { kind: 'offline', dimensions: e.EMBEDDING_DIMENSIONS },
    llm: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          baseUrl: e.OPENAI_BASE_URL,
          model: e.OPENAI_CHAT_MODEL,
          routerModel: e.OPENAI_ROUTER_MODEL,
          timeoutMs: e.LLM_TIMEOUT_MS,
        }
      : null,
    server: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''), trustProxy: trustProxyOf(e.TRUST_PROXY) },
    telegram: e.TELEGRAM_BOT_TOKEN
      ? { token: e.TELEGRAM_BOT_TOKEN, mode: telegramMode, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, '') }
      : null,
    zalo: e.ZALO_BOT_TOKEN
      ? { token: e.ZALO_BOT_TOKEN, mode: zaloMode, webhookSecret: e.ZALO_WEBHOOK_SECRET, apiBase: e.ZALO_API_BASE.replace(/\/+$/, '') }
      : null,
    staff: {
      telegramChatId: e.TELEGRAM_STAFF_CHAT_ID ?? null,
      sessionSecret: e.SESSION_SECRET,
      sessionHours: e.SESSION_HOURS,
      secureCookies: (e.PUBLIC_URL ?? '').startsWith('https://'),
      callbackRetentionDays: e.CALLBACK_RETENTION_DAYS,
    },
    feeAccount:
      e.FEE_ACCOUNT_BIN && e.FEE_ACCOUNT_NUMBER && e.FEE_ACCOUNT_NAME
        ? { bankBin: e.FEE_ACCOUNT_BIN, accountNumber: e.FEE_ACCOUNT_NUMBER, accountName: e.FEE_ACCOUNT_NAME }
        : null,
  };
}

function trustProxyOf(v: string | undefined): boolean | string[] {
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  return v.split(',').map((a) => a.trim()).filter(Boolean);
}
