import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { END_STATUS_LABELS } from '../../src/domain/staff.ts';
import { REPORT_QUERY_MESSAGES } from '../../src/reports/query.ts';
import { SIPAS_NOTICE } from '../../src/reports/page.ts';
import { LEVELS } from '../../src/services/ratings/levels.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { parseCsv, reportsApp, type ReportsApp, seedProcedures, seedRatings, seedTickets, TRICKY_COMMENT } from './fixtures.ts';

/** The report routes on a fresh database with known ratings and tickets, behind the real staff sign-in. */

let t: TestDb;
let r: ReportsApp;

beforeAll(async () => {
  t = await openTestDb();
  await seedProcedures(t.db);
  await seedRatings(t.db);
  await seedTickets(t.db);
  r = await reportsApp(t.db);
});

afterAll(async () => {
  await r?.app.close();
  await t?.cleanup();
});

const get = (url: string, signedIn = true) => r.app.inject({ method: 'GET', url, headers: signedIn ? { cookie: r.cookie } : {} });

interface Group {
  key: string | null;
  label: string;
  counts: Record<string, number>;
  total: number;
  satisfied: number;
  shareSatisfied: number | null;
}
const byKey = (groups: Group[]) => Object.fromEntries(groups.map((g) => [String(g.key), g]));

