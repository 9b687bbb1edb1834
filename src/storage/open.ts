import path from 'node:path';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface StorageOptions {
  databaseUrl: string | undefined;
  dataDir: string;
}

/** DATABASE_URL set → the PostgreSQL server; unset → embedded PGlite under DATA_DIR. Migrations run on open. */
export async function openDatabase(opts: StorageOptions): Promise<Db> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(path.join(opts.dataDir, 'pglite'));
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
