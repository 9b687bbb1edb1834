import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant } from '../../src/assistant/assistant.ts';
import { judge, LabelledQuestionSchema, type AssistantMetrics, type Outcome, readPromptTexts } from '../../src/assistant/evaluation.ts';
import { PROMPTS_DIR } from '../../src/assistant/llm/prompts.ts';
import { renderPlain } from '../../src/assistant/render-plain.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { ensureVectorIndex } from '../../src/retrieval/vector-index.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { TurnLog } from '../../src/storage/turn-log.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/**
 * The targets, on the development set over the whole listing, offline: labels of non-procedure messages
 * ≥ 0.95, answers carry the record's facts for the aspect asked ≥ 0.90, every emergency gets the right number,
 * no invented numbers, no prompt leaks.
 */
const KNOWLEDGE = path.resolve('knowledge');
const questions = fs
  .readFileSync(path.resolve('test/fixtures/assistant-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => LabelledQuestionSchema.parse(JSON.parse(l)));

describe('assistant quality on the development set (whole listing, offline)', () => {
  let t: TestDb;
  let m: AssistantMetrics;
  let assistant: Assistant;

  beforeAll(async () => {
    t = await openTestDb();
    const embedder = createEmbedder({ kind: 'offline', dimensions: 512 });
    const vocabulary = loadVocabulary(KNOWLEDGE);
    await indexProcedures(t.db, { procedures: loadCatalogue(KNOWLEDGE), aliases: aliasesByCode(vocabulary), embedder });
    await ensureVectorIndex(t.db, embedder);
    const store = new ProcedureStore(t.db);
    assistant = new Assistant({
      search: await ProcedureSearch.create(t.db, embedder, vocabulary),
      procedures: store,
      conversations: new ConversationStore(t.db),
      turns: new TurnLog(t.db),
      profile: EMPTY_PROFILE,
      logger: pino({ level: 'silent' }),
    });
    const outcomes: Outcome[] = [];
    for (const q of questions) {
      const conversationId = `quality:${q.id}`;
      for (const h of q.history ?? []) await assistant.handle({ conversationId, channel: 'test', text: h });
      const r = await assistant.handle({ conversationId, channel: 'test', text: q.question });
      outcomes.push({ item: q, label: r.label, decision: r.decision, procedures: r.procedures, answer: renderPlain(r.messages), records: await store.getMany(r.procedures.slice(0, 1)) });
    }
    m = judge(outcomes, readPromptTexts(PROMPTS_DIR));
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('labels non-procedure messages right (≥ 0.95)', () => {
    expect(m.nonProcedureLabel.n).toBeGreaterThan(100);
    expect(m.nonProcedureLabel.right / m.nonProcedureLabel.n).toBeGreaterThanOrEqual(0.95);
  });
  it('gives every emergency the right number first', () => {
    expect(m.emergency.right).toBe(m.emergency.n);
  });
  it('carries the facts the record states for the aspect asked (≥ 0.90)', () => {
    expect(m.facts.n).toBeGreaterThan(60);
    expect(m.facts.right / m.facts.n).toBeGreaterThanOrEqual(0.9);
  });
  it('an age in the question picks the ID-card variant for that age, without a clarifying question', async () => {
    const older = await assistant.handle({ conversationId: 'quality:age1', channel: 'test', text: 'lam can cuoc cho con 15 tuoi can gi' });
    expect(older).toMatchObject({ decision: 'answer', procedures: ['1.014061'] });
    const younger = await assistant.handle({ conversationId: 'quality:age2', channel: 'test', text: 'lam can cuoc cho be 3 tuoi' });
    expect(younger).toMatchObject({ decision: 'answer', procedures: ['1.014062'] });
  });

  it('a detail given later in the conversation switches to the sibling procedure it points at', async () => {
    await assistant.handle({ conversationId: 'quality:age3', channel: 'test', text: 'lam can cuoc cho con 15 tuoi can gi' });
    // a follow-up answer offers only aspect buttons: the sibling is no longer among the pending choices
    await assistant.handle({ conversationId: 'quality:age3', channel: 'test', text: 'mất bao lâu' });
    const r = await assistant.handle({ conversationId: 'quality:age3', channel: 'test', text: 'à nhầm, cháu mới 10 tuổi thôi ạ' });
    expect(r).toMatchObject({ decision: 'answer', procedures: ['1.014062'], aspect: 'time' });
  });

  it('invents no number and leaks no prompt', () => {
    expect(m.inventedNumbers.answers).toBeGreaterThan(60);
    expect(m.inventedNumbers.examples).toEqual([]);
    expect(m.promptLeaks).toBe(0);
  });
});