describe('satisfaction.csv', () => {
  it('is one row per rating under the agreed header, UTF-8 with a BOM, as an attachment', async () => {
    const res = await get('/api/reports/satisfaction.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="satisfaction.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['created_at', 'level', 'label', 'channel', 'procedure_code', 'staff', 'ticket_id', 'comment']);
    expect(rows).toHaveLength(8);
    expect(rows[1]).toEqual(['2026-10-05T03:00:00.000Z', '5', 'Rất hài lòng', 'telegram', '1.001193', 'Nguyễn Thị Lan', '1', '']);
    expect(rows[5]!.slice(0, 7)).toEqual(['2026-11-15T02:00:00.000Z', '2', 'Không hài lòng', 'telegram', '2.000986', 'Trần Văn Minh', '']);
  });

  it('keeps a comment with a comma, quotes and a line break whole, and defuses its leading = (and +) as text', async () => {
    const res = await get('/api/reports/satisfaction.csv');
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    const tricky = rows.find((row) => row[0] === '2026-10-31T18:30:00.000Z')!;
    expect(tricky.slice(1, 6)).toEqual(['1', 'Rất không hài lòng', 'web', '2.000986', 'Trần Văn Minh']);
    expect(tricky[7]).toBe(`'${TRICKY_COMMENT}`);
    expect(rows.find((row) => row[0] === '2026-11-30T16:59:00.000Z')![7]).toBe("'+84 gọi lại giúp");
    // On the wire: quoted, quotes doubled, the line break inside the quotes.
    expect(res.body).toContain(`"'=HYPERLINK(""http://x.example"",""bấm""), thật\nlà ""hay"""`);
  });

  it('each download is in the audit log: who, which file, which period', async () => {
    await get('/api/reports/satisfaction.csv?from=2026-11-01&to=2026-11-30');
    const rows = await t.db.query<{ username: string; action: string; target: string; details: unknown }>(
      `SELECT username, action, target, details FROM audit_log WHERE action = 'report.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ username: 'lan', action: 'report.export', target: 'report:satisfaction.csv' });
    const details = typeof rows[0]!.details === 'string' ? JSON.parse(rows[0]!.details) : rows[0]!.details;
    expect(details).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });

  it('filters by Vietnam calendar days, both ends included', async () => {
    const res = await get('/api/reports/satisfaction.csv?from=2026-11-01&to=2026-11-30');
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    // 31 Oct 18:30 UTC is 1 Nov in Vietnam (in), 30 Nov 17:00 UTC is 1 Dec (out).
    expect(rows.slice(1).map((row) => row[0])).toEqual([
      '2026-10-31T18:30:00.000Z',
      '2026-11-10T02:00:00.000Z',
      '2026-11-15T02:00:00.000Z',
      '2026-11-30T16:59:00.000Z',
    ]);
    const one = parseCsv((await get('/api/reports/satisfaction.csv?from=2026-12-01')).body.replace(/^\uFEFF/, ''));
    expect(one.slice(1).map((row) => row[0])).toEqual(['2026-11-30T17:00:00.000Z']);
  });
});

describe('satisfaction by group', () => {
  it('counts per level, total and share satisfied per Vietnam month', async () => {
    const res = await get('/api/reports/satisfaction?by=month');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.levels).toEqual(LEVELS.map((l) => ({ level: l.level, label: l.label })));
    expect(body.groups.map((g: Group) => g.key)).toEqual(['2026-10', '2026-11', '2026-12']);
    const g = byKey(body.groups);
    expect(g['2026-10']).toMatchObject({ label: 'Tháng 10/2026', counts: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, total: 2, satisfied: 2, shareSatisfied: 1 });
    expect(g['2026-11']).toMatchObject({ label: 'Tháng 11/2026', counts: { 1: 1, 2: 1, 3: 1, 4: 0, 5: 1 }, total: 4, satisfied: 1, shareSatisfied: 0.25 });
    expect(g['2026-12']).toMatchObject({ total: 1, shareSatisfied: 1 });
    expect(body.overall).toMatchObject({ total: 7, satisfied: 4, counts: { 1: 1, 2: 1, 3: 1, 4: 2, 5: 2 } });
    expect(body.overall.shareSatisfied).toBeCloseTo(4 / 7, 10);
  });

  it('by channel and by staff member (ratings without a handover in a group of their own, last)', async () => {
    const ch = byKey((await get('/api/reports/satisfaction?by=channel')).json().groups);
    expect(ch.telegram).toMatchObject({ label: 'Telegram', total: 2, satisfied: 1, shareSatisfied: 0.5 });
    expect(ch.zalo).toMatchObject({ label: 'Zalo', total: 2, shareSatisfied: 1 });
    expect(ch.web).toMatchObject({ total: 3, satisfied: 1 });
    expect(ch.web!.shareSatisfied).toBeCloseTo(1 / 3, 10);

    const staff = (await get('/api/reports/satisfaction?by=staff')).json().groups as Group[];
    expect(staff.at(-1)).toMatchObject({ key: null, total: 3, satisfied: 2 });
    const s = byKey(staff);
    expect(s['Nguyễn Thị Lan']).toMatchObject({ total: 2, shareSatisfied: 1, counts: { 5: 2 } });
    expect(s['Trần Văn Minh']).toMatchObject({ total: 2, satisfied: 0, shareSatisfied: 0, counts: { 1: 1, 2: 1 } });
  });

  it('by procedure and by field, from the knowledge base', async () => {
    const p = byKey((await get('/api/reports/satisfaction?by=procedure')).json().groups);
    expect(p['1.001193']).toMatchObject({ label: 'Đăng ký khai sinh (1.001193)', total: 3, shareSatisfied: 1 });
    expect(p['2.000986']).toMatchObject({ total: 2, shareSatisfied: 0 });
    expect(p.null).toMatchObject({ label: 'Không gắn thủ tục', total: 2, satisfied: 1 });
    const f = byKey((await get('/api/reports/satisfaction?by=field')).json().groups);
    expect(f['Hộ tịch']).toMatchObject({ total: 3, satisfied: 3 });
    expect(f['Cư trú']).toMatchObject({ total: 2, satisfied: 0 });
  });

  it('applies the date filter to the groups', async () => {
    const body = (await get('/api/reports/satisfaction?by=channel&from=2026-10-01&to=2026-10-31')).json();
    expect(body.period).toEqual({ from: '2026-10-01', to: '2026-10-31', label: 'Từ 01/10/2026 đến 31/10/2026' });
    expect(body.overall.total).toBe(2);
    expect(body.groups.map((g: Group) => g.key).sort()).toEqual(['telegram', 'zalo']);
  });

  it('as CSV: one row per group and the total, the levels named verbatim', async () => {
    const res = await get('/api/reports/satisfaction-summary.csv?by=month');
    expect(res.headers['content-disposition']).toBe('attachment; filename="satisfaction-by-month.csv"');
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['group', 'label', 'Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng', 'total', 'share_satisfied']);
    expect(rows[2]).toEqual(['2026-11', 'Tháng 11/2026', '1', '0', '1', '1', '1', '4', '0.25']);
    expect(rows.at(-1)).toEqual(['', 'Tổng cộng', '2', '2', '1', '1', '1', '7', '0.5714']);
  });
});

describe('handover figures', () => {
  it('handled tickets by end status, waiting p50/p90 (nearest rank), after hours and callbacks', async () => {
    const body = (await get('/api/reports/handover?from=2026-11-01&to=2026-11-30')).json();
    expect(body).toMatchObject({ ok: true, opened: 11, claimed: 10, closed: 10, stillOpen: 1, afterHours: 3, callbacksRequested: 2, afterHoursCallbacks: 1 });
    expect(body.waitingMinutes).toEqual({ p50: 5, p90: 9, sample: 10 });
    expect(body.byEndStatus).toEqual([
      { endStatus: 'resolved', label: END_STATUS_LABELS.resolved, count: 4 },
      { endStatus: 'referred', label: END_STATUS_LABELS.referred, count: 2 },
      { endStatus: 'citizen_left', label: END_STATUS_LABELS.citizen_left, count: 1 },
      { endStatus: 'callback_arranged', label: END_STATUS_LABELS.callback_arranged, count: 2 },
      { endStatus: 'no_answer', label: END_STATUS_LABELS.no_answer, count: 1 },
      { endStatus: 'abuse', label: END_STATUS_LABELS.abuse, count: 0 },
    ]);
  });

  it('without a filter includes October: eleven waits, p50 6 and p90 10', async () => {
    const body = (await get('/api/reports/handover')).json();
    expect(body.opened).toBe(12);
    expect(body.waitingMinutes).toEqual({ p50: 6, p90: 10, sample: 11 });
    expect(body.byEndStatus[0].count).toBe(5);
  });

  it('as CSV', async () => {
    const res = await get('/api/reports/handover.csv?from=2026-11-01&to=2026-11-30');
    expect(res.headers['content-disposition']).toBe('attachment; filename="handover.csv"');
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['measure', 'label', 'value']);
    const value = Object.fromEntries(rows.slice(1).map((row) => [row[0], row[2]]));
    expect(value).toMatchObject({ opened: '11', 'end_status.resolved': '4', waiting_minutes_p50: '5', waiting_minutes_p90: '9', after_hours: '3', callbacks_requested: '2' });
  });
});

describe('charts', () => {
  it('satisfaction as SVG: a bar per level present in each group, the shares as labels', async () => {
    const res = await get('/api/reports/charts/satisfaction.svg?by=channel');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'");
    expect(res.body.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // telegram 2 levels, zalo 2, web 3.
    expect(res.body.match(/<rect class="bar"/g)).toHaveLength(7);
    expect(res.body).toContain('50% hài lòng');
    expect(res.body).not.toMatch(/href=|<script|<image/);
  });

  it('handover as SVG', async () => {
    const res = await get('/api/reports/charts/handover.svg?from=2026-11-01&to=2026-11-30');
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.body).toContain(END_STATUS_LABELS.resolved);
    expect(res.body).toContain('p50 5 phút, p90 9 phút');
  });
});

describe('the console page', () => {
  it('shows both reports with inline charts, tables, CSV links and the SIPAS notice, under a strict CSP', async () => {
    const res = await get('/console/reports?month=2026-11&by=staff');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).toContain(SIPAS_NOTICE);
    expect(res.body).toContain('Tháng 11/2026');
    // Satisfaction and handover, then the six reports of issue 11 (test/reports/usage.test.ts).
    expect(res.body.match(/<svg /g)).toHaveLength(8);
    expect(res.body).toContain('href="/api/reports/satisfaction.csv?from=2026-11-01&amp;to=2026-11-30"');
    expect(res.body).toContain('href="/api/reports/handover.csv?from=2026-11-01&amp;to=2026-11-30"');
    expect(res.body).toContain('type="month" name="month" value="2026-11"');
    expect(res.body).toContain('<option value="staff" selected>');
    expect(res.body).not.toContain('<script');
  });

  it('escapes what it shows: a staff name with markup stays text', async () => {
    await t.db.query(`INSERT INTO ratings (conversation_id, channel, episode, level, staff, created_at) VALUES ('x', 'web', 'x', 4, $1, '2027-01-05T03:00:00Z')`, [
      '<img src=x onerror=alert(1)>',
    ]);
    const page = (await get('/console/reports?month=2027-01&by=staff')).body;
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const chart = (await get('/api/reports/charts/satisfaction.svg?by=staff&from=2027-01-01')).body;
    expect(chart).not.toContain('<img');
  });

  it('sends a visitor who is not signed in to the login page and back', async () => {
    const res = await get('/console/reports', false);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console?next=%2Fconsole%2Freports');
    const withMonth = await get('/console/reports?month=2026-11&by=staff', false);
    expect(withMonth.statusCode).toBe(303);
    expect(withMonth.headers.location).toBe(`/console?next=${encodeURIComponent('/console/reports?month=2026-11&by=staff')}`);
    expect(withMonth.body).not.toContain('Tháng 11/2026');
  });
});

describe('access and parameters', () => {
  it.each(['/api/reports/satisfaction.csv', '/api/reports/satisfaction', '/api/reports/handover', '/api/reports/handover.csv', '/api/reports/charts/satisfaction.svg', '/api/reports/charts/handover.svg'])(
    '%s answers 401 in the one error shape without a session',
    async (url) => {
      const res = await get(url, false);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ ok: false, code: 'unauthorized' });
    },
  );

  it.each([
    ['/api/reports/satisfaction.csv?from=2026-13-01', REPORT_QUERY_MESSAGES.from],
    ['/api/reports/satisfaction?from=2026-02-30', REPORT_QUERY_MESSAGES.from],
    ['/api/reports/satisfaction?to=hôm-nay', REPORT_QUERY_MESSAGES.to],
    ['/api/reports/handover?from=2026-11-30&to=2026-11-01', REPORT_QUERY_MESSAGES.order],
    ['/api/reports/satisfaction?by=year', REPORT_QUERY_MESSAGES.by],
    ['/api/reports/charts/handover.svg?to=2026-1-1', REPORT_QUERY_MESSAGES.to],
    ['/api/reports/satisfaction?month=2026-11&from=2026-11-02', REPORT_QUERY_MESSAGES.monthAndDays],
  ])('%s → 400 with a Vietnamese message', async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ ok: false, code: 'bad_request', error: message });
  });

  it('the JSON, CSV and chart routes are described in the OpenAPI document with their parameters; the page is not', async () => {
    const doc = (await get('/docs/json', false)).json();
    const op = doc.paths['/api/reports/satisfaction'].get;
    expect(op.tags).toEqual(['reports']);
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['by', 'from', 'to']);
    for (const path of ['/api/reports/satisfaction.csv', '/api/reports/satisfaction-summary.csv', '/api/reports/handover', '/api/reports/handover.csv', '/api/reports/charts/satisfaction.svg', '/api/reports/charts/handover.svg']) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.paths['/console/reports']).toBeUndefined();
  });

  it('the page answers a bad month with 400 and the message on the page', async () => {
    const res = await get('/console/reports?month=2026-13');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain(REPORT_QUERY_MESSAGES.month);
  });
});
