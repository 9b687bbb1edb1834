/**
 * The announcement sender as the product runs it, in a process of its own for `bench/announcement.ts` to kill:
 * the real announcement service and its pg-boss queue on DATABASE_URL, sending through the product's Telegram
 * sender (grammY with the product's auto-retry) to the fake Telegram server. With `--send`, it writes an
 * announcement and sends it to everyone opted in, as an admin's "send" does; without, it only starts, which
 * resumes every unfinished announcement (what a restart does). SIGTERM stops it as `npm start` stops: no new
 * claims, the sends in flight finish and are recorded.
 *
 * It prints JSON lines on stdout: `{"event":"ready"}`, `{"event":"scheduled","id","recipients"}`, and
 * `{"event":"finished","id","status","left"}` once nothing is left for it to send (`left`: deliveries still
 * claimed by an earlier, killed process), then it exits.
 *
 *   node --import tsx bench/announce-worker.ts --database-url URL --api-root URL --token T [--send TEXT --link URL --admin NAME]
 *     [--claim-timeout-ms N]
 */
import { parseArgs } from 'node:util';
import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import pino from 'pino';
import { AUTO_RETRY } from '../src/channels/telegram/index.ts';
import { TelegramSender } from '../src/channels/telegram/sender.ts';
import { createAnnouncements } from '../src/services/announcements/index.ts';
import { openDatabase } from '../src/storage/open.ts';
import { UserStore } from '../src/storage/user-store.ts';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'api-root': { type: 'string' },
    token: { type: 'string' },
    send: { type: 'string' },
    /** The admin account that sends (with `--send`). */
    admin: { type: 'string', default: 'quantri' },
    link: { type: 'string' },
    'claim-timeout-ms': { type: 'string' },
  },
});
const databaseUrl = values['database-url']!;
const startedAt = new Date();
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const logger = pino({ level: process.env.BENCH_WORKER_LOG ?? 'warn' }, pino.destination(2));

const db = await openDatabase({ databaseUrl, dataDir: '' });
const api = new Api(values.token!, { apiRoot: values['api-root'], timeoutSeconds: 60 });
api.config.use(autoRetry(AUTO_RETRY));
const telegram = new TelegramSender({ api, logger, token: values.token! });
const claimTimeoutMs = values['claim-timeout-ms'] === undefined ? undefined : Number(values['claim-timeout-ms']);
const announcements = createAnnouncements({ db, senders: { telegram }, logger, databaseUrl, claimTimeoutMs });

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await announcements.stop().catch((err: unknown) => logger.error({ err: String(err) }, 'stopping the queue failed'));
  await db.close().catch(() => {});
  process.exit(code);
}
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));

await announcements.start();
say({ event: 'ready' });
let id: number;
if (values.send) {
  const admin = await new UserStore(db).byUsername(values.admin!);
  if (admin?.role !== 'admin') throw new Error(`bench worker: no admin account ${values.admin}`);
  id = await announcements.service.create({ text: values.send, link: values.link ?? null, channels: ['telegram'], procedureCode: null }, admin);
  const r = await announcements.service.send(id, admin);
  say({ event: 'scheduled', id, recipients: r.ok ? r.recipients : 0 });
} else {
  const rows = await db.query<{ id: unknown }>(`SELECT max(id) AS id FROM announcements`);
  id = Number(rows[0]?.id);
}

// done when sent, or when nothing is pending and nothing this process claimed is unanswered (what is left is
// claimed by a process that was killed: the worker leaves those until they are older than the claim timeout)
for (;;) {
  await new Promise((r) => setTimeout(r, 200));
  if (stopping) break;
  const [row] = await db.query<{ status: string; pending: unknown; mine: unknown; left: unknown }>(
    `SELECT a.status,
            count(*) FILTER (WHERE d.status = 'pending') AS pending,
            count(*) FILTER (WHERE d.status = 'sending' AND d.claimed_at >= $2) AS mine,
            count(*) FILTER (WHERE d.status = 'sending' AND d.claimed_at < $2) AS left
       FROM announcements a LEFT JOIN deliveries d ON d.announcement_id = a.id WHERE a.id = $1 GROUP BY a.status`,
    [id, startedAt],
  );
  if (!row) break;
  if (row.status === 'sent' || (Number(row.pending) === 0 && Number(row.mine) === 0)) {
    // the queue's job finishes the announcement after its last send: a moment for it to record that
    await new Promise((r) => setTimeout(r, 1000));
    const [again] = await db.query<{ status: string }>(`SELECT status FROM announcements WHERE id = $1`, [id]);
    say({ event: 'finished', id, status: again?.status ?? row.status, left: Number(row.left) });
    break;
  }
}
await stop(0);
