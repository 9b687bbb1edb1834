import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { createKnowledgeAdmin } from '../src/admin/knowledge/index.ts';
import { createAssistant } from '../src/app/assistant.ts';
import { openKnowledgeBase } from '../src/app/knowledge-base.ts';
import { loadConfig } from '../src/config.ts';
import { assistantQuestions } from './assistant.ts';

/**
 * Applying a 10-procedure change to the full knowledge base while citizens ask (issue 11 §7), as the product runs
 * it: the knowledge base opened as `npm start` opens it, the assistant on the search that follows the version
 * serving (createKnowledgeAdmin), the change uploaded through `importUpload` in merge mode and applied in the
 * background. A steady stream of questions (the development sets, at a fixed offered rate, each started on time
 * whatever the others do) runs throughout: idle first, then over `cycles` rounds of import → apply → rollback to
 * version 1 (`activate`), so the short apply windows hold enough questions to compare. A question counts for a
 * window when it was being answered at any moment of it. "Serves" is seen from outside: a probe asks about one of
 * the changed procedures every `probeMs` until the assistant's answer states the new processing time.
 *
 * The change: 10 real records of the national listing (the repository's fixture of raw lines), each with the
 * processing time of its first channel one day longer. A bench input only: nobody is shown it.
 */
export interface ApplyResult {
  /** Opening the knowledge base (a fresh database: the full index built). */
  openSeconds: number;
  procedures: number;
  cycles: number;
  /** importUpload (parse, compare with the active version), median over the cycles. */
  importSeconds: number;
  diff: { added: number; changed: number; removed: number };
  /** From `apply()` until the probe's answer states the new time: median and worst over the cycles. */
  applySeconds: { median: number; max: number };
  /** From `apply()` until the service says it is done (committed, search reloaded), worst. */
  settledMax: number;
  /** Rollback (`activate(1)`) until it returned, worst. */
  rollbackMax: number;
  /** Imports that did not end applied. */
  notApplied: number;
  idle: StreamStats;
  duringImport: StreamStats;
  duringApply: StreamStats;
  duringRollback: StreamStats;
  /** Questions whose outcome in a window differed from the same question's outcome idle. */
  outcomeChanged: number;
}

export interface StreamStats {
  questions: number;
  errors: number;
  p50: number;
  p95: number;
  max: number;
}

/** The raw national-listing lines kept in the repository (the small knowledge base's procedures). */
const LISTING_LINES = path.resolve('test/fixtures/listing-small-kb.jsonl');
/** Asked until the answer shows the change: Đăng ký tạm trú, online 3 → 4 ngày làm việc. */
const PROBE = { code: '1.004194', question: 'đăng ký tạm trú mất bao lâu', expect: /Trực tuyến: 4 ngày làm việc/ };

interface Change {
  code: string;
  line: string;
  note: string;
}

