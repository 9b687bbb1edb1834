import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from '../../src/storage/data-dir-lock.ts';
import { openDatabase } from '../../src/storage/open.ts';

/** Two processes on one PGlite directory corrupt it: the second is refused with a clear message. */
describe('the data directory lock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  afterAll(() => {
    other.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses while another live process holds it, takes over a stale lock, and is released on close', async () => {
    const lockFile = path.join(dir, 'pglite', 'pglite.lock');
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, JSON.stringify({ pid: other.pid }));
    await expect(openDatabase({ databaseUrl: undefined, dataDir: dir })).rejects.toThrow(DataDirBusyError);
    await expect(openDatabase({ databaseUrl: undefined, dataDir: dir })).rejects.toThrow(/npm start/);

    fs.writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345 })); // no such process: a crash left it
    const db = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
    await db.close();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('the same process may take it again', () => {
    const d = path.join(dir, 'again');
    const release = lockDataDir(d);
    expect(() => lockDataDir(d)).not.toThrow();
    release();
  });
});
