import { createHash } from 'node:crypto';
import type { Queryable } from './db.ts';

/**
 * The server side of the console's session cookie, one row per signed-in browser. Ids are stored as their SHA-256,
 * so a copy of the table does not hand out live sessions. A row past `expires_at` is never returned, whatever the
 * cookie says; logging out deletes the row, and disabling an account deletes all of its rows.
 */
export class SessionStore {
  constructor(private readonly db: Queryable) {}

  /** The session's data, or null when it is unknown or expired. */
  async get(sessionId: string): Promise<Record<string, unknown> | null> {
    const rows = await this.db.query<{ data: unknown }>(`SELECT data FROM sessions WHERE id = $1 AND expires_at > now()`, [digest(sessionId)]);
    const data = rows[0]?.data;
    if (data === undefined) return null;
    return (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>;
  }

  async set(sessionId: string, s: { userId: number | null; data: Record<string, unknown>; expiresAt: Date }): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
      [digest(sessionId), s.userId, JSON.stringify(s.data), s.expiresAt.toISOString()],
    );
  }

  async destroy(sessionId: string): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE id = $1`, [digest(sessionId)]);
  }

  /** Ends every session of a user (the account was disabled); how many there were. */
  async destroyForUser(userId: number): Promise<number> {
    const rows = await this.db.query(`DELETE FROM sessions WHERE user_id = $1 RETURNING id`, [userId]);
    return rows.length;
  }

  /** Removes rows past their expiry (they are already never returned); how many. */
  async deleteExpired(): Promise<number> {
    const rows = await this.db.query(`DELETE FROM sessions WHERE expires_at <= now() RETURNING id`);
    return rows.length;
  }

  async countForUser(userId: number): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND expires_at > now()`, [userId]);
    return Number(rows[0]?.n ?? 0);
  }
}

function digest(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}
