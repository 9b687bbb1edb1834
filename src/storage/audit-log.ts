import type { Queryable } from './db.ts';

export interface AuditRecord {
  /** null for the command line or the system. */
  userId: number | null;
  username: string | null;
  /** e.g. login, login_failed, logout, user.add, ticket.claim, ticket.reply */
  action: string;
  /** e.g. ticket:12, user:lan */
  target?: string | null;
  /** Never a password or a phone number. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  userId: number | null;
  username: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** Who did what, when: every staff and admin action, appended, never changed. */
export class AuditLog {
  constructor(private readonly db: Queryable) {}

  /** `q` writes the entry inside the caller's transaction (a claim and its audit entry land together). */
  async record(entry: AuditRecord, q: Queryable = this.db): Promise<void> {
    await q.query(`INSERT INTO audit_log (user_id, username, action, target, details) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
      entry.userId,
      entry.username,
      entry.action,
      entry.target ?? null,
      JSON.stringify(entry.details ?? {}),
    ]);
  }

  /** Newest first; `before` is an entry id, to page back. */
  async list(opts: { limit?: number; before?: number } = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 1000);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, user_id, username, action, target, details, created_at FROM audit_log
        WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [opts.before ?? null, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      userId: r.user_id === null ? null : Number(r.user_id),
      username: (r.username as string | null) ?? null,
      action: String(r.action),
      target: (r.target as string | null) ?? null,
      details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
      createdAt: new Date(r.created_at as string).toISOString(),
    }));
  }
}
