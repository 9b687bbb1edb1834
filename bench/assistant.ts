import { loadCasePhrases } from '../src/knowledge/case-phrases.ts';
import { loadIntents } from '../src/knowledge/intents.ts';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { Assistant, type AssistantDeps } from '../src/assistant/assistant.ts';
import { CheckedLlmAnswer } from '../src/assistant/llm-step.ts';
import { createChatModel } from '../src/assistant/llm/chat-model.ts';
import { type LlmAnswerInput, LlmAnswerer } from '../src/assistant/llm/llm-answerer.ts';
import { LlmRouter, type RouteContext } from '../src/assistant/llm/llm-router.ts';
import { EMPTY_PROFILE } from '../src/knowledge/commune-profile.ts';
import type { ProcedureSearch } from '../src/retrieval/search.ts';
import { ConversationStore } from '../src/storage/conversation-store.ts';
import type { Db } from '../src/storage/db.ts';
import { ProcedureStore } from '../src/storage/procedure-store.ts';
import { TurnLog } from '../src/storage/turn-log.ts';
import { startFakeOpenAI } from '../test/fakes/openai-server.ts';

/**
 * Assistant latency: `handle()` end to end (rules, retrieval, answer, conversation state and turn record) over
 * the labelled question sets, offline; and in LLM mode against the local fake OpenAI server, where the time spent
 * inside the two LLM calls is subtracted to leave what the pipeline adds around them.
 */
export function assistantQuestions(n: number): string[] {
  const qs = ['assistant-dev.jsonl', 'dev-questions.jsonl']
    .map((f) => path.resolve('test/fixtures', f))
    .filter((f) => fs.existsSync(f))
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).question as string));
  return Array.from({ length: n }, (_, i) => qs[i % qs.length]!);
}

export interface Latency {
  p50: number;
  p95: number;
  mean: number;
}

const KNOWLEDGE = path.resolve('knowledge');

const summary = (ms: number[], pct: (xs: number[], p: number) => number): Latency => ({
  p50: pct(ms, 50),
  p95: pct(ms, 95),
  mean: ms.reduce((a, b) => a + b, 0) / ms.length,
});

function baseDeps(db: Db, search: ProcedureSearch): AssistantDeps {
  return {
    search,
    procedures: new ProcedureStore(db),
    conversations: new ConversationStore(db),
    turns: new TurnLog(db),
    profile: EMPTY_PROFILE,
    logger: pino({ level: 'silent' }),
  };
}

export async function offlineAskLatency(
  db: Db,
  search: ProcedureSearch,
  questions: string[],
  pct: (xs: number[], p: number) => number,
): Promise<Latency & { stepShare: Record<string, number> }> {
  const assistant = new Assistant({ ...baseDeps(db, search), casePhrases: loadCasePhrases(KNOWLEDGE), intents: loadIntents(KNOWLEDGE) });
  for (const [i, q] of questions.slice(0, 20).entries()) await assistant.handle({ conversationId: `bench:warm:${i}`, channel: 'bench', text: q });
  const ms: number[] = [];
  const perStep: Record<string, number> = {};
  for (const [i, q] of questions.entries()) {
    const t0 = performance.now();
    const r = await assistant.handle({ conversationId: `bench:offline:${i}`, channel: 'bench', text: q });
    ms.push(performance.now() - t0);
    for (const [step, t] of Object.entries(r.timings)) perStep[step] = (perStep[step] ?? 0) + (t ?? 0);
  }
  const total = Object.values(perStep).reduce((a, b) => a + b, 0) || 1;
  const stepShare = Object.fromEntries(Object.entries(perStep).map(([k, v]) => [k, v / total]));
  return { ...summary(ms, pct), stepShare };
}

/** LLM mode against the fake server: total latency, time inside the LLM calls, and the difference. */
export async function llmOverhead(
  db: Db,
  search: ProcedureSearch,
  questions: string[],
  pct: (xs: number[], p: number) => number,
): Promise<{ total: Latency; llm: Latency; overhead: Latency; llmShare: number }> {
  const fake = await startFakeOpenAI();
  let inLlm = 0;
  let calls = 0;
  const settings = { apiKey: 'sk-fake', baseUrl: fake.baseURL, model: 'gpt-4o-mini', timeoutMs: 10_000 };
  class TimedRouter extends LlmRouter {
    override async classify(text: string, ctx?: RouteContext) {
      const t0 = performance.now();
      try {
        return await super.classify(text, ctx);
      } finally {
        inLlm += performance.now() - t0;
        calls++;
      }
    }
  }
  class TimedAnswerer extends LlmAnswerer {
    override async answer(input: LlmAnswerInput) {
      const t0 = performance.now();
      try {
        return await super.answer(input);
      } finally {
        inLlm += performance.now() - t0;
        calls++;
      }
    }
  }
  fake.chat.respond((body) => {
    const name = (body as { response_format?: { json_schema?: { name?: string } } }).response_format?.json_schema?.name;
    if (name === 'route_message') return { label: 'procedure', aspect: null, language: 'vi' };
    return { answer: 'Xem hướng dẫn ở trang chính thức.', completeness: 'partial', sources_used: [] };
  });
  const logger = pino({ level: 'silent' });
  const assistant = new Assistant({
    ...baseDeps(db, search),
    llm: {
      router: new TimedRouter(createChatModel(settings, 'router')),
      answer: new CheckedLlmAnswer(new TimedAnswerer(createChatModel(settings)), logger),
    },
  });
  const total: number[] = [];
  const llm: number[] = [];
  try {
    for (const [i, q] of questions.entries()) {
      inLlm = 0;
      const t0 = performance.now();
      await assistant.handle({ conversationId: `bench:llm:${i}`, channel: 'bench', text: q });
      total.push(performance.now() - t0);
      llm.push(inLlm);
    }
  } finally {
    await fake.close();
  }
  const overhead = total.map((t, i) => t - llm[i]!);
  return { total: summary(total, pct), llm: summary(llm, pct), overhead: summary(overhead, pct), llmShare: calls / questions.length };
}
