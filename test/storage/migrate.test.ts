import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate, splitStatements } from '../../src/storage/migrate.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

describe('migrations', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb({ migrate: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('applies every numbered migration once, in order, and is a no-op the second time', async () => {
    const all = listMigrations().map((m) => m.version);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(await migrate(t.db)).toEqual(all);
    expect(await migrate(t.db)).toEqual([]);
    const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(all);
  });

  it('creates the extensions retrieval needs', async () => {
    const ext = await t.db.query<{ extname: string }>('SELECT extname FROM pg_extension ORDER BY extname');
    expect(ext.map((e) => e.extname)).toEqual(expect.arrayContaining(['pg_trgm', 'unaccent', 'vector']));
    const [row] = await t.db.query<{ s: string }>(`SELECT f_unaccent('Đăng ký khai sinh') AS s`);
    expect(row?.s).toBe('Dang ky khai sinh');
  });

  it('rolls back a migration that fails part-way and records nothing for it', async () => {
    const bad = [{ version: 999, name: '999_bad.sql', sql: 'CREATE TABLE half_done (id int);\nSELECT no_such_function();' }];
    await expect(migrate(t.db, bad)).rejects.toThrow();
    const tables = await t.db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toHaveLength(0);
    const rec = await t.db.query('SELECT 1 FROM schema_migrations WHERE version = 999');
    expect(rec).toHaveLength(0);
  });

  it('splits statements on line-ending semicolons but keeps $$ bodies whole', () => {
    const sql = `-- comment\nCREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n  SELECT 1;\n$$;\nSELECT 2;`;
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE a (x int);',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n  SELECT 1;\n$$;',
      'SELECT 2;',
    ]);
  });
});
