import pg from 'pg';
import type { Db, Queryable } from './db.ts';

/**
 * A PostgreSQL server through a `pg` pool. Vectors travel as pgvector's text form with `::vector` casts in SQL,
 * so no per-connection type registration is needed (which would fail before `CREATE EXTENSION vector`).
 */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 8 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await c.query(sql, params as unknown[]);
      return res.rows as T[];
    },
  });
  const base = wrap(pool);
  await base.query('SELECT 1');
  return {
    kind: 'postgres',
    query: base.query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      // idempotent, like PGlite's: shutdown paths may close twice
      if (!pool.ended && !pool.ending) await pool.end();
    },
  };
}
