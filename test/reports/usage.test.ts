import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIONAL_DASHBOARD_URL } from '../../src/reports/indicators.ts';
import { REPORT_QUERY_MESSAGES } from '../../src/reports/query.ts';
import { NO_TOPIC_LABEL } from '../../src/reports/unanswered.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { parseCsv, reportsApp, type ReportsApp } from './fixtures.ts';
import { seedAll, SO_DO, SO_DO_UNACCENTED, WITH_PHONE } from './usage-fixtures.ts';

/** The issue-11 reports on known rows (test/reports/usage-fixtures.ts), behind the real staff sign-in. */

let t: TestDb;
let r: ReportsApp;

beforeAll(async () => {
  t = await openTestDb();
  await seedAll(t.db);
  r = await reportsApp(t.db);
});

afterAll(async () => {
  await r?.app.close();
  await t?.cleanup();
});

const get = (url: string, signedIn = true) => r.app.inject({ method: 'GET', url, headers: signedIn ? { cookie: r.cookie } : {} });
const json = async (url: string) => {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const csv = async (url: string) => {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.body.startsWith('\uFEFF')).toBe(true);
  return parseCsv(res.body.slice(1));
};
const NOV = 'month=2026-11';

describe('conversations by channel and day', () => {
  it('counts each conversation once a day per channel, every day of the month listed, in Vietnam time', async () => {
    const body = await json(`/api/reports/conversations?${NOV}`);
    expect(body.period).toEqual({ from: '2026-11-01', to: '2026-11-30', label: 'Tháng 11/2026' });
    expect(body.unit).toBe('day');
    expect(body.buckets).toHaveLength(30);
    const day = Object.fromEntries(body.buckets.map((b: { key: string }) => [b.key, b]));
    expect(day['2026-11-01']).toMatchObject({ total: 0, messages: 0, byChannel: {} });
    expect(day['2026-11-02']).toMatchObject({ label: '02/11/2026', byChannel: { telegram: 1, zalo: 1 }, total: 2, messages: 4 });
    expect(day['2026-11-05']).toMatchObject({ byChannel: { telegram: 1, web: 1 }, total: 2, messages: 3 });
    expect(body.conversations).toBe(4);
    expect(body.messages).toBe(10);
    expect(body.channels).toEqual([
      { channel: 'telegram', label: 'Telegram', conversations: 1, messages: 4, newConversations: 0 },
      { channel: 'zalo', label: 'Zalo', conversations: 1, messages: 3, newConversations: 1 },
      { channel: 'web', label: 'Trang web', conversations: 2, messages: 3, newConversations: 2 },
    ]);
  });

  it('as CSV: one row per day with a column per channel', async () => {
    const rows = await csv(`/api/reports/conversations.csv?${NOV}`);
    expect(rows[0]).toEqual(['day', 'label', 'telegram', 'zalo', 'web', 'total', 'messages']);
    expect(rows).toHaveLength(31);
    expect(rows[2]).toEqual(['2026-11-02', '02/11/2026', '1', '1', '0', '2', '4']);
  });

  it('a range longer than two months is counted per month', async () => {
    const body = await json('/api/reports/conversations?from=2026-10-01&to=2026-12-31');
    expect(body.unit).toBe('month');
    expect(body.buckets.map((b: { key: string; total: number; messages: number }) => [b.key, b.total, b.messages])).toEqual([
      ['2026-10', 1, 1],
      ['2026-11', 4, 10],
      ['2026-12', 1, 1],
    ]);
  });
});

describe('outcomes', () => {
  it('each message once by its outcome, and the ratings given', async () => {
    const body = await json(`/api/reports/outcomes?${NOV}`);
    expect(body.messages).toBe(10);
    const by = Object.fromEntries(body.outcomes.map((o: { outcome: string; count: number }) => [o.outcome, o.count]));
    expect(by).toEqual({ answered: 2, clarified: 1, no_answer: 5, out_of_scope: 0, emergency: 1, handover_requested: 1, guardrail_blocked: 0, error: 0 });
    expect(body.outcomes.find((o: { outcome: string }) => o.outcome === 'no_answer').share).toBe(0.5);
    // Four of the ratings fixture fall in November in Vietnam, and the guide's dossier rating.
    expect(body.rated).toEqual({ label: 'Được đánh giá', count: 5 });
  });

  it('as CSV', async () => {
    const rows = await csv(`/api/reports/outcomes.csv?${NOV}`);
    expect(rows[0]).toEqual(['outcome', 'label', 'count', 'share_of_messages']);
    expect(rows.find((row) => row[0] === 'no_answer')).toEqual(['no_answer', 'Chưa trả lời được', '5', '0.5']);
    expect(rows.find((row) => row[0] === 'rated')).toEqual(['rated', 'Được đánh giá', '5', '']);
  });
});

