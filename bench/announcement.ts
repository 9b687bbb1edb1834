import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Accounts, CLI_ACTOR } from '../src/services/accounts/accounts.ts';
import type { Db } from '../src/storage/db.ts';
import { openDatabase } from '../src/storage/open.ts';
import { startFakeTelegram } from '../test/fakes/telegram-server.ts';

/**
 * An announcement to `recipients` opted-in Telegram citizens on the fake Telegram server (issue 11 §7), sent by
 * the real announcement service and pg-boss in a child process (bench/announce-worker.ts) on a database of the
 * PostgreSQL server. The sender is stopped twice mid-send and started again each time: SIGTERM at a third of the
 * receipts (a clean stop, as `npm start` does on SIGTERM), SIGKILL at two thirds (a crash). The run after the
 * crash uses the product's settings; if it leaves deliveries claimed by the killed process (the worker fails those
 * only once their claim is older than its claim timeout, 5 minutes), one more start stands for a restart after that
 * timeout (`--claim-timeout-ms 0`). Then the fake's receipts are compared with the recipients and the delivery
 * records.
 */
export interface AnnouncementResult {
  recipients: number;
  /** Each stop: the signal, the receipts when it was sent, and the deliveries left claimed once the process was gone. */
  kills: { signal: 'SIGTERM' | 'SIGKILL'; atReceipts: number; exitMs: number; claimedAfter: number; claimedReceived: number }[];
  /** Deliveries still claimed by the killed process when the next start with the product's settings finished. */
  leftClaimed: number;
  /** Whether one more start (standing for one after the claim timeout) was needed to finish. */
  neededLateRestart: boolean;
  starts: number;
  /** Chats that received it (HTTP 200 from the fake). */
  received: number;
  /** Receipts beyond one per chat. */
  duplicates: number;
  /** Recipients neither received nor recorded failed; of them, recorded as sent yet never received. */
  lost: number;
  lostRecordedSent: number;
  /** Failed as "interrupted while sending" (not resent), and how many of those the fake had received anyway. */
  interrupted: number;
  interruptedReceived: number;
  /** Deliveries by final status. */
  statuses: Record<string, number>;
  announcementStatus: string;
  /** The most sendMessage calls the fake received in any 1-second window, all chats; and to one chat. */
  maxPerSecond: number;
  /** Receipts that were the 31st or later in the second before them; when they came (s after the send). */
  overLimit: number;
  overLimitAt: number[];
  maxPerChatPerSecond: number;
  /** When each stop's signal was sent (s after the send). */
  killsAt: number[];
  /** From the announcement scheduled to its last receipt. */
  sendSeconds: number;
  /** Receipts per second while a process was sending (excluding the restarts). */
  ratePerSecond: number;
}

const TEXT = 'Từ nay bà con có thể nộp hồ sơ và theo dõi kết quả trực tuyến trên Cổng Dịch vụ công quốc gia.';
const LINK = 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html';
const WORKER = path.resolve('bench/announce-worker.ts');
const FIRST_CHAT = 800_000_000;

