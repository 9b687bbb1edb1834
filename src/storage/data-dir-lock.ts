import fs from 'node:fs';
import path from 'node:path';

/**
 * Embedded PGlite must be opened by one process at a time: two processes on one data directory (`npm start` and
 * `npm run users`, say) corrupt it — PGlite itself takes no lock. A lock file with the holder's pid is taken when
 * the directory is opened and removed when it is closed; a lock whose process is gone (a crash) is taken over.
 * The same process may open it again (a restart within one process, as the tests do).
 */
export class DataDirBusyError extends Error {}

export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: 'wx' });
      return () => release(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = holderOf(file);
      if (holder === process.pid) return () => {};
      if (holder !== null && alive(holder)) {
        throw new DataDirBusyError(
          `The data directory ${dir} is in use by process ${holder} (usually npm start). Stop it first, or use DATABASE_URL. ` +
            `Thư mục dữ liệu đang được tiến trình ${holder} sử dụng (thường là npm start): hãy dừng tiến trình đó trước.`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirBusyError(`Could not lock the data directory ${dir}`);
}

function holderOf(file: string): number | null {
  try {
    const pid = Number((JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }).pid);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function release(file: string): void {
  if (holderOf(file) === process.pid) fs.rmSync(file, { force: true });
}
