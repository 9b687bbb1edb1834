import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startApp } from '../src/app/server.ts';
import { loadConfig } from '../src/config.ts';

/**
 * The guided submission's step latency, through the whole product on PGlite (`startApp`, the web chat's
 * `POST /api/chat`, which answers in the response): `runs` citizens each start the guide for a birth registration,
 * answer every case question, see the checklist, choose online, say they submitted and give a dossier code. Every
 * request is one guide step; its wall time is measured as the citizen's page sees it.
 */
export interface GuideLatency {
  steps: number;
  p50: number;
  p95: number;
  /** p95 per kind of step: start, question, checklist (the last answer), channel, code. */
  byKind: Record<string, number>;
}

interface Msg {
  text: string;
  choices?: { id: string; label: string }[];
}

export async function guideLatency(knowledgeDir: string, runs: number, pct: (xs: number[], p: number) => number): Promise<GuideLatency> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-guide-'));
  // the requests come from many citizens (addresses by X-Forwarded-For), not one client flooding the chat
  const config = loadConfig({ KNOWLEDGE_DIR: knowledgeDir, DATA_DIR: dir, DATABASE_URL: '', PORT: '0', TRUST_PROXY: 'true' });
  const app = await startApp(config, { logger: pino({ level: 'silent' }) });
  await app.ready;
  const times: Record<string, number[]> = {};
  let n = 0;
  const post = async (kind: string, conversationId: string, body: Record<string, unknown>): Promise<Msg[]> => {
    n++;
    const t0 = performance.now();
    const res = await fetch(new URL('/api/chat', app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${n % 250}.${(n >> 8) % 250}` },
      body: JSON.stringify({ conversationId, messageId: `bench-guide-${n}`, seq: n, ...body }),
    });
    const out = ((await res.json()) as { messages?: Msg[] }).messages ?? [];
    (times[kind] ??= []).push(performance.now() - t0);
    return out;
  };
  try {
    for (let i = 0; i < runs; i++) {
      const id = `benchguide${String(i).padStart(6, '0')}`;
      await post('answer', id, { text: 'đăng ký khai sinh cần giấy tờ gì' });
      let r = await post('start', id, { choice: 'guide:start:1.001193' });
      for (let q = 0; q < 6 && /^\d\/\d\. /.test(r.at(-1)?.text ?? ''); q++) {
        const pick = r.at(-1)!.choices!.find((c) => c.label === (q % 2 ? 'Không rõ' : 'Không'))!;
        r = await post('question', id, { choice: pick.id });
      }
      await post('channel', id, { choice: 'guide:online' });
      await post('channel', id, { choice: 'guide:submitted' });
      await post('code', id, { text: `H56.14-${String(240000 + i)}-0001` });
    }
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const guideSteps = Object.entries(times).filter(([k]) => k !== 'answer').flatMap(([, v]) => v);
  return {
    steps: guideSteps.length,
    p50: pct(guideSteps, 50),
    p95: pct(guideSteps, 95),
    byKind: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, pct(v, 95)])),
  };
}
