import type { Role, StaffUser } from '../domain/staff.ts';
import type { Queryable } from './db.ts';

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  telegramId: string | null;
}

/** A write refused by a unique column: the username or the Telegram id is already someone's. */
export class UniqueViolation extends Error {
  constructor(readonly column: 'username' | 'telegram_id') {
    super(`${column} already taken`);
  }
}

const COLUMNS = 'id, username, display_name, role, telegram_id, active';

/**
 * Staff and admin accounts. Reads return `StaffUser`, never the password hash: only `passwordHashOf` reads it, so a
 * hash cannot leak into a route's answer by accident.
 */
export class UserStore {
  constructor(private readonly db: Queryable) {}

  async byId(id: number): Promise<StaffUser | null> {
    return this.one(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  }

  async byUsername(username: string): Promise<StaffUser | null> {
    return this.one(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
  }

  /** Only an active account: a disabled one may no longer claim or reply in the staff group. */
  async byTelegramId(telegramId: string): Promise<StaffUser | null> {
    return this.one(`SELECT ${COLUMNS} FROM users WHERE telegram_id = $1 AND active`, [telegramId]);
  }

  async list(): Promise<StaffUser[]> {
    const rows = await this.db.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM users ORDER BY username`);
    return rows.map(toStaffUser);
  }

  async passwordHashOf(username: string): Promise<string | null> {
    const rows = await this.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = $1`, [username]);
    return rows[0]?.password_hash ?? null;
  }

  async insert(u: NewUser): Promise<StaffUser> {
    const rows = await this.guarded(() =>
      this.db.query<Record<string, unknown>>(
        `INSERT INTO users (username, display_name, role, password_hash, telegram_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [u.username, u.displayName, u.role, u.passwordHash, u.telegramId],
      ),
    );
    return toStaffUser(rows[0]!);
  }

  /** The changed account, or null when there is no such username. */
  async setActive(username: string, active: boolean): Promise<StaffUser | null> {
    return this.one(`UPDATE users SET active = $2, updated_at = now() WHERE username = $1 RETURNING ${COLUMNS}`, [username, active]);
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<StaffUser | null> {
    return this.one(`UPDATE users SET password_hash = $2, updated_at = now() WHERE username = $1 RETURNING ${COLUMNS}`, [username, passwordHash]);
  }

  async setTelegramId(username: string, telegramId: string | null): Promise<StaffUser | null> {
    return this.guarded(() =>
      this.one(`UPDATE users SET telegram_id = $2, updated_at = now() WHERE username = $1 RETURNING ${COLUMNS}`, [username, telegramId]),
    );
  }

  private async one(sql: string, params: unknown[]): Promise<StaffUser | null> {
    const rows = await this.db.query<Record<string, unknown>>(sql, params);
    return rows[0] ? toStaffUser(rows[0]) : null;
  }

  /** Turns PostgreSQL's unique violation (23505, on either back-end) into `UniqueViolation`. */
  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: string; message?: string; detail?: string; constraint?: string };
      if (e.code === '23505') {
        const where = `${e.constraint ?? ''} ${e.detail ?? ''} ${e.message ?? ''}`;
        throw new UniqueViolation(/telegram/i.test(where) ? 'telegram_id' : 'username');
      }
      throw err;
    }
  }
}

function toStaffUser(r: Record<string, unknown>): StaffUser {
  return {
    id: Number(r.id),
    username: String(r.username),
    displayName: String(r.display_name),
    role: r.role as Role,
    telegramId: r.telegram_id === null || r.telegram_id === undefined ? null : String(r.telegram_id),
    active: Boolean(r.active),
  };
}
