import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountError, Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { dummyHash, hashPassword, verifyPassword } from '../../src/services/accounts/passwords.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { SessionStore } from '../../src/storage/session-store.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

const PW = 'mat-khau-dai-1';

describe('password hashing', () => {
  it('hashes with argon2id, salted, and verifies only the same password', async () => {
    const a = await hashPassword(PW);
    const b = await hashPassword(PW);
    expect(a).toMatch(/^\$argon2id\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(PW);
    expect(await verifyPassword(a, PW)).toBe(true);
    expect(await verifyPassword(a, PW + 'x')).toBe(false);
    expect(await verifyPassword('not a hash', PW)).toBe(false);
    expect(await verifyPassword(await dummyHash(), '')).toBe(false);
  });
});

describe('the accounts service', () => {
  let t: TestDb;
  let accounts: Accounts;
  beforeAll(async () => {
    t = await openTestDb();
    accounts = new Accounts(t.db);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const refused = async (p: Promise<unknown>, code: string) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AccountError);
    expect((err as AccountError).code).toBe(code);
    // Every refusal is a Vietnamese sentence for the person who asked.
    expect((err as AccountError).message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]/i);
  };

  it('adds an account: username lowercased, display name defaulting to it, the hash never returned', async () => {
    const u = await accounts.add({ username: '  Lan.Nguyen ', role: 'staff', password: PW }, CLI_ACTOR);
    expect(u).toEqual({ id: expect.any(Number), username: 'lan.nguyen', displayName: 'lan.nguyen', role: 'staff', telegramId: null, active: true });
    expect(Object.keys(u)).not.toContain('passwordHash');
    expect(await accounts.users.passwordHashOf('lan.nguyen')).toMatch(/^\$argon2id\$/);
    const named = await accounts.add({ username: 'hoa', role: 'admin', password: PW, displayName: 'Trần Thị Hoa', telegramId: '777' }, CLI_ACTOR);
    expect(named).toMatchObject({ displayName: 'Trần Thị Hoa', role: 'admin', telegramId: '777' });
  });

  it('refuses a bad username, a short password, a role that does not exist, a duplicate, a taken Telegram id', async () => {
    await refused(accounts.add({ username: 'x', role: 'staff', password: PW }, CLI_ACTOR), 'bad_username');
    await refused(accounts.add({ username: 'nguyễn', role: 'staff', password: PW }, CLI_ACTOR), 'bad_username');
    await refused(accounts.add({ username: 'a'.repeat(41), role: 'staff', password: PW }, CLI_ACTOR), 'bad_username');
    await refused(accounts.add({ username: 'minh', role: 'staff', password: '123456789' }, CLI_ACTOR), 'bad_password');
    await refused(accounts.add({ username: 'minh', role: 'boss' as 'staff', password: PW }, CLI_ACTOR), 'bad_role');
    await refused(accounts.add({ username: 'LAN.NGUYEN', role: 'staff', password: PW }, CLI_ACTOR), 'exists');
    await refused(accounts.add({ username: 'minh', role: 'staff', password: PW, telegramId: '777' }, CLI_ACTOR), 'telegram_taken');
    await refused(accounts.add({ username: 'minh', role: 'staff', password: PW, telegramId: '@minh' }, CLI_ACTOR), 'bad_telegram_id');
    expect((await accounts.list()).map((u) => u.username)).toEqual(['hoa', 'lan.nguyen']);
  });

  it('authenticates only the right password of an active account', async () => {
    expect(await accounts.authenticate('Lan.Nguyen', PW)).toMatchObject({ username: 'lan.nguyen' });
    expect(await accounts.authenticate('lan.nguyen', 'sai-mat-khau-1')).toBeNull();
    expect(await accounts.authenticate('khong-co', PW)).toBeNull();
    expect(await accounts.authenticate('x', PW)).toBeNull();
    expect(await accounts.authenticate('lan.nguyen', 'p'.repeat(10_000))).toBeNull();
  });

  it('links a Telegram account, found only while the account is active', async () => {
    await accounts.add({ username: 'tuan', role: 'staff', password: PW }, CLI_ACTOR);
    await accounts.linkTelegram('tuan', '123456', CLI_ACTOR);
    expect(await accounts.users.byTelegramId('123456')).toMatchObject({ username: 'tuan' });
    await refused(accounts.linkTelegram('lan.nguyen', '123456', CLI_ACTOR), 'telegram_taken');
    await refused(accounts.linkTelegram('nobody', '55', CLI_ACTOR), 'not_found');
    await accounts.disable('tuan', CLI_ACTOR);
    expect(await accounts.users.byTelegramId('123456')).toBeNull();
    expect(await accounts.authenticate('tuan', PW)).toBeNull();
  });

  it('disabling an account and resetting a password end its sessions; other accounts keep theirs', async () => {
    const sessions = new SessionStore(t.db);
    const lan = (await accounts.users.byUsername('lan.nguyen'))!;
    const hoa = (await accounts.users.byUsername('hoa'))!;
    const later = new Date(Date.now() + 3600_000);
    await sessions.set('s-lan-1', { userId: lan.id, data: { userId: lan.id }, expiresAt: later });
    await sessions.set('s-hoa-1', { userId: hoa.id, data: { userId: hoa.id }, expiresAt: later });
    await accounts.resetPassword('lan.nguyen', 'mat-khau-moi-2', CLI_ACTOR);
    expect(await sessions.get('s-lan-1')).toBeNull();
    expect(await accounts.authenticate('lan.nguyen', PW)).toBeNull();
    expect(await accounts.authenticate('lan.nguyen', 'mat-khau-moi-2')).toMatchObject({ username: 'lan.nguyen' });
    await sessions.set('s-lan-2', { userId: lan.id, data: {}, expiresAt: later });
    const disabled = await accounts.disable('lan.nguyen', CLI_ACTOR);
    expect(disabled.active).toBe(false);
    expect(await sessions.get('s-lan-2')).toBeNull();
    expect(await sessions.get('s-hoa-1')).toEqual({ userId: hoa.id });
  });

  it('writes an audit entry for every change, by the command line, with no password in it', async () => {
    const entries = await new AuditLog(t.db).list({ limit: 50 });
    const actions = entries.map((e) => `${e.action} ${e.target}`).reverse();
    expect(actions).toEqual([
      'user.add user:lan.nguyen',
      'user.add user:hoa',
      'user.add user:tuan',
      'user.link_telegram user:tuan',
      'user.disable user:tuan',
      'user.reset_password user:lan.nguyen',
      'user.disable user:lan.nguyen',
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({ userId: null, username: 'cli' });
      expect(JSON.stringify(e)).not.toContain('mat-khau');
    }
    expect(entries.find((e) => e.action === 'user.disable' && e.target === 'user:lan.nguyen')?.details).toEqual({ sessionsEnded: 1 });
  });
});

describe('the session and audit stores', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('keeps a session until it expires or is destroyed, and stores only a digest of its id', async () => {
    const store = new SessionStore(t.db);
    await store.set('abc', { userId: null, data: { cookie: { path: '/' }, n: 1 }, expiresAt: new Date(Date.now() + 60_000) });
    expect(await store.get('abc')).toEqual({ cookie: { path: '/' }, n: 1 });
    await store.set('abc', { userId: null, data: { n: 2 }, expiresAt: new Date(Date.now() + 60_000) });
    expect(await store.get('abc')).toEqual({ n: 2 });
    const ids = await t.db.query<{ id: string }>('SELECT id FROM sessions');
    expect(ids.map((r) => r.id)).not.toContain('abc');
    await store.destroy('abc');
    expect(await store.get('abc')).toBeNull();
    await store.set('old', { userId: null, data: {}, expiresAt: new Date(Date.now() - 1000) });
    expect(await store.get('old')).toBeNull();
    expect(await store.deleteExpired()).toBe(1);
  });

  it('lists audit entries newest first and pages back with `before`, inside a caller transaction too', async () => {
    const log = new AuditLog(t.db);
    for (const n of [1, 2, 3]) await log.record({ userId: null, username: 'cli', action: `a${n}`, details: { n } });
    await t.db.transaction(async (tx) => log.record({ userId: null, username: 'system', action: 'a4', target: 'ticket:1' }, tx));
    await t.db
      .transaction(async (tx) => {
        await log.record({ userId: null, username: 'system', action: 'rolled-back' }, tx);
        throw new Error('abort');
      })
      .catch(() => {});
    const all = await log.list({});
    expect(all.map((e) => e.action)).toEqual(['a4', 'a3', 'a2', 'a1']);
    expect(all[0]).toMatchObject({ target: 'ticket:1', details: {} });
    expect(all[3]!.details).toEqual({ n: 1 });
    expect((await log.list({ limit: 2, before: all[1]!.id })).map((e) => e.action)).toEqual(['a2', 'a1']);
  });
});
