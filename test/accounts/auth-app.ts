import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { buildServer } from '../../src/server/app.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { registerAuth, SESSION_COOKIE, staffRateLimit } from '../../src/server/auth/plugin.ts';
import { registerDocs } from '../../src/server/docs.ts';
import type { Db } from '../../src/storage/db.ts';

export interface AuthApp {
  app: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The server as the product builds it (buildServer), with the docs and the auth plugin, and a few guarded dummy
 * routes: GET and POST on a staff route and on an admin route.
 */
export async function buildAuthApp(db: Db, env: Record<string, string> = {}, moreRoutes?: (app: FastifyInstance) => void): Promise<AuthApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...env });
  const logger = pino({ level: 'silent' });
  const app = buildServer({ db, logger, isReady: () => true });
  await registerDocs(app);
  await registerAuth(app, { db, config, logger });
  const whoami = async (req: { staffUser: { username: string; role: string } }) => ({ ok: true, username: req.staffUser.username, role: req.staffUser.role });
  app.get('/api/staff/ping', { preHandler: requireRole('staff'), config: staffRateLimit }, whoami);
  app.post('/api/staff/ping', { preHandler: requireRole('staff'), config: staffRateLimit }, whoami);
  app.get('/api/admin/ping', { preHandler: requireRole('admin'), config: staffRateLimit }, whoami);
  app.delete('/api/admin/ping', { preHandler: requireRole('admin'), config: staffRateLimit }, whoami);
  moreRoutes?.(app);
  await app.ready();
  return {
    app,
    dataDir,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  response: LightMyRequestResponse;
}

/** Signs in through the real route; the session cookie's value and the CSRF token. */
export async function signIn(app: FastifyInstance, username: string, password: string): Promise<SignedIn> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`login ${username}: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  if (!cookie) throw new Error('login set no session cookie');
  return { cookie, csrfToken: (response.json() as { csrfToken: string }).csrfToken, response };
}

export const withSession = (s: { cookie: string }) => ({ [SESSION_COOKIE]: s.cookie });
