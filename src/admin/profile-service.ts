import type { Config } from '../config.ts';
import type { StaffUser } from '../domain/staff.ts';
import { type CommuneProfile, CommuneProfileSchema } from '../knowledge/commune-profile.ts';
import { PROFILE_SETTING, type ProfileSource } from '../services/profile/profile-source.ts';
import type { AuditLog } from '../storage/audit-log.ts';
import type { Db } from '../storage/db.ts';
import type { SettingsStore, SettingVersion } from '../storage/settings-store.ts';
import { PROFILE_PARTS } from './validation.ts';

export interface ProfileAdminDeps {
  db: Db;
  settings: SettingsStore;
  source: ProfileSource;
  audit: AuditLog;
  /** FEE_ACCOUNT_* from the environment win over the profile's fee account (src/services/payment/fee-account.ts). */
  config: Pick<Config, 'feeAccount'>;
}

/** Where a part of the profile in force comes from. */
export type ValueSource = 'console' | 'file' | 'env' | 'unset';

export interface ProfileView {
  profile: CommuneProfile;
  /** Per part of the profile: saved in the console, from knowledge/commune-profile.json, from the environment, or not set. */
  sources: Record<(typeof PROFILE_PARTS)[number], ValueSource>;
  file: CommuneProfile;
  saved: { updatedBy: string | null; updatedAt: string } | null;
}

export interface ProfileVersion {
  id: number;
  /** null: nothing saved, the file's values. */
  profile: CommuneProfile | null;
  createdBy: string | null;
  createdAt: string;
  current: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The commune profile as admins edit it in the console: saved whole in `settings` (overriding the file), every
 * value kept in the history so any can be restored, every change audited with before and after in the same
 * transaction, and the running services' ProfileSource updated once it is committed.
 */
export class ProfileAdmin {
  constructor(private readonly deps: ProfileAdminDeps) {}

  async view(): Promise<ProfileView> {
    const { source } = this.deps;
    const profile = source.current();
    const file = source.file();
    const saved = await this.deps.settings.get(PROFILE_SETTING);
    const consoleSet = source.origin() === 'console';
    const sources = Object.fromEntries(
      PROFILE_PARTS.map((part) => {
        if (part === 'feeAccount' && this.deps.config.feeAccount) return [part, 'env'];
        const value = profile[part];
        const empty = value === null || (part === 'centre' && Object.values(profile.centre).every((v) => v === null));
        if (empty) return [part, 'unset'];
        return [part, consoleSet && !same(value, file[part]) ? 'console' : 'file'];
      }),
    ) as ProfileView['sources'];
    return { profile, sources, file, saved: saved && consoleSet ? { updatedBy: saved.updatedBy, updatedAt: saved.updatedAt } : null };
  }

  /** Saves the whole profile (already validated). */
  async update(profile: CommuneProfile, user: StaffUser): Promise<ProfileView> {
    await this.save(profile, user, 'profile.update');
    return this.view();
  }

  async history(limit = 50): Promise<ProfileVersion[]> {
    const versions = await this.deps.settings.history(PROFILE_SETTING, limit);
    const newest = versions[0]?.id;
    return versions.map((v) => ({ ...toVersion(v), current: v.id === newest }));
  }

  /** Makes a version of the history the profile in force again (null version: back to the file's). */
  async revert(id: number, user: StaffUser): Promise<ProfileView | null> {
    const version = await this.deps.settings.version(id);
    if (!version || version.key !== PROFILE_SETTING) return null;
    const { profile } = toVersion(version);
    await this.save(profile, user, 'profile.revert', { revertedTo: id });
    return this.view();
  }

  private async save(profile: CommuneProfile | null, user: StaffUser, action: string, extra: Record<string, unknown> = {}): Promise<void> {
    const { source } = this.deps;
    // the profile in force before and after, and where each came from (the console, or the file when none is saved)
    const details = {
      ...extra,
      before: source.current(),
      beforeSource: source.origin(),
      after: profile ?? source.file(),
      afterSource: profile ? 'console' : 'file',
    };
    await this.deps.db.transaction(async (tx) => {
      const version = await this.deps.settings.put(PROFILE_SETTING, profile, user.username, tx);
      await this.deps.audit.record({ userId: user.id, username: user.username, action, target: 'setting:commune_profile', details: { ...details, version: version.id } }, tx);
    });
    this.deps.source.set(profile);
  }
}

function toVersion(v: SettingVersion): Omit<ProfileVersion, 'current'> {
  const parsed = v.value === null ? null : CommuneProfileSchema.safeParse(v.value);
  return { id: v.id, profile: parsed?.success ? parsed.data : null, createdBy: v.createdBy, createdAt: v.createdAt };
}