describe('top procedures', () => {
  it('by the first procedure each message cited, with its title', async () => {
    const body = await json(`/api/reports/procedures?${NOV}`);
    expect(body.procedures).toEqual([
      { code: '1.001193', title: 'Đăng ký khai sinh', label: 'Đăng ký khai sinh (1.001193)', messages: 2, conversations: 1 },
      { code: '2.000986', title: 'Đăng ký thường trú', label: 'Đăng ký thường trú (2.000986)', messages: 1, conversations: 1 },
    ]);
    const rows = await csv(`/api/reports/procedures.csv?${NOV}`);
    expect(rows).toEqual([
      ['rank', 'procedure_code', 'title', 'messages', 'conversations'],
      ['1', '1.001193', 'Đăng ký khai sinh', '2', '1'],
      ['2', '2.000986', 'Đăng ký thường trú', '1', '1'],
    ]);
  });
});

describe('unanswered topics', () => {
  it('groups the redacted texts by their first content words, folded; two distinct examples each', async () => {
    const body = await json(`/api/reports/unanswered?${NOV}`);
    expect(body.topics).toEqual([
      { key: 'cap lai so do', label: 'cấp lại sổ đỏ', count: 3, examples: [SO_DO, SO_DO_UNACCENTED] },
      { key: 'so tro cap that', label: 'số trợ cấp thất', count: 1, examples: [WITH_PHONE] },
      { key: '', label: NO_TOPIC_LABEL, count: 1, examples: ['ơi'] },
    ]);
    const rows = await csv(`/api/reports/unanswered.csv?${NOV}`);
    expect(rows[0]).toEqual(['topic', 'label', 'count', 'example_1', 'example_2']);
    expect(rows[1]).toEqual(['cap lai so do', 'cấp lại sổ đỏ', '3', SO_DO, SO_DO_UNACCENTED]);
  });
});

describe("the commune's indicators (ước tính nội bộ)", () => {
  it('exact rates: all dossiers for submission, fee-charging only for payment, done with a due date for on time', async () => {
    const body = await json(`/api/reports/indicators?${NOV}`);
    expect(body.label).toBe('ước tính nội bộ');
    expect(body.dossiers).toBe(7);
    const [submission, payment, onTime] = body.indicators;
    expect(submission).toMatchObject({ id: 'online_submission', numerator: 3, denominator: 7 });
    expect(submission.rate).toBeCloseTo(3 / 7, 10);
    // Four fee-charging dossiers (two free and one unknown left out); one paid on the portal, one portal payment rejected.
    expect(payment).toMatchObject({ id: 'online_payment', numerator: 1, denominator: 4, rate: 0.25 });
    expect(payment.notes).toEqual([
      { text: 'Hồ sơ miễn phí (không tính)', count: 2 },
      { text: 'Hồ sơ chưa rõ có thu phí hay không (không tính)', count: 1 },
    ]);
    // Done in November: four; one without a due date left out; on time includes done exactly at the due instant.
    expect(onTime).toMatchObject({ id: 'on_time', numerator: 2, denominator: 3 });
    expect(onTime.rate).toBeCloseTo(2 / 3, 10);
    expect(onTime.notes).toEqual([{ text: 'Hồ sơ có kết quả nhưng không có hạn giải quyết (không tính)', count: 1 }]);
    expect(payment.formula).toContain('không tính hồ sơ miễn phí');
  });

  it('an empty month gives no rate (null, "—" on the page), never a division by zero', async () => {
    const body = await json('/api/reports/indicators?month=2027-03');
    expect(body.indicators.map((i: { rate: number | null; denominator: number }) => [i.rate, i.denominator])).toEqual([
      [null, 0],
      [null, 0],
      [null, 0],
    ]);
    const rows = await csv('/api/reports/indicators.csv?month=2027-03');
    expect(rows[0]).toEqual(['indicator', 'label', 'formula', 'numerator', 'denominator', 'rate', 'basis', 'notes']);
    expect(rows.slice(1).map((row) => row[5])).toEqual(['', '', '']);
    const chart = (await get('/api/reports/charts/indicators.svg?month=2027-03')).body;
    expect(chart).not.toContain('class="bar"');
    expect(chart).toContain('Chưa có hồ sơ nào để tính chỉ số trong khoảng thời gian này.');
  });

  it('as CSV, with the formula and the basis', async () => {
    const rows = await csv(`/api/reports/indicators.csv?${NOV}`);
    expect(rows[2]!.slice(0, 7)).toEqual([
      'online_payment',
      'Tỷ lệ thanh toán trực tuyến',
      'Số hồ sơ đã thanh toán trên Cổng Dịch vụ công ÷ số hồ sơ của thủ tục có thu phí, lệ phí (không tính hồ sơ miễn phí)',
      '1',
      '4',
      '0.25',
      'ước tính nội bộ',
    ]);
  });
});

