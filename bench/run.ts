/**
 * `npm run bench`: ingest time, search latency and memory, on embedded PGlite and on the PostgreSQL server.
 * Prints the machine it ran on. Server parts use BENCH_DATABASE_URL (else DATABASE_URL, else the local server at
 * 127.0.0.1:5432 as postgres) where the user may create databases; they are skipped when none answers. Bounded in time: fixed query counts, local only.
 * `--only a,b` runs only the named parts: ingest (PGlite ingest, search, ask, LLM mode), guide, server, load, apply
 * (a knowledge update during answers), announce (an announcement across two kills).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { loadCatalogue } from '../src/knowledge/catalogue.ts';
import type { Procedure } from '../src/knowledge/procedure.ts';
import { aliasesByCode, loadVocabulary } from '../src/knowledge/vocabulary.ts';
import type { Db } from '../src/storage/db.ts';
import { openDatabase } from '../src/storage/open.ts';
import { createEmbedder } from '../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../src/retrieval/search.ts';
import { ensureVectorIndex } from '../src/retrieval/vector-index.ts';
import { assistantQuestions, llmOverhead, offlineAskLatency } from './assistant.ts';
import { echoCeiling, type LoadResult, productLoad } from './load.ts';
import { guideLatency } from './guide.ts';
import { type ApplyResult, applyDuringAnswers, tenChanges } from './knowledge-apply.ts';
import { announcementRun } from './announcement.ts';

const { values } = parseArgs({
  options: {
    queries: { type: 'string', default: '1000' },
    scale: { type: 'string', default: '10' },
    'skip-scale': { type: 'boolean', default: false },
    'llm-queries': { type: 'string', default: '200' },
    'load-rate': { type: 'string', default: '300' },
    'load-seconds': { type: 'string', default: '20' },
    'skip-load': { type: 'boolean', default: false },
    'only-load': { type: 'boolean', default: false },
    'guide-runs': { type: 'string', default: '50' },
    'skip-guide': { type: 'boolean', default: false },
    'skip-apply': { type: 'boolean', default: false },
    'apply-rate': { type: 'string', default: '10' },
    'apply-idle-seconds': { type: 'string', default: '20' },
    'apply-cycles': { type: 'string', default: '10' },
    'skip-announce': { type: 'boolean', default: false },
    'announce-recipients': { type: 'string', default: '10000' },
    only: { type: 'string' },
  },
});
const PARTS = ['ingest', 'guide', 'server', 'load', 'apply', 'announce'] as const;
type Part = (typeof PARTS)[number];
const only = values['only-load'] ? new Set<string>(['load']) : values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
for (const p of only ?? []) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part "${p}" (parts: ${PARTS.join(', ')})`);
const skipFlags: Partial<Record<Part, boolean | undefined>> = { guide: values['skip-guide'], load: values['skip-load'], apply: values['skip-apply'], announce: values['skip-announce'] };
/** Whether a part of the bench runs: named by --only, else not skipped by its --skip-… flag. */
const wanted = (part: Part) => (only ? only.has(part) : !skipFlags[part]);
const N_QUERIES = Number(values.queries);
const SCALE = Number(values.scale);
const config = loadConfig({ ...process.env, DATABASE_URL: '' });
const serverUrl = await reachable(
  process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
);

/** The server URL when a server answers there, else undefined (the server part is then skipped). */
async function reachable(url: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return url;
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => {});
  }
}
const embedder = createEmbedder(config.embeddings);
const procedures = loadCatalogue(config.knowledgeDir);
const vocabulary = loadVocabulary(config.knowledgeDir);
const aliases = aliasesByCode(vocabulary);

function line(label: string, value: string) {
  process.stdout.write(`${label.padEnd(52)} ${value}\n`);
}
const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function benchQuestions(): string[] {
  const file = path.resolve('test/fixtures/dev-questions.jsonl');
  const qs = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).question as string)
    : procedures.slice(0, 200).map((p) => p.title);
  return Array.from({ length: N_QUERIES }, (_, i) => qs[i % qs.length]!);
}

async function timeIngest(db: Db, procedures: Procedure[]): Promise<number> {
  const t0 = performance.now();
  await indexProcedures(db, { procedures, aliases, embedder });
  await ensureVectorIndex(db, embedder);
  return (performance.now() - t0) / 1000;
}