interface Worker {
  child: ChildProcess;
  /** Resolves with the first stdout line of that event. */
  next(event: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stderr(): string;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: Record<string, unknown>[] = [];
  const waiting: { event: string; resolve: (o: Record<string, unknown>) => void }[] = [];
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  createInterface({ input: child.stdout! }).on('line', (l) => {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(l) as Record<string, unknown>;
    } catch {
      return;
    }
    seen.push(o);
    for (const w of waiting.splice(0)) {
      if (w.event === o.event) w.resolve(o);
      else waiting.push(w);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => err,
    next(event) {
      const found = seen.find((o) => o.event === event);
      if (found) return Promise.resolve(found);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiting.push({ event, resolve })),
        exited.then((code) => {
          throw new Error(`bench: the announcement worker exited (${code}) before "${event}": ${err.trim().split('\n').slice(-5).join(' | ')}`);
        }),
      ]);
    },
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`bench: timed out waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The most of `times` (ms) in any window [t, t + 1000), and the times that were over `limit` in their window. */
function perSecond(times: number[], limit = Infinity): { max: number; over: number[] } {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  const over: number[] = [];
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! >= 1000) i++;
    max = Math.max(max, j - i + 1);
    if (j - i + 1 > limit) over.push(t[j]!);
  }
  return { max, over };
}

async function claimed(db: Db, id: number): Promise<string[]> {
  const rows = await db.query<{ chat_id: string }>(`SELECT chat_id FROM deliveries WHERE announcement_id = $1 AND status = 'sending'`, [id]);
  return rows.map((r) => r.chat_id);
}

/** `databaseUrl`: an empty database on the PostgreSQL server (created by the caller). */
export async function announcementRun(opts: { databaseUrl: string; recipients: number }): Promise<AnnouncementResult> {
  const n = opts.recipients;
  const db = await openDatabase({ databaseUrl: opts.databaseUrl, dataDir: '' });
  const fake = await startFakeTelegram();
  const workers: Worker[] = [];
  try {
    await new Accounts(db).add({ username: 'quantri', displayName: 'Quản trị viên', role: 'admin', password: randomBytes(12).toString('hex') }, CLI_ACTOR);
    // citizens who said yes (/dangky): one subscription each
    await db.query(
      `INSERT INTO subscriptions (conversation_id, channel, chat_id, subscribed)
       SELECT 'telegram:' || c, 'telegram', c::text, true FROM generate_series($1::bigint, $2::bigint) AS c`,
      [FIRST_CHAT, FIRST_CHAT + n - 1],
    );
    const base = ['--database-url', opts.databaseUrl, '--api-root', fake.apiRoot, '--token', fake.token];
    const receipts = () => fake.sent.length;
    // generous: the whole send at 30 a second, three times over, plus the starts
    const budget = (left: number) => (left / 30) * 3000 + 120_000;
    const kills: AnnouncementResult['kills'] = [];
    const sendingWindows: [number, number][] = [];
    const killTimes: number[] = [];

    const stopAt = async (w: Worker, signal: 'SIGTERM' | 'SIGKILL', atReceipts: number, id: number, from: number) => {
      await until(`${atReceipts} receipts`, () => receipts() >= atReceipts, budget(atReceipts));
      const t = Date.now();
      killTimes.push(t);
      w.child.kill(signal);
      await w.exited;
      sendingWindows.push([from, Date.now()]);
      const left = await claimed(db, id);
      const got = new Set(fake.sent.map((c) => String(c.payload.chat_id)));
      kills.push({ signal, atReceipts: receipts(), exitMs: Date.now() - t, claimedAfter: left.length, claimedReceived: left.filter((c) => got.has(c)).length });
    };

    const w1 = startWorker([...base, '--send', TEXT, '--link', LINK]);
    workers.push(w1);
    const scheduled = await within(w1.next('scheduled'), 120_000, 'the announcement to be scheduled');
    const id = Number(scheduled.id);
    const tScheduled = Date.now();
    await stopAt(w1, 'SIGTERM', Math.floor(n / 3), id, tScheduled);

    const w2 = startWorker(base);
    workers.push(w2);
    await within(w2.next('ready'), 120_000, 'the second start');
    await stopAt(w2, 'SIGKILL', Math.floor((2 * n) / 3), id, Date.now());

    const w3 = startWorker(base);
    workers.push(w3);
    await within(w3.next('ready'), 120_000, 'the third start');
    const from3 = Date.now();
    const fin = await within(w3.next('finished'), budget(n), 'the announcement to finish');
    await w3.exited;
    sendingWindows.push([from3, Date.now()]);
    const leftClaimed = Number(fin.left);
    let neededLateRestart = false;
    if (fin.status !== 'sent') {
      neededLateRestart = true;
      const w4 = startWorker([...base, '--claim-timeout-ms', '0']);
      workers.push(w4);
      await within(w4.next('finished'), 120_000, 'the late restart to finish');
      await w4.exited;
    }

    // the comparison
    const calls = fake.sent.filter((c) => c.method.toLowerCase() === 'sendmessage');
    const ok = calls.filter((c) => c.status === 200);
    const perChat = new Map<string, number>();
    for (const c of ok) perChat.set(String(c.payload.chat_id), (perChat.get(String(c.payload.chat_id)) ?? 0) + 1);
    const byChatTimes = new Map<string, number[]>();
    for (const c of calls) {
      const k = String(c.payload.chat_id);
      (byChatTimes.get(k) ?? byChatTimes.set(k, []).get(k)!).push(c.at);
    }
    const deliveries = await db.query<{ chat_id: string; status: string; last_error: string | null }>(
      `SELECT chat_id, status, last_error FROM deliveries WHERE announcement_id = $1`,
      [id],
    );
    const statuses: Record<string, number> = {};
    let lost = 0;
    let lostRecordedSent = 0;
    let interrupted = 0;
    let interruptedReceived = 0;
    for (const d of deliveries) {
      statuses[d.status] = (statuses[d.status] ?? 0) + 1;
      const got = perChat.has(d.chat_id);
      if (d.status === 'failed' && /interrupted/.test(d.last_error ?? '')) {
        interrupted++;
        if (got) interruptedReceived++;
      }
      if (!got && d.status !== 'failed') {
        lost++;
        if (d.status === 'sent') lostRecordedSent++;
      }
    }
    // a recipient with no delivery record at all is lost too
    const recorded = new Set(deliveries.map((d) => d.chat_id));
    for (let c = FIRST_CHAT; c < FIRST_CHAT + n; c++) if (!recorded.has(String(c))) lost++;
    const [a] = await db.query<{ status: string }>(`SELECT status FROM announcements WHERE id = $1`, [id]);
    const times = calls.map((c) => c.at);
    const all = perSecond(times, 30);
    const activeMs = sendingWindows.reduce((s, [f, t]) => s + (t - f), 0);
    return {
      recipients: n,
      kills,
      leftClaimed,
      neededLateRestart,
      starts: workers.length,
      received: perChat.size,
      duplicates: [...perChat.values()].reduce((s, k) => s + k - 1, 0),
      lost,
      lostRecordedSent,
      interrupted,
      interruptedReceived,
      statuses,
      announcementStatus: a?.status ?? 'unknown',
      maxPerSecond: all.max,
      overLimit: all.over.length,
      overLimitAt: all.over.map((t) => (t - tScheduled) / 1000),
      maxPerChatPerSecond: Math.max(0, ...[...byChatTimes.values()].map((ts) => perSecond(ts).max)),
      killsAt: killTimes.map((t) => (t - tScheduled) / 1000),
      sendSeconds: (Math.max(...times) - tScheduled) / 1000,
      ratePerSecond: calls.length / (activeMs / 1000),
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await fake.close();
    await db.close();
  }
}