describe("the guide's funnel", () => {
  it('runs started in the month, each counted up to the furthest step it reached; done and rated from its dossier', async () => {
    const body = await json(`/api/reports/funnel?${NOV}`);
    expect(body.runs).toBe(6);
    expect(body.steps.map((s: { step: string; count: number }) => [s.step, s.count])).toEqual([
      ['started', 6],
      ['checklist', 5],
      ['channel_chosen', 4],
      ['submitted', 4],
      ['payment', 3],
      ['paid', 3],
      ['done', 3],
      ['rated', 1],
    ]);
    expect(body.steps[0].shareOfPrevious).toBeNull();
    expect(body.steps[1].shareOfPrevious).toBeCloseTo(5 / 6, 10);
    expect(body.steps[4].shareOfPrevious).toBe(0.75);
    expect(body.steps[7].shareOfPrevious).toBeCloseTo(1 / 3, 10);
    expect(body).toMatchObject({ cancelled: 1, handover: 1 });
    const rows = await csv(`/api/reports/funnel.csv?${NOV}`);
    expect(rows[0]).toEqual(['step', 'label', 'count', 'share_of_previous']);
    expect(rows[5]).toEqual(['payment', 'Đến bước thanh toán', '3', '0.75']);
  });

  it('an empty month: zero runs, no shares', async () => {
    const body = await json('/api/reports/funnel?month=2027-03');
    expect(body.steps.every((s: { count: number; shareOfPrevious: number | null }) => s.count === 0 && s.shareOfPrevious === null)).toBe(true);
  });
});

describe('charts', () => {
  it.each([
    ['conversations', 7],
    ['outcomes', 6],
    ['procedures', 2],
    ['unanswered', 3],
    ['indicators', 6],
    ['funnel', 8],
  ])('%s.svg draws %i bars for November', async (name, bars) => {
    const res = await get(`/api/reports/charts/${name}.svg?${NOV}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.body.match(/<rect class="bar"/g)).toHaveLength(bars);
    expect(res.body).not.toMatch(/<script|href=/);
  });
});

describe('the pages', () => {
  it('the console page shows every new section for the month, with a link to the printable report', async () => {
    const res = await get(`/console/reports?${NOV}`);
    expect(res.statusCode).toBe(200);
    for (const id of ['conv', 'out', 'proc', 'gaps', 'kpi', 'funnel']) expect(res.body).toContain(`<section aria-labelledby="${id}-h"`);
    expect(res.body).toContain('href="/console/reports/monthly?month=2026-11"');
    expect(res.body).toContain('href="/api/reports/indicators.csv?from=2026-11-01&amp;to=2026-11-30"');
  });

  it('a custom range fills its own fields', async () => {
    const res = await get('/console/reports?from=2026-11-02&to=2026-11-05');
    expect(res.body).toContain('name="from" value="2026-11-02"');
    expect(res.body).toContain('name="to" value="2026-11-05"');
    expect(res.body).toContain('Từ 02/11/2026 đến 05/11/2026');
  });

  it('the monthly page: everything for the month, the formulas, the estimate label and the national link, print CSS for A4', async () => {
    const res = await get('/console/reports/monthly?month=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = res.body;
    expect(html).toContain('<title>Báo cáo tháng 11/2026</title>');
    expect(html).toContain('@page{size:A4');
    expect(html).toContain('@media print');
    expect(html.match(/<svg /g)).toHaveLength(8);
    expect(html).toContain('ước tính nội bộ');
    expect(html).toContain('Quyết định 766/QĐ-TTg');
    expect(html).toContain(`href="${NATIONAL_DASHBOARD_URL}"`);
    expect(html).toContain('Số hồ sơ có kết quả trước hoặc đúng hạn ÷ số hồ sơ đã có kết quả trong kỳ (có hạn giải quyết)');
    expect(html).toContain('<strong>25%</strong>');
    expect(html).toContain('<strong>66,7%</strong>');
    expect(html).toContain('<strong>42,9%</strong>');
    expect(html).toContain('cấp lại sổ đỏ');
    expect(html).toContain('[số điện thoại]');
    expect(html).toContain('Người lập báo cáo');
  });

  it('an empty month shows "—" for every rate', async () => {
    const html = (await get('/console/reports/monthly?month=2027-03')).body;
    expect(html.match(/<strong>—<\/strong>/g)).toHaveLength(3);
    expect(html).toContain('Chưa có hồ sơ nào để tính chỉ số trong khoảng thời gian này.');
  });

  it('a bad month is a 400 page with the message; no session goes to the login page and back', async () => {
    const bad = await get('/console/reports/monthly?month=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(REPORT_QUERY_MESSAGES.month);
    const anon = await get('/console/reports/monthly?month=2026-11', false);
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe(`/console?next=${encodeURIComponent('/console/reports/monthly?month=2026-11')}`);
  });
});

describe('access', () => {
  it.each(['conversations', 'outcomes', 'procedures', 'unanswered', 'indicators', 'funnel'])('%s: JSON, CSV and chart answer 401 without a session', async (name) => {
    for (const url of [`/api/reports/${name}`, `/api/reports/${name}.csv`, `/api/reports/charts/${name}.svg`]) {
      const res = await get(url, false);
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ ok: false, code: 'unauthorized' });
    }
  });

  it('a CSV export is audited', async () => {
    await get(`/api/reports/unanswered.csv?${NOV}`);
    const rows = await t.db.query<{ target: string }>(`SELECT target FROM audit_log WHERE action = 'report.export' ORDER BY id DESC LIMIT 1`);
    expect(rows[0]?.target).toBe('report:unanswered.csv');
  });
});
