import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Db } from '../../storage/db.ts';

/** One job per announcement to send; its handler sends the announcement's deliveries (the records make it safe to run twice). */
export const SEND_QUEUE = 'announcement-send';

export interface SendJobQueue {
  /** Starts the queue and hands each job to `handler` (an announcement id, and a signal aborted on stop). */
  start(handler: (announcementId: number, signal: AbortSignal) => Promise<void>): Promise<void>;
  /** Queues the send, to start at `startAt` when given (a scheduled announcement), else at once. */
  enqueue(announcementId: number, startAt?: Date | null): Promise<void>;
  /** Aborts the handlers (sends in flight finish and are recorded), then stops the queue. */
  stop(): Promise<void>;
}

/**
 * pg-boss's `db` option over our Db, for embedded PGlite, where pg-boss cannot open connections of its own. pg-boss
 * sends some multi-statement scripts without parameters (its migrations, `BEGIN; …; COMMIT`): those go through
 * `exec`, which PGlite runs whole, so nothing else interleaves.
 */
export function pgBossDbAdapter(db: Db): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length === 0) {
        try {
          return { rows: await db.query(text) };
        } catch (err) {
          if (!/multiple commands|cannot insert multiple/i.test(String(err))) throw err;
          await db.exec(text);
          return { rows: [] };
        }
      }
      return { rows: await db.query(text, values) };
    },
  };
}

export interface PgBossQueueOptions {
  db: Db;
  /** On the PostgreSQL server pg-boss opens its own pool on DATABASE_URL; without it (PGlite) it runs over `db`. */
  connectionString?: string;
  logger: Logger;
  /** pg-boss's schema; tests give each database its own. */
  schema?: string;
  pollingIntervalSeconds?: number;
}

/** The send jobs on pg-boss 10 (a PostgreSQL job queue): on the server over DATABASE_URL, on PGlite over our Db. */
export class PgBossSendQueue implements SendJobQueue {
  private boss: PgBoss | null = null;
  private readonly aborts = new AbortController();

  constructor(private readonly opts: PgBossQueueOptions) {}

  async start(handler: (announcementId: number, signal: AbortSignal) => Promise<void>): Promise<void> {
    const { opts } = this;
    const boss = opts.connectionString
      ? new PgBoss({ connectionString: opts.connectionString, schema: opts.schema ?? 'pgboss', max: 2 })
      : new PgBoss({ db: pgBossDbAdapter(opts.db), schema: opts.schema ?? 'pgboss' });
    boss.on('error', (err) => opts.logger.warn({ err: String(err) }, 'announcement queue (pg-boss) error'));
    await boss.start();
    await boss.createQueue(SEND_QUEUE);
    this.boss = boss;
    await boss.work<{ announcementId: number }>(SEND_QUEUE, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await handler(Number(job.data.announcementId), this.aborts.signal);
    });
  }

  /**
   * pg-boss 10 semantics this relies on: a job is fetched only once `start_after < now()`, so a scheduled send waits
   * in the table and no worker holds it; `expireInSeconds` counts from the job's start (`started_on + expire_in`),
   * so waiting days does not expire it; an unstarted job is dropped only after `keep_until`, which defaults to
   * `start_after` + 14 days, so it too counts from the chosen time. A job that arrives twice (a restart queues every
   * unfinished announcement again) is harmless: the deliveries are claimed one by one.
   */
  async enqueue(announcementId: number, startAt?: Date | null): Promise<void> {
    // not started (yet, or any more): the deliveries are stored, and `start` queues every unfinished announcement
    if (!this.boss) return;
    // six hours to run: Zalo at 5 a second sends 100,000 recipients in about 5.5 h (an expired job is retried, which
    // the claims make harmless, but the retry would only start over after a long stall)
    await this.boss.send(SEND_QUEUE, { announcementId }, { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 6 * 3600, ...(startAt ? { startAfter: startAt } : {}) });
  }

  async stop(): Promise<void> {
    this.aborts.abort();
    await this.boss?.stop({ graceful: true, wait: true, timeout: 30_000 });
    this.boss = null;
  }
}
