import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The secret that signs the session cookie: SESSION_SECRET when set, else a random one created once in
 * `DATA_DIR/session-secret` (mode 0600), so sessions survive a restart without anyone having to pick a secret.
 */
export function sessionSecret(opts: { configured: string | undefined; dataDir: string }): string {
  if (opts.configured) return opts.configured;
  const file = path.join(opts.dataDir, 'session-secret');
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    // 'wx': when two processes start at once, the second reads the first one's secret instead of replacing it.
    fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = readSecret(file);
    if (!raced) throw new Error(`${file}: empty or too short session secret`);
    return raced;
  }
}

function readSecret(file: string): string | null {
  try {
    const s = fs.readFileSync(file, 'utf8').trim();
    if (s.length < 32) throw new Error(`${file}: the session secret must be at least 32 characters; delete the file to make a new one`);
    return s;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
