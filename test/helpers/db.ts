import pg from 'pg';
import type { Db } from '../../src/storage/db.ts';
import { migrate } from '../../src/storage/migrate.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import { openPostgres } from '../../src/storage/postgres.ts';

export interface TestDb {
  db: Db;
  /** Connection URL of the test database on the server; undefined on PGlite. */
  url: string | undefined;
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or, when DATABASE_URL is set, a new
 * database created on that server (dropped afterwards), so suites never see each other's rows.
 */
export async function openTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = await openPglite();
    if (opts.migrate !== false) await migrate(db);
    return { db, url: undefined, cleanup: () => db.close() };
  }
  const name = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const db = await openPostgres(url, { max: 4 });
  if (opts.migrate !== false) await migrate(db);
  return {
    db,
    url,
    async cleanup() {
      await db.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export const onServer = Boolean(process.env.DATABASE_URL);

/**
 * A database of its own on the server for a test that runs the product as a whole (it migrates it itself), or
 * undefined on PGlite; `drop` removes it afterwards.
 */
export async function serverDatabaseForApp(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  if (!process.env.DATABASE_URL) return { url: undefined, drop: async () => {} };
  const t = await openTestDb({ migrate: false });
  await t.db.close();
  return {
    url: t.url,
    drop: () => adminQuery(process.env.DATABASE_URL!, `DROP DATABASE IF EXISTS ${new URL(t.url!).pathname.slice(1)} WITH (FORCE)`),
  };
}
