import { z } from 'zod';
import { type Role, RoleSchema, type StaffUser } from '../../domain/staff.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import type { Db, Queryable } from '../../storage/db.ts';
import { SessionStore } from '../../storage/session-store.ts';
import { UniqueViolation, UserStore } from '../../storage/user-store.ts';
import { dummyHash, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';

/** Who acts, for the audit log: a signed-in admin, or the command line (`{ userId: null, username: 'cli' }`). */
export interface Actor {
  userId: number | null;
  username: string;
}

export const CLI_ACTOR: Actor = { userId: null, username: 'cli' };

export type AccountErrorCode = 'bad_username' | 'bad_display_name' | 'bad_password' | 'bad_role' | 'bad_telegram_id' | 'exists' | 'not_found' | 'telegram_taken';

/** A refused account change, with the Vietnamese sentence to show the person who asked. */
export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,40}$/, 'Tên đăng nhập gồm 2–40 ký tự: chữ thường không dấu a–z, số, dấu chấm, gạch dưới hoặc gạch ngang.');
const DisplayNameSchema = z.string().trim().min(1).max(100, 'Tên hiển thị tối đa 100 ký tự.');
const PasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`)
  .max(MAX_PASSWORD_LENGTH, `Mật khẩu tối đa ${MAX_PASSWORD_LENGTH} ký tự.`);
/** A Telegram user id: a positive integer (the staff member's own account, not a group). */
const TelegramIdSchema = z.string().trim().regex(/^\d{1,20}$/, 'Mã Telegram là một số nguyên dương (mã người dùng Telegram).');

export interface NewAccount {
  username: string;
  role: Role;
  password: string;
  /** Defaults to the username. */
  displayName?: string | null;
  telegramId?: string | null;
}

/**
 * Staff and admin accounts: the rules (username form, minimum password length, one Telegram account per person),
 * argon2id hashing, and an audit entry for every change, written in the same transaction as the change. Disabling
 * an account deletes its sessions in that transaction too, so its browsers are signed out at once.
 */
export class Accounts {
  readonly users: UserStore;
  private readonly dummy: Promise<string>;

  constructor(private readonly db: Db) {
    this.users = new UserStore(db);
    this.dummy = dummyHash();
    // Created eagerly so the first failed login is not the slow one; a failure here shows up on first use.
    this.dummy.catch(() => {});
  }

  async add(input: NewAccount, actor: Actor): Promise<StaffUser> {
    const username = parse(UsernameSchema, input.username, 'bad_username');
    const role = parse(RoleSchema, input.role, 'bad_role', 'Vai trò phải là staff hoặc admin.');
    const password = parse(PasswordSchema, input.password, 'bad_password');
    const displayName = parse(DisplayNameSchema, input.displayName?.trim() ? input.displayName : username, 'bad_display_name');
    const telegramId = input.telegramId ? parse(TelegramIdSchema, input.telegramId, 'bad_telegram_id') : null;
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (tx) => {
      const user = await this.unique(() => new UserStore(tx).insert({ username, displayName, role, passwordHash, telegramId }), username, telegramId);
      await audit(tx, actor, 'user.add', user, { role, displayName, telegramId });
      return user;
    });
  }

  list(): Promise<StaffUser[]> {
    return this.users.list();
  }

  /** Disables the account and ends all of its sessions. */
  async disable(usernameInput: string, actor: Actor): Promise<StaffUser> {
    const username = parse(UsernameSchema, usernameInput, 'bad_username');
    return this.db.transaction(async (tx) => {
      const user = found(await new UserStore(tx).setActive(username, false), username);
      const sessions = await new SessionStore(tx).destroyForUser(user.id);
      await audit(tx, actor, 'user.disable', user, { sessionsEnded: sessions });
      return user;
    });
  }

  async resetPassword(usernameInput: string, password: string, actor: Actor): Promise<StaffUser> {
    const username = parse(UsernameSchema, usernameInput, 'bad_username');
    const passwordHash = await hashPassword(parse(PasswordSchema, password, 'bad_password'));
    return this.db.transaction(async (tx) => {
      const user = found(await new UserStore(tx).setPasswordHash(username, passwordHash), username);
      // Sessions opened with the old password end too: a reset is what one does after a leak.
      const sessions = await new SessionStore(tx).destroyForUser(user.id);
      await audit(tx, actor, 'user.reset_password', user, { sessionsEnded: sessions });
      return user;
    });
  }

  async linkTelegram(usernameInput: string, telegramIdInput: string, actor: Actor): Promise<StaffUser> {
    const username = parse(UsernameSchema, usernameInput, 'bad_username');
    const telegramId = parse(TelegramIdSchema, telegramIdInput, 'bad_telegram_id');
    return this.db.transaction(async (tx) => {
      const user = found(await this.unique(() => new UserStore(tx).setTelegramId(username, telegramId), username, telegramId), username);
      await audit(tx, actor, 'user.link_telegram', user, { telegramId });
      return user;
    });
  }

  /**
   * The active account with this username and password, or null: a wrong password, an unknown username and a
   * disabled account look the same and take about as long (an unknown username is verified against a dummy hash).
   */
  async authenticate(usernameInput: string, password: string): Promise<StaffUser | null> {
    const username = UsernameSchema.safeParse(usernameInput);
    const passwordOk = password.length <= MAX_PASSWORD_LENGTH;
    const stored = username.success && passwordOk ? await this.users.passwordHashOf(username.data) : null;
    const ok = await verifyPassword(stored ?? (await this.dummy), passwordOk ? password : '');
    if (!ok || !stored || !username.success) return null;
    const user = await this.users.byUsername(username.data);
    return user?.active ? user : null;
  }

  private async unique<T>(fn: () => Promise<T>, username: string, telegramId: string | null): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof UniqueViolation)) throw err;
      if (err.column === 'telegram_id') throw new AccountError('telegram_taken', `Mã Telegram ${telegramId} đã gắn với một tài khoản khác.`);
      throw new AccountError('exists', `Tài khoản "${username}" đã tồn tại.`);
    }
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, code: AccountErrorCode, message?: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AccountError(code, message ?? r.error.issues[0]?.message ?? 'Giá trị không hợp lệ.');
}

function found(user: StaffUser | null, username: string): StaffUser {
  if (!user) throw new AccountError('not_found', `Không có tài khoản "${username}".`);
  return user;
}

function audit(tx: Queryable, actor: Actor, action: string, user: StaffUser, details: Record<string, unknown>): Promise<void> {
  return new AuditLog(tx).record({ userId: actor.userId, username: actor.username, action, target: `user:${user.username}`, details }, tx);
}