async function latency(db: Db, questions: string[]): Promise<{ p50: number; p95: number; mean: number }> {
  const search = await ProcedureSearch.create(db, embedder, vocabulary);
  for (const q of questions.slice(0, 20)) await search.search(q); // warm-up
  const ms: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    await search.search(q);
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

/** Synthetic copies with new codes ("<code>.s<k>"), to measure search at k× the listing. */
function scaled(procedures: Procedure[], k: number): Procedure[] {
  const out = [...procedures];
  for (let i = 1; i < k; i++) {
    for (const p of procedures) out.push({ ...p, code: `${p.code}.s${i}`, url: `${p.url}?copy=${i}` });
  }
  return out;
}

/** A fresh database `name` on the server for `fn` (its URL), dropped afterwards. */
async function withServerUrl<T>(name: string, fn: (url: string) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(serverUrl!);
  u.pathname = `/${name}`;
  try {
    return await fn(u.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function withServerDb<T>(name: string, fn: (db: Db) => Promise<T>): Promise<T> {
  return withServerUrl(name, async (url) => {
    const db = await openDatabase({ databaseUrl: url, dataDir: '' });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  });
}

const cpus = os.cpus();
line('machine', `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${mb(os.totalmem())} RAM, ${os.platform()} ${os.release()}`);
line('node', process.version);
line('knowledge base', `${procedures.length} procedures, embedder ${embedder.modelId}`);
line('queries per latency run', String(N_QUERIES));
const questions = benchQuestions();

if (wanted('ingest')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pglite-'));
  const t0 = performance.now();
  const db = await openDatabase({ databaseUrl: undefined, dataDir: dir });
  const open = (performance.now() - t0) / 1000;
  const ingest = await timeIngest(db, procedures);
  line('PGlite: open + migrate (fresh data dir)', `${open.toFixed(1)} s`);
  line('PGlite: full ingest (index + embed + write)', `${ingest.toFixed(1)} s`);
  const l = await latency(db, questions);
  line('PGlite: search latency p50 / p95 / mean', `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} / ${l.mean.toFixed(1)} ms`);
  const search = await ProcedureSearch.create(db, embedder, vocabulary);
  const ask = await offlineAskLatency(db, search, assistantQuestions(N_QUERIES), pct);
  line(`PGlite: offline ask p50 / p95 / mean (${N_QUERIES} q)`, `${ask.p50.toFixed(1)} / ${ask.p95.toFixed(1)} / ${ask.mean.toFixed(1)} ms (target p95 ≤ 100 ms)`);
  line('PGlite: offline answer time per step', Object.entries(ask.stepShare).map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`).join(', '));
  const nLlm = Number(values['llm-queries']);
  const llm = await llmOverhead(db, search, assistantQuestions(nLlm), pct);
  line(`PGlite: LLM mode total p50 / p95 (${nLlm} q, fake server)`, `${llm.total.p50.toFixed(1)} / ${llm.total.p95.toFixed(1)} ms`);
  line('PGlite: LLM mode, inside LLM calls p50 / p95', `${llm.llm.p50.toFixed(1)} / ${llm.llm.p95.toFixed(1)} ms (${llm.llmShare.toFixed(2)} calls/q)`);
  line('PGlite: LLM mode, pipeline overhead p50 / p95', `${llm.overhead.p50.toFixed(1)} / ${llm.overhead.p95.toFixed(1)} ms`);
  await db.close();
  const t1 = performance.now();
  const again = await openDatabase({ databaseUrl: undefined, dataDir: dir });
  const report = await indexProcedures(again, { procedures: procedures, aliases, embedder });
  line('PGlite: reopen + verify index (later start)', `${((performance.now() - t1) / 1000).toFixed(1)} s (re-embedded ${report.embeddedChunks})`);
  await again.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

if (wanted('guide')) {
  // the whole product on PGlite with the committed knowledge base (indexed once here, a minute or so)
  const runs = Number(values['guide-runs']);
  const g = await guideLatency(config.knowledgeDir, runs, pct);
  line(`guide: step latency p50 / p95 (${runs} citizens, ${g.steps} steps, web chat)`, `${g.p50.toFixed(1)} / ${g.p95.toFixed(1)} ms`);
  line('guide: p95 per step', Object.entries(g.byKind).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', '));
}

if (serverUrl && wanted('server')) {
  await withServerDb('bench_1x', async (db) => {
    const ingest = await timeIngest(db, procedures);
    line('server: full ingest incl. HNSW build', `${ingest.toFixed(1)} s`);
    const l = await latency(db, questions);
    line('server: search latency p50 / p95 / mean (1×)', `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} / ${l.mean.toFixed(1)} ms`);
  });
  if (!values['skip-scale']) {
    await withServerDb('bench_scaled', async (db) => {
      const procs = scaled(procedures, SCALE);
      const ingest = await timeIngest(db, procs);
      line(`server: ingest ${procs.length} procedures (${SCALE}×) incl. HNSW`, `${ingest.toFixed(1)} s`);
      const l = await latency(db, questions);
      line(`server: search latency p50 / p95 / mean (${SCALE}×, HNSW)`, `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} / ${l.mean.toFixed(1)} ms`);
    });
  }
} else if (!serverUrl && wanted('server')) {
  line('server', 'skipped: no server answered (set BENCH_DATABASE_URL)');
}
if (wanted('load')) {
  const rate = Number(values['load-rate']);
  const seconds = Number(values['load-seconds']);
  const show = (label: string, r: LoadResult) => {
    line(`${label}: acked / offered, per s`, `${r.acked} / ${r.offered}, ${r.ackPerSecond.toFixed(0)}/s (non-2xx ${r.non2xx})`);
    line(`${label}: webhook latency p50 / p99`, `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms`);
    if (r.answeredPerSecond !== undefined) {
      line(`${label}: answered per s (until last reply)`, `${r.answeredPerSecond.toFixed(0)}/s, drained in ${r.drainSeconds!.toFixed(1)} s`);
      line(`${label}: lost / duplicated replies`, `${r.lost} / ${r.duplicated}`);
      line(`${label}: event-loop delay p99 / max`, `${r.loopLagP99!.toFixed(1)} / ${r.loopLagMax!.toFixed(1)} ms`);
    }
  };
  const where = serverUrl ? 'server' : 'PGlite';
  let product: LoadResult;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS bench_load WITH (FORCE)');
    await admin.query('CREATE DATABASE bench_load');
    const u = new URL(serverUrl);
    u.pathname = '/bench_load';
    try {
      product = await productLoad({ databaseUrl: u.toString(), rate, seconds });
    } finally {
      await admin.query('DROP DATABASE IF EXISTS bench_load WITH (FORCE)');
      await admin.end();
    }
  } else {
    product = await productLoad({ rate, seconds });
  }
  show(`load ${rate}/s × ${seconds} s, product on ${where}`, product);
  const echo = await echoCeiling({ rate, seconds });
  show(`load ${rate}/s × ${seconds} s, bare grammY echo`, echo);
  const echoMax = await echoCeiling({ rate: 0, seconds: 10 });
  line('bare grammY echo, unthrottled', `${echoMax.ackPerSecond.toFixed(0)}/s, p99 ${echoMax.p99.toFixed(1)} ms`);
  line('product / echo at the offered rate (acked per s)', (product.ackPerSecond / echo.ackPerSecond).toFixed(2));
}
if (wanted('apply')) {
  const rate = Number(values['apply-rate']);
  const idleSeconds = Number(values['apply-idle-seconds']);
  const cycles = Number(values['apply-cycles']);
  const show = (where: string, r: ApplyResult) => {
    const at = `apply (${where})`;
    const q = (x: ApplyResult['idle']) => `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)} / ${x.max.toFixed(0)} ms (${x.questions} q, ${x.errors} errors)`;
    const idle2 = 2 * r.idle.p95;
    line(`${at}: knowledge base opened (fresh, full index)`, `${r.procedures} procedures in ${r.openSeconds.toFixed(1)} s`);
    line(`${at}: import (merge, preview), median of ${r.cycles}`, `${r.importSeconds.toFixed(1)} s: ${r.diff.changed} changed, ${r.diff.added} added, ${r.diff.removed} removed`);
    line(`${at}: apply until the new version answers`, `median ${r.applySeconds.median.toFixed(2)} s, worst ${r.applySeconds.max.toFixed(2)} s (service done ≤ ${r.settledMax.toFixed(2)} s; ${r.notApplied} not applied) target ≤ 30 s: ${pass(r.applySeconds.max <= 30 && r.notApplied === 0)}`);
    line(`${at}: rollback to version 1, worst`, `${r.rollbackMax.toFixed(2)} s`);
    line(`${at}: p50 / p95 / max idle (${rate}/s offered)`, q(r.idle));
    line(`${at}: p50 / p95 / max during the imports`, q(r.duringImport));
    line(`${at}: p50 / p95 / max during the applies`, `${q(r.duringApply)} target p95 ≤ 2× idle (${idle2.toFixed(1)} ms): ${pass(r.duringApply.p95 <= idle2)}`);
    line(`${at}: p50 / p95 / max during the rollbacks`, q(r.duringRollback));
    const errors = r.idle.errors + r.duringImport.errors + r.duringApply.errors + r.duringRollback.errors;
    line(`${at}: errors, all questions`, `${errors} target 0: ${pass(errors === 0)}; outcome differing from idle for the same question: ${r.outcomeChanged}`);
  };
  line('apply: the change (processing time of the first channel)', tenChanges().map((c) => c.note).join('; '));
  show('PGlite', await applyDuringAnswers({ knowledgeDir: config.knowledgeDir, rate, idleSeconds, cycles, pct }));
  if (serverUrl) show('server', await withServerUrl('bench_apply', (url) => applyDuringAnswers({ knowledgeDir: config.knowledgeDir, databaseUrl: url, rate, idleSeconds, cycles, pct })));
  else line('apply (server)', 'skipped: no server answered (set BENCH_DATABASE_URL)');
}
if (wanted('announce')) {
  const n = Number(values['announce-recipients']);
  if (!serverUrl) line('announce', 'skipped: no PostgreSQL server answered (pg-boss in a second process needs one; set BENCH_DATABASE_URL)');
  else {
    const r = await withServerUrl('bench_announce', (url) => announcementRun({ databaseUrl: url, recipients: n }));
    line(`announce: ${n} Telegram recipients, worker in a child process`, `${r.starts} starts, ${r.kills.map((k) => `${k.signal} at ${k.atReceipts}`).join(', ')}`);
    for (const k of r.kills) {
      line(`announce: after ${k.signal}`, `gone in ${k.exitMs} ms, ${k.claimedAfter} deliveries left claimed (${k.claimedReceived} of them received by the fake)`);
    }
    line('announce: next start with the product settings', `${r.leftClaimed} claims of the killed process left${r.neededLateRestart ? ' (announcement unfinished; one more start with --claim-timeout-ms 0 finished it)' : ''}`);
    line('announce: received / duplicates', `${r.received} / ${r.duplicates} target 0 duplicates: ${pass(r.duplicates === 0)}`);
    line('announce: lost (not received, not recorded failed)', `${r.lost}${r.lostRecordedSent ? ` (${r.lostRecordedSent} recorded sent)` : ''} target 0: ${pass(r.lost === 0)}`);
    line('announce: interrupted by the kill (failed, not resent)', `${r.interrupted} (${r.interruptedReceived} of them received by the fake)`);
    line('announce: deliveries by status', `${Object.entries(r.statuses).map(([k, v]) => `${k} ${v}`).join(', ')}; announcement ${r.announcementStatus}`);
    line('announce: most in any 1 s, all chats / one chat', `${r.maxPerSecond} / ${r.maxPerChatPerSecond} target ≤ 30 / ≤ 1: ${pass(r.maxPerSecond <= 30 && r.maxPerChatPerSecond <= 1)}`);
    if (r.overLimit) {
      const at = r.overLimitAt.map((t) => t.toFixed(1));
      line('announce: receipts over 30 in their second', `${r.overLimit}, at ${at.slice(0, 8).join(', ')}${at.length > 8 ? ' …' : ''} s (kills at ${r.killsAt.map((t) => t.toFixed(1)).join(', ')} s)`);
    }
    line('announce: total time / rate while sending', `${r.sendSeconds.toFixed(1)} s / ${r.ratePerSecond.toFixed(1)} per s`);
  }
}
line('process RSS at end', mb(process.memoryUsage().rss));
