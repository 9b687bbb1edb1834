import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../src/services/accounts/accounts.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { openDatabase } from '../../src/storage/open.ts';
import { serverDatabaseForApp } from '../helpers/db.ts';

/** `npm run users -- …` as a person runs it: a child process on its own data folder (or its own server database). */
const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

describe('npm run users', () => {
  let t: Awaited<ReturnType<typeof serverDatabaseForApp>>;
  let work: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'users-cli-'));
    t = await serverDatabaseForApp();
    env = { ...process.env, DATA_DIR: path.join(work, 'data'), DATABASE_URL: t.url ?? '', LOG_LEVEL: 'silent', USER_PASSWORD: '' };
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** Exit code, stdout and stderr; stdin is not a terminal. */
  async function users(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const r = await run(TSX, ['src/cli/users.ts', ...args], { env: { ...env, ...extra } });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('adds, lists, links, resets and disables accounts, each recorded in the audit log as the command line', async () => {
    const pw = { USER_PASSWORD: 'mat-khau-quan-tri-1' };
    const add = await users(['add', 'quantri', '--role', 'admin', '--display-name', 'Nguyễn Văn An'], pw);
    expect(add).toMatchObject({ code: 0, stdout: expect.stringContaining('quantri') });
    expect((await users(['add', 'lan', '--role', 'staff', '--telegram-id', '4242'], pw)).code).toBe(0);
    expect((await users(['add', 'minh', '--role', 'staff'], pw)).code).toBe(0);
    expect((await users(['link-telegram', 'minh', '5151'])).code).toBe(0);
    expect((await users(['reset-password', 'lan'], { USER_PASSWORD: 'mat-khau-moi-cua-lan' })).code).toBe(0);
    expect((await users(['disable', 'minh'])).code).toBe(0);

    const list = await users(['list']);
    expect(list.code).toBe(0);
    const rows = list.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows).toEqual([
      ['username', 'display name', 'role', 'telegram id', 'active'],
      ['lan', 'lan', 'staff', '4242', 'yes'],
      ['minh', 'minh', 'staff', '5151', 'no'],
      ['quantri', 'Nguyễn Văn An', 'admin', '-', 'yes'],
    ]);

    const db = await openDatabase({ databaseUrl: t.url, dataDir: env.DATA_DIR! });
    try {
      const accounts = new Accounts(db);
      expect(await accounts.authenticate('lan', 'mat-khau-moi-cua-lan')).toMatchObject({ username: 'lan' });
      expect(await accounts.authenticate('quantri', 'mat-khau-quan-tri-1')).toMatchObject({ role: 'admin' });
      expect(await accounts.authenticate('minh', 'mat-khau-quan-tri-1')).toBeNull();
      const audit = await new AuditLog(db).list({});
      expect(audit.map((e) => e.action).reverse()).toEqual(['user.add', 'user.add', 'user.add', 'user.link_telegram', 'user.reset_password', 'user.disable']);
      for (const e of audit) expect(e).toMatchObject({ userId: null, username: 'cli' });
    } finally {
      await db.close();
    }
  });

  it('refuses bad input with a clear message and a non-zero exit', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['add', 'hoa', '--role', 'staff'], {}, /USER_PASSWORD/],
      [['add', 'hoa', '--role', 'boss'], { USER_PASSWORD: 'mat-khau-dai-du-1' }, /--role staff hoặc --role admin/],
      [['add', 'hoa', '--role', 'staff'], { USER_PASSWORD: 'ngan' }, /ít nhất 10 ký tự/],
      [['add', 'Hoà', '--role', 'staff'], { USER_PASSWORD: 'mat-khau-dai-du-1' }, /Tên đăng nhập gồm 2–40 ký tự/],
      [['add', 'quantri', '--role', 'staff'], { USER_PASSWORD: 'mat-khau-dai-du-1' }, /đã tồn tại/],
      [['add', 'hoa', '--role', 'staff', '--telegram-id', '4242'], { USER_PASSWORD: 'mat-khau-dai-du-1' }, /đã gắn với một tài khoản khác/],
      [['disable', 'khong-co-ai'], {}, /Không có tài khoản "khong-co-ai"/],
      [['link-telegram', 'lan', 'abc'], {}, /Mã Telegram là một số nguyên dương/],
      [['link-telegram', 'lan'], {}, /cần 2 tham số/],
      [['xoa', 'lan'], {}, /lệnh không rõ/],
      [['list', '--frobnicate'], {}, /cách dùng/],
      [[], {}, /cách dùng/],
    ];
    for (const [args, extra, message] of cases) {
      const r = await users(args, extra);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await users(['list'])).stdout).not.toContain('hoa');
  });
});
