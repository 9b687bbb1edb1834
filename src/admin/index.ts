import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { CommuneProfile } from '../knowledge/commune-profile.ts';
import { ProfileSource } from '../services/profile/profile-source.ts';
import { AuditLog } from '../storage/audit-log.ts';
import type { Db } from '../storage/db.ts';
import { ProcedureOverrideStore } from '../storage/procedure-override-store.ts';
import { ProcedureStore } from '../storage/procedure-store.ts';
import { SettingsStore } from '../storage/settings-store.ts';
import { LocalOverrides } from './local-overrides.ts';
import { OverridesAdmin } from './overrides-service.ts';
import { ProfileAdmin } from './profile-service.ts';
import { type AdminRouteDeps, registerAdmin } from './routes.ts';

export { excludingSearch, LocalOverrides, type LocalOverrideLookup } from './local-overrides.ts';
export { registerSecurityHeaders } from './security-headers.ts';

export interface Admin {
  /** The per-procedure overrides in memory: `excludingSearch(search, localOverrides)` and `localNotes` for the assistant. */
  localOverrides: LocalOverrides;
  /** The commune profile in force (the console's, else the file's), for every service that reads it. */
  profile: ProfileSource;
  overrides: OverridesAdmin;
  profileAdmin: ProfileAdmin;
  /** GET /console/admin and the /api/admin/ routes; after registerAuth. */
  registerRoutes(app: FastifyInstance, guard: AdminRouteDeps['guard']): void;
}

/**
 * The admin side as the product runs it: the overrides and the profile loaded from the database (after
 * migrations), their admin services, and the routes.
 */
export async function createAdmin(deps: { db: Db; config: Pick<Config, 'feeAccount'>; fileProfile: CommuneProfile }): Promise<Admin> {
  const { db } = deps;
  const audit = new AuditLog(db);
  const settings = new SettingsStore(db);
  const store = new ProcedureOverrideStore(db);
  const localOverrides = await LocalOverrides.load(store);
  const profile = await ProfileSource.load(settings, deps.fileProfile);
  const overrides = new OverridesAdmin({ db, store, cache: localOverrides, audit, procedures: new ProcedureStore(db) });
  const profileAdmin = new ProfileAdmin({ db, settings, source: profile, audit, config: deps.config });
  return {
    localOverrides,
    profile,
    overrides,
    profileAdmin,
    registerRoutes: (app, guard) => registerAdmin(app, { overrides, profile: profileAdmin, guard }),
  };
}
