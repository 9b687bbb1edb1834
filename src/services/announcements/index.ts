import type { Logger } from 'pino';
import type { ChannelName, ChannelSender } from '../../channels/types.ts';
import { AnnouncementStore } from '../../storage/announcement-store.ts';
import type { Db } from '../../storage/db.ts';
import { type ChannelLimit, DEFAULT_CLAIM_TIMEOUT_MS, DeliveryWorker } from './delivery-worker.ts';
import type { RetryPolicy } from './errors.ts';
import { AnnouncementOptIn } from './opt-in.ts';
import { PgBossSendQueue, type SendJobQueue } from './queue.ts';
import { AnnouncementService } from './service.ts';

export { AnnouncementOptIn, type OptInContext } from './opt-in.ts';
export { AnnouncementService } from './service.ts';
export { DeliveryWorker, DEFAULT_LIMITS } from './delivery-worker.ts';
export { PgBossSendQueue, pgBossDbAdapter, type SendJobQueue } from './queue.ts';
export { announcementMessage, OPT_IN_CHOICE, OPT_OUT_CHOICE } from './messages.ts';

export interface AnnouncementsDeps {
  db: Db;
  /** The channels' senders (the product's `senders` map; channels may be added after this is built). */
  senders: Partial<Record<ChannelName, ChannelSender>>;
  logger: Logger;
  /** DATABASE_URL on the PostgreSQL server; absent on PGlite (pg-boss then runs over `db`). */
  databaseUrl?: string;
  limits?: Partial<Record<'telegram' | 'zalo', ChannelLimit>>;
  retry?: Partial<RetryPolicy>;
  /** A claim older than this with no answer counts as interrupted (a killed process): failed, never resent. */
  claimTimeoutMs?: number;
  /** pg-boss's schema (default `pgboss`). */
  queueSchema?: string;
  /** A queue other than pg-boss (tests). */
  queue?: SendJobQueue;
  /** The clock the admin's chosen send time is checked against (tests); sending itself follows the database's. */
  now?: () => Date;
}

export interface Announcements {
  optIn: AnnouncementOptIn;
  service: AnnouncementService;
  /**
   * Starts the job queue's worker and queues every announcement left unfinished (a restart resumes them): one being
   * sent at once, a scheduled one for its time (never earlier).
   */
  start(): Promise<void>;
  /** Stops claiming; the sends in flight finish and are recorded. */
  stop(): Promise<void>;
}

/** The announcements as the product runs them: opt-in, the admin service, and the send worker on pg-boss. */
export function createAnnouncements(deps: AnnouncementsDeps): Announcements {
  const store = new AnnouncementStore(deps.db);
  const queue = deps.queue ?? new PgBossSendQueue({ db: deps.db, connectionString: deps.databaseUrl, logger: deps.logger, schema: deps.queueSchema });
  const claimTimeoutMs = deps.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS;
  const worker = new DeliveryWorker({ store, senders: deps.senders, logger: deps.logger, limits: deps.limits, retry: deps.retry, claimTimeoutMs });
  let started = false;
  return {
    optIn: new AnnouncementOptIn(store),
    service: new AnnouncementService({ db: deps.db, queue, now: deps.now }),
    async start() {
      await queue.start(async (id, signal) => {
        if (await worker.run(id, signal)) return;
        // a job that came before its announcement's time (none should: it is queued for that time) queues it again
        const a = signal.aborted ? null : await store.get(id);
        if (a?.status === 'scheduled') await queue.enqueue(id, a.scheduledAt ? new Date(a.scheduledAt) : null);
        // deliveries still claimed by a process that was killed: once their claims time out they are recorded as
        // interrupted and the announcement can finish, so the job comes back then (not at some later restart)
        if (a?.status === 'sending') await queue.enqueue(id, new Date(Date.now() + claimTimeoutMs + 1_000));
      });
      started = true;
      for (const u of await store.unfinished()) await queue.enqueue(u.id, u.startAt);
    },
    async stop() {
      if (started) await queue.stop();
      started = false;
    },
  };
}
