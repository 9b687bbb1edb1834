import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Admin, createAdmin, registerSecurityHeaders } from '../../src/admin/index.ts';
import { loadConfig } from '../../src/config.ts';
import type { StaffUser } from '../../src/domain/staff.ts';
import { type CommuneProfile, EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { buildServer } from '../../src/server/app.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { registerAuth } from '../../src/server/auth/plugin.ts';
import { registerDocs } from '../../src/server/docs.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import type { Db } from '../../src/storage/db.ts';

export const PASSWORD = 'mat-khau-quan-tri-123';

export interface AdminApp {
  app: FastifyInstance;
  admin: Admin;
  users: Record<'lan' | 'admin', StaffUser>;
  close(): Promise<void>;
}

/**
 * The admin side as the product serves it: buildServer, the security headers, the docs, the real auth plugin
 * (sessions, CSRF, rate limits) and the admin routes on the test database; a staff member and an admin.
 */
export async function buildAdminApp(db: Db, opts: { fileProfile?: CommuneProfile; env?: Record<string, string> } = {}): Promise<AdminApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...opts.env });
  const logger = pino({ level: 'silent' });
  const app = buildServer({ db, logger, isReady: () => true });
  await registerSecurityHeaders(app, { publicUrl: config.server.publicUrl });
  await registerDocs(app);
  await registerAuth(app, { db, config, logger });
  const admin = await createAdmin({ db, config, fileProfile: opts.fileProfile ?? EMPTY_PROFILE });
  admin.registerRoutes(app, requireRole);
  await app.ready();
  const accounts = new Accounts(db);
  const users = {
    lan: await accounts.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff', password: PASSWORD }, CLI_ACTOR),
    admin: await accounts.add({ username: 'quantri', displayName: 'Quản trị viên', role: 'admin', password: PASSWORD }, CLI_ACTOR),
  };
  return {
    app,
    admin,
    users,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
