import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../../src/config.ts';
import type { StaffUser } from '../../../src/domain/staff.ts';
import { EMPTY_PROFILE } from '../../../src/knowledge/commune-profile.ts';
import { buildServer } from '../../../src/server/app.ts';
import { requireRole } from '../../../src/server/auth/guard.ts';
import { registerAuth } from '../../../src/server/auth/plugin.ts';
import { registerDocs } from '../../../src/server/docs.ts';
import { Accounts, CLI_ACTOR } from '../../../src/services/accounts/accounts.ts';
import { HandoverService } from '../../../src/services/handover/service.ts';
import type { LiveOptions } from '../../../src/staff/console/live-events.ts';
import { registerConsole } from '../../../src/staff/console/routes.ts';
import type { Db } from '../../../src/storage/db.ts';

export const PASSWORD = 'mat-khau-du-dai-123';

export interface ConsoleApp {
  app: FastifyInstance;
  desk: HandoverService;
  accounts: Accounts;
  users: Record<'lan' | 'minh' | 'admin', StaffUser>;
  /** Opens a waiting ticket for a new web conversation, as the handover flow does. */
  openTicket(conversationId: string, procedureCode?: string | null): Promise<number>;
  close(): Promise<void>;
}

/**
 * The console as the product serves it: buildServer, the docs, the real auth plugin (sessions, CSRF, rate limits), the
 * console's routes, and a real HandoverService on the test database. Two staff members and an admin.
 */
export async function buildConsoleApp(db: Db, opts: { live?: Partial<LiveOptions>; /** More routes, registered before the app is ready. */ register?: (app: FastifyInstance) => void } = {}): Promise<ConsoleApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  const logger = pino({ level: 'silent' });
  const app = buildServer({ db, logger, isReady: () => true });
  await registerDocs(app);
  await registerAuth(app, { db, config, logger });
  const accounts = new Accounts(db);
  const desk = new HandoverService({ db, profile: EMPTY_PROFILE, retentionDays: 30, logger });
  registerConsole(app, { desk, users: accounts.users, guard: requireRole, logger, live: opts.live });
  opts.register?.(app);
  await app.ready();
  const add = (username: string, displayName: string, role: 'staff' | 'admin') => accounts.add({ username, displayName, role, password: PASSWORD }, CLI_ACTOR);
  const users = {
    lan: await add('lan', 'Nguyễn Thị Lan', 'staff'),
    minh: await add('minh', 'Trần Văn Minh', 'staff'),
    admin: await add('quantri', 'Quản trị viên', 'admin'),
  };
  return {
    app,
    desk,
    accounts,
    users,
    async openTicket(conversationId, procedureCode = null) {
      const { ticket } = await desk.open({ conversationId, channel: 'web', chatId: conversationId, reason: 'asked_for_person', procedureCode, language: 'vi' });
      return ticket.id;
    },
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