/** 10 real records, each with the first channel's processing time ("Trực tuyến3 Ngày…" in the raw cell) one more. */
export function tenChanges(): Change[] {
  const out: Change[] = [];
  for (const l of fs.readFileSync(LISTING_LINES, 'utf8').split('\n')) {
    if (!l.trim() || out.length === 10) continue;
    const r = JSON.parse(l) as { ma_thu_tuc: string; cach_thuc_thuc_hien: string };
    const m = /(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(\d+)/.exec(r.cach_thuc_thuc_hien);
    if (!m) continue;
    const after = `${m[1]}${Number(m[2]) + 1}`;
    r.cach_thuc_thuc_hien = r.cach_thuc_thuc_hien.slice(0, m.index) + after + r.cach_thuc_thuc_hien.slice(m.index + m[0].length);
    out.push({ code: r.ma_thu_tuc, line: JSON.stringify(r), note: `${r.ma_thu_tuc} ${m[1]} ${m[2]} → ${Number(m[2]) + 1}` });
  }
  if (!out.some((c) => c.code === PROBE.code)) throw new Error(`bench: the change must include ${PROBE.code}, which the probe asks about`);
  return out;
}

type Ask = (text: string, id: string) => Promise<{ text: string; outcome: string }>;

interface Asked {
  k: number;
  start: number;
  end: number;
  outcome: string;
  error: boolean;
}

/**
 * Asks `questions` in turn at `rate` a second, each started on time (not after the previous one), until `stop()`;
 * each question's latency is from the moment it was due, so time spent waiting for a busy process counts.
 */
function stream(ask: Ask, questions: string[], rate: number) {
  const asked: Asked[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const loop = (async () => {
    const t0 = performance.now();
    for (let i = 0; !stopped; i++) {
      // latency counts from when the question was due: a citizen's message waits while the process is busy
      const start = t0 + (i * 1000) / rate;
      const wait = start - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stopped) break;
      const k = i % questions.length;
      const p = (async () => {
        let outcome = 'error';
        let error = false;
        try {
          outcome = (await ask(questions[k]!, `bench:apply:${i}`)).outcome;
          error = outcome === 'error';
        } catch {
          error = true;
        }
        asked.push({ k, start, end: performance.now(), outcome, error });
      })();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  })();
  return {
    asked,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(inFlight);
    },
  };
}

export async function applyDuringAnswers(opts: {
  knowledgeDir: string;
  /** A database on the server (created empty by the caller); undefined: a fresh PGlite. */
  databaseUrl?: string;
  rate: number;
  idleSeconds: number;
  cycles: number;
  probeMs?: number;
  pct: (xs: number[], p: number) => number;
}): Promise<ApplyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-apply-'));
  const config = loadConfig({ KNOWLEDGE_DIR: opts.knowledgeDir, DATA_DIR: dir, DATABASE_URL: opts.databaseUrl ?? '' });
  const logger = pino({ level: 'silent' });
  const t0 = performance.now();
  const kb = await openKnowledgeBase(config);
  const openSeconds = (performance.now() - t0) / 1000;
  try {
    const knowledge = createKnowledgeAdmin(kb, { logger });
    const { versions } = knowledge;
    const assistant = createAssistant(config, kb, logger, { search: knowledge.search });
    const ask: Ask = async (text, conversationId) => {
      const r = await assistant.handle({ conversationId, channel: 'bench', text });
      return { text: r.messages.map((m) => m.text).join('\n'), outcome: r.outcome };
    };
    let probes = 0;
    const probeShowsChange = async () => PROBE.expect.test((await ask(PROBE.question, `bench:apply:probe:${probes++}`)).text);
    const questions = assistantQuestions(500);
    for (const [i, q] of questions.slice(0, 20).entries()) await ask(q, `bench:apply:warm:${i}`);
    if (await probeShowsChange()) throw new Error('bench: the probe already shows the new time before the apply');
    const baseline = (await versions.versions()).find((v) => v.active)!.id;

    const changes = tenChanges();
    const body = () => Readable.from([Buffer.from(changes.map((c) => c.line).join('\n'))]);
    const actor = { id: null, username: 'bench' };
    const windows = { import: [] as [number, number][], apply: [] as [number, number][], rollback: [] as [number, number][] };
    const importS: number[] = [];
    const applyS: number[] = [];
    let settledMax = 0;
    let rollbackMax = 0;
    let notApplied = 0;
    let diff = { added: 0, changed: 0, removed: 0 };

    const s = stream(ask, questions, opts.rate);
    await new Promise((r) => setTimeout(r, opts.idleSeconds * 1000));
    const idleEnd = performance.now();
    for (let c = 0; c < opts.cycles; c++) {
      const ti = performance.now();
      const imported = await versions.importUpload(body(), { mode: 'merge', actor });
      windows.import.push([ti, performance.now()]);
      importS.push((performance.now() - ti) / 1000);
      diff = { added: imported.added, changed: imported.changed, removed: imported.removed };
      // the admin reads the preview: the answers delayed by the import catch up before the apply
      await new Promise((r) => setTimeout(r, 3000));

      const ta = performance.now();
      const started = await versions.apply(imported.id, actor);
      if ('error' in started) throw new Error(`bench: apply refused: ${started.message}`);
      let settled = false;
      const done = versions.settled(imported.id).then(() => {
        settled = true;
        settledMax = Math.max(settledMax, (performance.now() - ta) / 1000);
      });
      // probing until the answer shows the change; after the service is done, a few more tries at most
      let tries = 3;
      let served = Number.NaN;
      for (;;) {
        if (await probeShowsChange().catch(() => false)) {
          served = (performance.now() - ta) / 1000;
          break;
        }
        if (settled && --tries === 0) break;
        await new Promise((r) => setTimeout(r, opts.probeMs ?? 100));
      }
      windows.apply.push([ta, performance.now()]);
      applyS.push(served);
      await done;
      if ((await versions.preview(imported.id))?.status !== 'applied') notApplied++;
      await new Promise((r) => setTimeout(r, 1000));

      const tr = performance.now();
      const back = await versions.activate(baseline, actor);
      if ('error' in back) throw new Error(`bench: rollback refused: ${back.message}`);
      windows.rollback.push([tr, performance.now()]);
      rollbackMax = Math.max(rollbackMax, (performance.now() - tr) / 1000);
      if (await probeShowsChange()) throw new Error('bench: after the rollback the answer still shows the change');
      await new Promise((r) => setTimeout(r, 1000));
    }
    await s.stop();

    const idle = s.asked.filter((a) => a.end <= idleEnd && a.start > 2000 + (s.asked[0]?.start ?? 0));
    const idleOutcome = new Map(idle.map((a) => [a.k, a.outcome]));
    const overlapping = (ws: [number, number][]) => s.asked.filter((a) => ws.some(([f, t]) => a.start <= t && a.end >= f));
    const stats = (xs: Asked[]): StreamStats => {
      const ms = xs.map((a) => a.end - a.start);
      const at = (p: number) => (ms.length ? opts.pct(ms, p) : Number.NaN);
      return { questions: xs.length, errors: xs.filter((a) => a.error).length, p50: at(50), p95: at(95), max: Math.max(0, ...ms) };
    };
    const inWindows = [...windows.import, ...windows.apply, ...windows.rollback];
    const outcomeChanged = overlapping(inWindows).filter((a) => idleOutcome.has(a.k) && idleOutcome.get(a.k) !== a.outcome).length;
    const sorted = [...applyS].sort((a, b) => a - b);
    return {
      openSeconds,
      procedures: kb.report.procedures,
      cycles: opts.cycles,
      importSeconds: [...importS].sort((a, b) => a - b)[Math.floor(importS.length / 2)]!,
      diff,
      applySeconds: { median: sorted[Math.floor(sorted.length / 2)]!, max: applyS.some(Number.isNaN) ? Number.NaN : sorted.at(-1)! },
      settledMax,
      rollbackMax,
      notApplied,
      idle: stats(idle),
      duringImport: stats(overlapping(windows.import)),
      duringApply: stats(overlapping(windows.apply)),
      duringRollback: stats(overlapping(windows.rollback)),
      outcomeChanged,
    };
  } finally {
    await kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
