import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/storage/db.ts';
import { signIn, withSession } from '../accounts/auth-app.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { buildGapsApp, type GapsApp, PASSWORD } from './gaps-app.ts';

const HKD = '1.001612';
const KH = '1.000894';

async function turn(db: Queryable, at: string, conversation: string, text: string, outcome: string, codes: string[] = [], scores: number[] = []): Promise<void> {
  await db.query(
    `INSERT INTO turns (conversation_id, channel, created_at, text_redacted, label, outcome, language, procedure_codes, retrieval_scores, latency_ms)
     VALUES ($1, 'web', $2, $3, 'procedure', $4, 'vi', $5::text[], $6::real[], 5)`,
    [conversation, at, text, outcome, codes, scores],
  );
}

/**
 * The knowledge-gaps report on known rows: no-answers, handovers (their summaries) and low ratings (the rated
 * conversation's last message) grouped by topic as the unanswered-topics report groups them, with counts per kind,
 * the procedures they came near, redacted examples; answered turns, good ratings and rows outside the range left out.
 */
describe('the knowledge-gaps report', () => {
  let t: TestDb;
  let g: GapsApp;
  beforeAll(async () => {
    t = await openTestDb();
    g = await buildGapsApp(t.db);
    const db = t.db;
    await turn(db, '2026-11-03T02:00:00Z', 'web:a', 'Bán hàng online có phải đăng ký không?', 'no_answer', [], [0.41, 0.3]);
    await turn(db, '2026-11-04T02:00:00Z', 'web:b', 'ban hang online co phai dang ky kinh doanh ko', 'no_answer', [], [0.47]);
    await turn(db, '2026-11-05T02:00:00Z', 'web:c', 'Xin hỏi bán hàng online phải đóng thuế không, gọi [số điện thoại]', 'no_answer', [], [0.2]);
    await turn(db, '2026-11-05T03:00:00Z', 'web:d', 'đăng ký kết hôn cần gì', 'answered', [KH], [0.9]);
    await turn(db, '2026-10-20T02:00:00Z', 'web:e', 'bán hàng online tháng trước', 'no_answer');
    // a handover whose summary is about online shops, on a procedure
    await db.query(
      `INSERT INTO tickets (conversation_id, channel, chat_id, status, reason, procedure_code, summary, created_at)
       VALUES ('web:f', 'web', 'f', 'closed', 'person', $1, 'bán hàng online có cần giấy phép kinh doanh không / số tôi 0912345678', '2026-11-06T02:00:00Z')`,
      [HKD],
    );
    // a low rating: the conversation's last typed message is what it was about; a good rating is no gap
    await turn(db, '2026-11-07T02:00:00Z', 'web:g', 'đăng ký kết hôn với người nước ngoài ở đâu', 'answered', [KH], [0.8]);
    await turn(db, '2026-11-07T02:01:00Z', 'web:g', '[chọn] aspect:fee', 'answered', [KH], [0.8]);
    await db.query(`INSERT INTO ratings (conversation_id, channel, episode, level, procedure_code, created_at) VALUES ('web:g', 'web', '1', 1, NULL, '2026-11-07T02:05:00Z')`);
    await turn(db, '2026-11-08T02:00:00Z', 'web:h', 'cấp lại căn cước', 'answered', ['1.014064'], [0.9]);
    await db.query(`INSERT INTO ratings (conversation_id, channel, episode, level, created_at) VALUES ('web:h', 'web', '1', 5, '2026-11-08T02:05:00Z')`);
  }, 120_000);
  afterAll(async () => {
    await g?.close();
    await t?.cleanup();
  });

  it('groups what the bot could not serve in the month, with counts, nearby procedures and redacted examples', async () => {
    const admin = await signIn(g.app, 'quantri', PASSWORD);
    const r = await g.app.inject({ method: 'GET', url: '/api/admin/gaps?from=2026-11-01&to=2026-11-30', cookies: withSession(admin) });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.period).toEqual({ from: '2026-11-01', to: '2026-11-30', label: 'Từ 01/11/2026 đến 30/11/2026' });
    expect(body.totals).toEqual({ no_answer: 3, handover: 1, low_rating: 1 });
    const [shop, ...rest] = body.topics;
    // the two no-answers and the handover's summary fall together, with or without diacritics
    expect(shop).toMatchObject({ key: 'ban hang online co', label: 'bán hàng online có', count: 3, byKind: { no_answer: 2, handover: 1, low_rating: 0 }, topScore: 0.47 });
    expect(shop.near).toEqual([{ code: HKD, title: 'Đăng ký thành lập hộ kinh doanh', count: 1 }]);
    expect(shop.examples).toEqual([
      'Bán hàng online có phải đăng ký không?',
      'ban hang online co phai dang ky kinh doanh ko',
      'bán hàng online có cần giấy phép kinh doanh không / số tôi [số điện thoại]',
    ]);
    expect(rest).toEqual([
      expect.objectContaining({ label: 'bán hàng online đóng', count: 1, byKind: { no_answer: 1, handover: 0, low_rating: 0 }, examples: ['Xin hỏi bán hàng online phải đóng thuế không, gọi [số điện thoại]'] }),
      expect.objectContaining({ label: 'đăng ký kết hôn', count: 1, byKind: { no_answer: 0, handover: 0, low_rating: 1 }, near: [{ code: KH, title: 'Thủ tục đăng ký kết hôn', count: 1 }], topScore: 0.8 }),
    ]);
    expect(JSON.stringify(body)).not.toContain('0912345678');
    expect(JSON.stringify(body)).not.toContain('căn cước');
    expect(JSON.stringify(body)).not.toContain('tháng trước');
  });

  it('refuses a bad range with the reports’ Vietnamese message', async () => {
    const admin = await signIn(g.app, 'quantri', PASSWORD);
    const r = await g.app.inject({ method: 'GET', url: '/api/admin/gaps?from=2026-13-01', cookies: withSession(admin) });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^Ngày bắt đầu \(from\) không hợp lệ/);
  });
});
