import type { Db } from '../../src/storage/db.ts';
import { seedProcedures, seedRatings, seedTickets } from './fixtures.ts';

/**
 * Known rows for the issue-11 reports, November 2026 in Vietnam time (UTC+7): turns of four conversations, the
 * conversations themselves, eight dossiers and seven guide runs, with the figures each report must give written
 * next to them in test/reports/usage.test.ts.
 */

export const SO_DO = 'Xin hỏi cấp lại sổ đỏ bị mất thế nào?';
export const SO_DO_UNACCENTED = 'cap lai so do bi mat o dau';
export const WITH_PHONE = 'Số của tôi là [số điện thoại], muốn hỏi về trợ cấp thất nghiệp';

async function turn(db: Db, conversationId: string, at: string, outcome: string, codes: string[] = [], text = 'câu hỏi'): Promise<void> {
  await db.query(
    `INSERT INTO turns (conversation_id, channel, created_at, text_redacted, label, outcome, language, procedure_codes, latency_ms)
     VALUES ($1, $2, $3, $4, 'procedure', $5, 'vi', $6, 10)`,
    [conversationId, conversationId.split(':')[0], at, text, outcome, codes],
  );
}

export async function seedTurns(db: Db): Promise<void> {
  for (const [id, at] of [['telegram:1', '2026-10-15T02:00:00Z'], ['zalo:2', '2026-11-02T04:00:00Z'], ['web:3', '2026-11-03T02:00:00Z'], ['web:4', '2026-11-05T03:00:00Z']] as const) {
    await db.query(`INSERT INTO conversations (id, channel, created_at) VALUES ($1, $2, $3)`, [id, id.split(':')[0], at]);
  }
  await turn(db, 'telegram:1', '2026-10-15T02:00:00Z', 'answered', ['2.000986']); // October: left out
  await turn(db, 'telegram:1', '2026-11-02T02:00:00Z', 'answered', ['1.001193']);
  await turn(db, 'telegram:1', '2026-11-02T03:00:00Z', 'answered', ['1.001193']);
  await turn(db, 'zalo:2', '2026-11-02T04:00:00Z', 'clarified', ['2.000986', '1.001193']);
  await turn(db, 'zalo:2', '2026-11-02T05:00:00Z', 'handover_requested');
  await turn(db, 'web:3', '2026-11-03T02:00:00Z', 'no_answer', [], SO_DO);
  await turn(db, 'telegram:1', '2026-11-05T02:00:00Z', 'no_answer', [], SO_DO_UNACCENTED);
  await turn(db, 'web:4', '2026-11-05T03:00:00Z', 'emergency');
  await turn(db, 'web:4', '2026-11-05T03:01:00Z', 'no_answer', [], WITH_PHONE);
  await turn(db, 'telegram:1', '2026-11-06T02:00:00Z', 'no_answer', [], SO_DO);
  await turn(db, 'zalo:2', '2026-11-07T02:00:00Z', 'no_answer', [], 'ơi');
  await turn(db, 'web:3', '2026-11-30T17:30:00Z', 'answered'); // 1 December in Vietnam: left out
}

interface DossierSeed {
  code: string;
  created: string;
  via: 'online' | 'in_person' | null;
  fee: boolean | null;
  method?: string | null;
  paymentStatus?: string | null;
  status?: string;
  due?: string | null;
  done?: string | null;
  guide?: string | null;
}

async function dossier(db: Db, d: DossierSeed): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO dossiers (code, conversation_id, channel, chat_id, procedure_code, submitted_via, status, payment_method, payment_status,
                           fee_charged, due_at, done_at, guide_id, created_at)
     VALUES ($1, 'web:3', 'web', '3', '1.001193', $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [d.code, d.via, d.status ?? 'submitted', d.method ?? null, d.paymentStatus ?? null, d.fee, d.due ?? null, d.done ?? null, d.guide ?? null, d.created],
  );
  return Number(rows[0]!.id);
}

