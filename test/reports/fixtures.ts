import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { registerReports } from '../../src/reports/routes.ts';
import { buildServer } from '../../src/server/app.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { registerAuth, staffRateLimit } from '../../src/server/auth/plugin.ts';
import { registerDocs } from '../../src/server/docs.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import type { Db } from '../../src/storage/db.ts';

/**
 * Known rows for the report suites, and the reports served behind the real sign-in (registerAuth, a staff
 * account made through Accounts, requireRole('staff', 'admin')).
 */

export const TRICKY_COMMENT = '=HYPERLINK("http://x.example","bấm"), thật\nlà "hay"';
export const PASSWORD = 'mat-khau-dai-du-10';

export async function seedProcedures(db: Db): Promise<void> {
  const rows = [
    ['1.001193', 'Đăng ký khai sinh', 'Hộ tịch'],
    ['2.000986', 'Đăng ký thường trú', 'Cư trú'],
  ];
  for (const [code, title, field] of rows) {
    await db.query(
      `INSERT INTO procedures (code, title, title_folded, levels, is_commune, field, url, record, content_hash)
       VALUES ($1, $2, $2, ARRAY['xa'], true, $3, 'https://dichvucong.gov.vn/', '{}'::jsonb, 'h')`,
      [code, title, field],
    );
  }
}

let episode = 0;
export async function insertRating(
  db: Db,
  r: { at: string; level: number; channel: string; code?: string | null; staff?: string | null; ticketId?: number | null; comment?: string | null },
): Promise<void> {
  episode += 1;
  await db.query(
    `INSERT INTO ratings (conversation_id, channel, episode, level, procedure_code, ticket_id, staff, comment, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [`conv-${episode}`, r.channel, `ep-${episode}`, r.level, r.code ?? null, r.ticketId ?? null, r.staff ?? null, r.comment ?? null, r.at],
  );
}

/**
 * Seven ratings around month ends in Vietnam time (UTC+7): 2026-10-31T18:30Z is 1 November there, and
 * 2026-11-30T17:00Z is 1 December.
 */
export async function seedRatings(db: Db): Promise<void> {
  await insertRating(db, { at: '2026-10-05T03:00:00Z', level: 5, channel: 'telegram', code: '1.001193', staff: 'Nguyễn Thị Lan', ticketId: 1 });
  await insertRating(db, { at: '2026-10-20T10:00:00Z', level: 4, channel: 'zalo', code: '1.001193' });
  await insertRating(db, { at: '2026-10-31T18:30:00Z', level: 1, channel: 'web', code: '2.000986', staff: 'Trần Văn Minh', comment: TRICKY_COMMENT });
  await insertRating(db, { at: '2026-11-10T02:00:00Z', level: 3, channel: 'web' });
  await insertRating(db, { at: '2026-11-15T02:00:00Z', level: 2, channel: 'telegram', code: '2.000986', staff: 'Trần Văn Minh' });
  await insertRating(db, { at: '2026-11-30T16:59:00Z', level: 5, channel: 'zalo', code: '1.001193', staff: 'Nguyễn Thị Lan', comment: '+84 gọi lại giúp' });
  await insertRating(db, { at: '2026-11-30T17:00:00Z', level: 4, channel: 'web' });
}

async function insertUser(db: Db, username: string, displayName: string): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, $2, 'staff', 'x') RETURNING id`,
    [username, displayName],
  );
  return Number(rows[0]!.id);
}

/**
 * November 2026: ten tickets taken after 1, 2, …, 10 minutes (nearest-rank p50 5, p90 9) and closed with known
 * end statuses, one still waiting; October: one taken after 100 minutes, which a November filter leaves out.
 */
export async function seedTickets(db: Db): Promise<void> {
  const owner = await insertUser(db, 'hoa', 'Lê Thị Hoa');
  const ends = ['resolved', 'resolved', 'resolved', 'resolved', 'referred', 'referred', 'citizen_left', 'callback_arranged', 'callback_arranged', 'no_answer'];
  let n = 0;
  const ticket = async (t: { created: Date; waitMin: number | null; end: string | null; afterHours?: boolean; callback?: boolean }) => {
    n += 1;
    const claimed = t.waitMin === null ? null : new Date(t.created.getTime() + t.waitMin * 60_000);
    await db.query(
      `INSERT INTO tickets (conversation_id, channel, chat_id, status, reason, owner_id, end_status, after_hours, callback_requested,
                            created_at, claimed_at, closed_at)
       VALUES ($1, 'web', $1, $2, 'asked_for_person', $3, $4, $5, $6, $7, $8, $9)`,
      [
        `t-${n}`,
        t.end ? 'closed' : 'waiting',
        claimed ? owner : null,
        t.end,
        t.afterHours ?? false,
        t.callback ?? false,
        t.created.toISOString(),
        claimed?.toISOString() ?? null,
        t.end && claimed ? new Date(claimed.getTime() + 600_000).toISOString() : null,
      ],
    );
  };
  for (let i = 0; i < 10; i++) {
    // Stored out of order on purpose: the percentile must not depend on it.
    const wait = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6][i]!;
    await ticket({ created: new Date(Date.UTC(2026, 10, 3 + i, 2)), waitMin: wait, end: ends[i]!, afterHours: i < 3, callback: i === 0 || i === 7 });
  }
  await ticket({ created: new Date(Date.UTC(2026, 10, 20, 2)), waitMin: null, end: null });
  await ticket({ created: new Date(Date.UTC(2026, 9, 10, 2)), waitMin: 100, end: 'resolved' });
}

export interface ReportsApp {
  app: FastifyInstance;
  /** The session cookie of a signed-in staff member. */
  cookie: string;
}

/** The reports behind the real sign-in, and a staff member signed in through POST /api/auth/login. */
export async function reportsApp(db: Db): Promise<ReportsApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'k'.repeat(48), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'reports-')) });
  const logger = pino({ level: 'silent' });
  // Wired as the product wires it: the server, the docs, sign-in, then the reports.
  const app = buildServer({ db, logger, isReady: () => true });
  await registerDocs(app);
  await registerAuth(app, { db, config, logger });
  registerReports(app, { db, guard: requireRole('staff', 'admin'), routeConfig: staffRateLimit });
  await app.ready();
  await new Accounts(db).add({ username: 'lan', role: 'staff', password: PASSWORD, displayName: 'Nguyễn Thị Lan' }, CLI_ACTOR);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lan', password: PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { app, cookie };
}

/** An RFC 4180 reader for the tests: fields, quoted fields with doubled quotes and line breaks, CRLF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/**
 * A browser page signed in with the reports app's session cookie, collecting console errors (a CSP violation is
 * one) and page errors in `problems`.
 */
export async function signedInPage(
  browser: Browser,
  base: string,
  cookie: string,
  options: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(10_000);
  const [name, value] = cookie.split(';')[0]!.split('=') as [string, string];
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return { context, page, problems };
}
