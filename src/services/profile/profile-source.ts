import { type CommuneProfile, CommuneProfileSchema } from '../../knowledge/commune-profile.ts';
import type { SettingsStore } from '../../storage/settings-store.ts';

/** The settings key of the admin-edited commune profile. */
export const PROFILE_SETTING = 'commune_profile';

/** Where the profile in force comes from: the console (saved in the database) or the committed file. */
export type ProfileOrigin = 'console' | 'file';

/**
 * The commune profile in force, for services that read it while they run: the one an admin saved in the console
 * (the `settings` table), else `knowledge/commune-profile.json`. One object owned by the app and passed to each
 * service; the admin console calls `set` after a change is committed, and every later `current()` sees it.
 */
export class ProfileSource {
  private saved: CommuneProfile | null;

  constructor(
    private readonly fromFile: CommuneProfile,
    saved: CommuneProfile | null = null,
  ) {
    this.saved = saved;
  }

  /** The file's profile, with the saved one when the database holds a valid one. */
  static async load(settings: SettingsStore, fromFile: CommuneProfile): Promise<ProfileSource> {
    const row = await settings.get(PROFILE_SETTING);
    const parsed = row ? CommuneProfileSchema.safeParse(row.value) : null;
    return new ProfileSource(fromFile, parsed?.success ? parsed.data : null);
  }

  /** A source that never changes (tests, command-line tools). */
  static fixed(profile: CommuneProfile): ProfileSource {
    return new ProfileSource(profile);
  }

  current(): CommuneProfile {
    return this.saved ?? this.fromFile;
  }

  origin(): ProfileOrigin {
    return this.saved ? 'console' : 'file';
  }

  /** The committed file's profile (what applies when nothing is saved). */
  file(): CommuneProfile {
    return this.fromFile;
  }

  /** The profile saved in the console, or null: the file's applies. */
  set(saved: CommuneProfile | null): void {
    this.saved = saved;
  }
}