async function run(db: Db, guideId: string, at: string, steps: string[]): Promise<void> {
  let minute = 0;
  for (const step of steps) {
    await db.query(
      `INSERT INTO guide_events (guide_id, conversation_id, channel, procedure_code, step, created_at) VALUES ($1, 'web:3', 'web', '1.001193', $2, $3)`,
      [guideId, step, new Date(Date.parse(at) + minute++ * 60_000).toISOString()],
    );
  }
}

/**
 * November: seven dossiers registered (three online; four of fee-charging cases, one paid on the portal, one
 * portal payment rejected; two free; one with nothing known), four done in November (three with a due date, two of
 * them on time, one exactly at its due instant, registered in October). Seven guide runs, six started in November.
 */
export async function seedDossiersAndGuide(db: Db): Promise<void> {
  const d1 = await dossier(db, { code: 'H56.14-261101-0001', created: '2026-11-02T02:00:00Z', via: 'online', fee: true, method: 'portal', paymentStatus: 'claimed', status: 'done', due: '2026-11-20T10:00:00Z', done: '2026-11-18T03:00:00Z', guide: 'g1' });
  await dossier(db, { code: 'H56.14-261101-0002', created: '2026-11-02T03:00:00Z', via: 'online', fee: true, method: 'transfer', paymentStatus: 'confirmed', status: 'done', due: '2026-11-10T10:00:00Z', done: '2026-11-12T03:00:00Z', guide: 'g2' });
  await dossier(db, { code: 'H56.14-261101-0003', created: '2026-11-03T02:00:00Z', via: 'in_person', fee: false, method: 'exempt', status: 'done', done: '2026-11-09T03:00:00Z', guide: 'g3' });
  await dossier(db, { code: 'H56.14-261101-0004', created: '2026-11-04T02:00:00Z', via: 'in_person', fee: true, method: 'cash', status: 'processing', due: '2026-11-30T10:00:00Z', guide: 'g7' });
  await dossier(db, { code: 'H56.14-261101-0005', created: '2026-11-05T02:00:00Z', via: 'online', fee: true, method: 'portal', paymentStatus: 'rejected' });
  await dossier(db, { code: 'H56.14-261101-0006', created: '2026-11-06T02:00:00Z', via: null, fee: null });
  await dossier(db, { code: 'H56.14-261001-0007', created: '2026-10-20T02:00:00Z', via: 'online', fee: true, method: 'portal', status: 'done', due: '2026-11-04T10:00:00Z', done: '2026-11-04T10:00:00Z' });
  await dossier(db, { code: 'H56.14-261125-0008', created: '2026-11-25T02:00:00Z', via: 'in_person', fee: false, status: 'done', due: '2026-12-10T10:00:00Z', done: '2026-12-02T03:00:00Z' });
  // The rating asked when D1 was done (episode dossier:<id>) marks g1 as rated.
  await db.query(`INSERT INTO ratings (conversation_id, channel, episode, level, created_at) VALUES ('web:3', 'web', $1, 5, '2026-11-18T05:00:00Z')`, [`dossier:${d1}`]);

  await run(db, 'g1', '2026-11-02T01:00:00Z', ['started', 'checklist', 'channel_chosen', 'submitted', 'paid']);
  await run(db, 'g2', '2026-11-02T02:00:00Z', ['started', 'checklist', 'channel_chosen', 'submitted', 'payment', 'paid']);
  await run(db, 'g3', '2026-11-03T01:00:00Z', ['started', 'checklist', 'channel_chosen', 'submitted']);
  await run(db, 'g4', '2026-11-04T01:00:00Z', ['started', 'checklist', 'cancelled']);
  await run(db, 'g5', '2026-11-05T01:00:00Z', ['started', 'handover']);
  await run(db, 'g6', '2026-10-20T01:00:00Z', ['started', 'checklist']);
  await run(db, 'g7', '2026-11-04T01:00:00Z', ['started', 'checklist', 'channel_chosen', 'submitted']);
}

/** Everything the report pages show: procedures, ratings and tickets (fixtures.ts), then the rows above. */
export async function seedAll(db: Db): Promise<void> {
  await seedProcedures(db);
  await seedRatings(db);
  await seedTickets(db);
  await seedTurns(db);
  await seedDossiersAndGuide(db);
}
