import { parseArgs } from 'node:util';
import { RoleSchema, type StaffUser } from '../domain/staff.ts';
import { AccountError, Accounts, CLI_ACTOR } from '../services/accounts/accounts.ts';
import { openDatabase } from '../storage/open.ts';
import { runCli, UsageError } from './main.ts';

const USAGE = `cách dùng:
  npm run users -- add NAME --role staff|admin [--telegram-id ID] [--display-name "Tên hiển thị"]
  npm run users -- list
  npm run users -- disable NAME
  npm run users -- reset-password NAME
  npm run users -- link-telegram NAME TELEGRAM_ID
Mật khẩu (add, reset-password) lấy từ biến môi trường USER_PASSWORD, nếu không có thì hỏi hai lần trên terminal.`;

/** `npm run users -- …`: staff and admin accounts, on the product's own database (migrations run on open). */
runCli(async (config, argv) => {
  const { values, positionals } = parseCommandLine(argv);
  const [command, ...rest] = positionals;
  if (values.help || !command) throw new UsageError(USAGE);
  const arity: Record<string, number> = { add: 1, list: 0, disable: 1, 'reset-password': 1, 'link-telegram': 2 };
  if (!(command in arity)) throw new UsageError(`lệnh không rõ "${command}".\n${USAGE}`);
  if (rest.length !== arity[command]) throw new UsageError(`"${command}" cần ${arity[command]} tham số, nhận ${rest.length}.\n${USAGE}`);
  if (command !== 'add' && (values.role || values['telegram-id'] || values['display-name'])) throw new UsageError(`--role, --telegram-id, --display-name chỉ dùng với "add".`);
  let role: StaffUser['role'] | undefined;
  if (command === 'add') {
    const parsed = RoleSchema.safeParse(values.role);
    if (!parsed.success) throw new UsageError('add cần --role staff hoặc --role admin.');
    role = parsed.data;
  }
  // Asked before the database is opened, so a refused password costs nothing.
  const password = command === 'add' || command === 'reset-password' ? await newPassword() : '';

  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const accounts = new Accounts(db);
  try {
    const name = rest[0] ?? '';
    switch (command) {
      case 'add': {
        const u = await accounts.add({ username: name, role: role!, password, displayName: values['display-name'], telegramId: values['telegram-id'] }, CLI_ACTOR);
        say(`Đã tạo tài khoản ${u.username} (${u.role}, "${u.displayName}")${u.telegramId ? `, Telegram ${u.telegramId}` : ''}.`);
        break;
      }
      case 'list':
        say(table(await accounts.list()));
        break;
      case 'disable':
        say(`Đã khoá tài khoản ${(await accounts.disable(name, CLI_ACTOR)).username}; các phiên đăng nhập của tài khoản đã kết thúc.`);
        break;
      case 'reset-password':
        say(`Đã đặt lại mật khẩu cho ${(await accounts.resetPassword(name, password, CLI_ACTOR)).username}.`);
        break;
      case 'link-telegram': {
        const u = await accounts.linkTelegram(name, rest[1] ?? '', CLI_ACTOR);
        say(`Đã gắn Telegram ${u.telegramId} với tài khoản ${u.username}.`);
        break;
      }
    }
  } catch (err) {
    if (err instanceof AccountError) throw new UsageError(err.message);
    throw err;
  } finally {
    await db.close();
  }
});

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { role: { type: 'string' }, 'telegram-id': { type: 'string' }, 'display-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

function say(line: string): void {
  process.stdout.write(line + '\n');
}

function table(users: StaffUser[]): string {
  if (users.length === 0) return 'Chưa có tài khoản nào. Tạo tài khoản đầu tiên: npm run users -- add NAME --role admin';
  const rows = [
    ['username', 'display name', 'role', 'telegram id', 'active'],
    ...users.map((u) => [u.username, u.displayName, u.role, u.telegramId ?? '-', u.active ? 'yes' : 'no']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** USER_PASSWORD, else typed twice on a terminal without echo; refused when there is neither. */
async function newPassword(): Promise<string> {
  const fromEnv = process.env.USER_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError('cần mật khẩu: đặt biến môi trường USER_PASSWORD hoặc chạy lệnh trên terminal để nhập.');
  const first = await askHidden('Mật khẩu mới: ');
  const second = await askHidden('Nhập lại mật khẩu: ');
  if (first !== second) throw new UsageError('hai lần nhập mật khẩu không khớp.');
  return first;
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      fn();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(typed));
        if (ch === '\u0003') return done(() => reject(new UsageError('đã huỷ.')));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
