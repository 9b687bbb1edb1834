import type { Queryable } from './db.ts';

/** One value a setting had: `value` null means none was saved (the committed file's values applied). */
export interface SettingVersion {
  id: number;
  key: string;
  value: unknown;
  createdBy: string | null;
  createdAt: string;
}

export interface SavedSetting {
  key: string;
  value: unknown;
  updatedBy: string | null;
  updatedAt: string;
}

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * Settings an admin edits (`settings`: key → jsonb) and every value each has had (`settings_history`), so a change
 * can be reversed. Writes take the caller's transaction, so a change, its history row and its audit entry land
 * together.
 */
export class SettingsStore {
  constructor(private readonly db: Queryable) {}

  async get(key: string, q: Queryable = this.db): Promise<SavedSetting | null> {
    const rows = await q.query<Record<string, unknown>>(`SELECT key, value, updated_by, updated_at FROM settings WHERE key = $1`, [key]);
    const r = rows[0];
    if (!r) return null;
    return { key: String(r.key), value: json(r.value), updatedBy: (r.updated_by as string | null) ?? null, updatedAt: new Date(r.updated_at as string).toISOString() };
  }

  /**
   * Saves `value` (null: removes the saved value, the file's apply again) and appends it to the history; the
   * first change of a key first records the state before it (none saved), so it too can be restored.
   */
  async put(key: string, value: unknown, by: string | null, q: Queryable = this.db): Promise<SettingVersion> {
    const seen = await q.query(`SELECT 1 FROM settings_history WHERE key = $1 LIMIT 1`, [key]);
    if (!seen.length) {
      const before = await this.get(key, q);
      await q.query(`INSERT INTO settings_history (key, value, created_by) VALUES ($1, $2::jsonb, NULL)`, [key, before ? JSON.stringify(before.value) : null]);
    }
    if (value === null) await q.query(`DELETE FROM settings WHERE key = $1`, [key]);
    else {
      await q.query(
        `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [key, JSON.stringify(value), by],
      );
    }
    const rows = await q.query<Record<string, unknown>>(
      `INSERT INTO settings_history (key, value, created_by) VALUES ($1, $2::jsonb, $3) RETURNING id, key, value, created_by, created_at`,
      [key, value === null ? null : JSON.stringify(value), by],
    );
    return version(rows[0]!);
  }

  /** The key's values, newest first. */
  async history(key: string, limit = 50, q: Queryable = this.db): Promise<SettingVersion[]> {
    const rows = await q.query<Record<string, unknown>>(
      `SELECT id, key, value, created_by, created_at FROM settings_history WHERE key = $1 ORDER BY id DESC LIMIT $2`,
      [key, Math.min(Math.max(Math.trunc(limit), 1), 500)],
    );
    return rows.map(version);
  }

  async version(id: number, q: Queryable = this.db): Promise<SettingVersion | null> {
    const rows = await q.query<Record<string, unknown>>(`SELECT id, key, value, created_by, created_at FROM settings_history WHERE id = $1`, [id]);
    return rows[0] ? version(rows[0]) : null;
  }
}

function version(r: Record<string, unknown>): SettingVersion {
  return {
    id: Number(r.id),
    key: String(r.key),
    value: r.value === null || r.value === undefined ? null : json(r.value),
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}
