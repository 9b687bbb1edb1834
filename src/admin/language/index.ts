import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Role } from '../../domain/staff.ts';
import type { Vocabulary } from '../../knowledge/vocabulary.ts';
import { documentOnlyScope } from '../../staff/console/routes.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import type { Db } from '../../storage/db.ts';
import { LanguageStore } from '../../storage/language-store.ts';
import { ProcedureStore } from '../../storage/procedure-store.ts';
import type { AdminRouteDeps } from '../routes.ts';
import { shippedLanguage } from './files.ts';
import { LiveLanguage } from './live.ts';
import { registerLanguageRoutes } from './routes.ts';
import { LanguageAdmin, type LanguageAdminDeps } from './service.ts';

export { LiveLanguage, withLiveLifeEvents } from './live.ts';
export { LanguageAdmin } from './service.ts';

export interface LanguageData {
  /** The files in force in memory: `createAssistant(…, { language })`, the commands' life-event menu. */
  live: LiveLanguage;
  admin: LanguageAdmin;
  /** /api/admin/language…; after registerAuth. */
  registerRoutes(app: FastifyInstance, guard: AdminRouteDeps['guard']): void;
}

/**
 * The language data files as the product runs them: the shipped files (the vocabulary's life events, the
 * router's phrase lists) with the admins' revisions loaded from the database (after migrations), their admin
 * service and routes. `read` is the vocabulary try box's reading, given the tables to read with.
 */
export async function createLanguageData(deps: { db: Db; vocabulary: Pick<Vocabulary, 'lifeEvents'>; logger?: Logger; read: LanguageAdminDeps['read'] }): Promise<LanguageData> {
  const { db } = deps;
  const store = new LanguageStore(db);
  const live = await LiveLanguage.load(store, shippedLanguage(deps.vocabulary), deps.logger);
  const procedures = new ProcedureStore(db);
  const admin = new LanguageAdmin({ db, store, audit: new AuditLog(db), live, knownCodes: (codes) => procedures.existing(codes), read: deps.read });
  return {
    live,
    admin,
    registerRoutes(app, guard) {
      void app.register(async (api) => {
        documentOnlyScope(api);
        registerLanguageRoutes(api, { admin, guard: guard('admin' satisfies Role) });
      });
    },
  };
}
