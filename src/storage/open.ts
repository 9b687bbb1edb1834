import path from 'node:path';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { lockDataDir } from './data-dir-lock.ts';

export interface StorageOptions {
  databaseUrl: string | undefined;
  dataDir: string;
}

/** DATABASE_URL set → the PostgreSQL server; unset → embedded PGlite under DATA_DIR. Migrations run on open. */
export async function openDatabase(opts: StorageOptions): Promise<Db> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openLockedPglite(path.join(opts.dataDir, 'pglite'));
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** PGlite under a lock file, released when the database is closed (see data-dir-lock.ts). */
async function openLockedPglite(dir: string): Promise<Db> {
  const unlock = lockDataDir(dir);
  try {
    const db = await openPglite(dir);
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
