import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { retrievalMetrics } from '../../src/retrieval/metrics.ts';
import { QueryError } from '../../src/retrieval/query.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { ensureVectorIndex } from '../../src/retrieval/vector-index.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/** Retrieval over the whole committed knowledge base, judged on question sets with known answers. */
const KNOWLEDGE = path.resolve('knowledge');
const fixtures = (name: string) =>
  fs
    .readFileSync(path.resolve('test/fixtures', name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; question: string; gold_codes?: string[]; acceptable_codes?: string[] });

describe('hybrid search over the national listing', () => {
  let t: TestDb;
  let search: ProcedureSearch;

  beforeAll(async () => {
    t = await openTestDb();
    const embedder = createEmbedder({ kind: 'offline', dimensions: 512 });
    const vocabulary = loadVocabulary(KNOWLEDGE);
    await indexProcedures(t.db, {
      procedures: loadCatalogue(KNOWLEDGE),
      aliases: aliasesByCode(vocabulary),
      embedder,
    });
    await ensureVectorIndex(t.db, embedder);
    search = await ProcedureSearch.create(t.db, embedder, vocabulary);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const judge = async (file: string) => {
    const items = fixtures(file);
    const judged = [];
    for (const q of items) {
      const res = await search.search(q.question);
      judged.push({ ranked: res.hits.map((h) => h.code), gold: q.gold_codes!, acceptable: q.acceptable_codes });
    }
    return retrievalMetrics(judged);
  };

  it('finds the right procedure for the development set (regression guard)', async () => {
    const m = await judge('dev-questions.jsonl');
    expect(m.n).toBeGreaterThanOrEqual(150);
    expect(m.hit3).toBeGreaterThanOrEqual(0.95);
    expect(m.hit1).toBeGreaterThanOrEqual(0.85);
  });

  it('generalises to the hold-out sets written apart from the tuning', async () => {
    const a = await judge('holdout-questions.jsonl');
    const b = await judge('holdout2-questions.jsonl');
    const n = a.n + b.n;
    expect((a.hit3 * a.n + b.hit3 * b.n) / n).toBeGreaterThanOrEqual(0.85);
    expect((a.hit1 * a.n + b.hit1 * b.n) / n).toBeGreaterThanOrEqual(0.68);
  });

  it('answers title-style questions from the portal FAQ', async () => {
    const m = await judge('dvc-faq.jsonl');
    expect(m.hit3).toBeGreaterThanOrEqual(0.9);
  });

  it('understands slang and obsolete names', async () => {
    expect((await search.search('cho em hỏi cắt khẩu cho mẹ ở đâu')).hits[0]?.code).toBe('1.003197');
    expect((await search.search('xin giấy xác nhận độc thân để cưới')).hits[0]?.code).toBe('1.004873');
    expect((await search.search('photo công chứng cái bằng đại học')).hits[0]?.code).toBe('2.000815');
  });

  it('ranks a question typed without diacritics like the same one with them', async () => {
    const a = await search.search('đăng ký kết hôn cần giấy tờ gì');
    const b = await search.search('dang ky ket hon can giay to gi');
    expect(b.hits.slice(0, 3).map((h) => h.code)).toEqual(a.hits.slice(0, 3).map((h) => h.code));
    expect(a.hits[0]?.code).toBe('1.000894');
  });

  it('prefers the commune-level variant unless the question names another level', async () => {
    expect((await search.search('cấp lại thẻ căn cước')).hits[0]?.code).toBe('1.014064');
    expect((await search.search('cấp lại thẻ căn cước ở cấp tỉnh')).hits[0]?.code).toBe('2.001194');
  });

  it('lets the question choose the variant the vocabulary does not name', async () => {
    const res = await search.search('em muốn đăng ký kết hôn với bạn trai người Hàn Quốc');
    expect(res.hits[0]?.code).toBe('2.000806');
  });

  it('says nothing really matches for questions outside the listing', async () => {
    const oos = fixtures('out-of-scope.jsonl');
    let flagged = 0;
    for (const q of oos) if ((await search.search(q.question)).noMatch) flagged++;
    expect(flagged / oos.length).toBeGreaterThanOrEqual(0.9);
    let inScopeFlagged = 0;
    const dev = fixtures('dev-questions.jsonl');
    for (const q of dev) if ((await search.search(q.question)).noMatch) inScopeFlagged++;
    expect(inScopeFlagged / dev.length).toBeLessThanOrEqual(0.06);
  });

  it('returns the sections that matched, with their text on request', async () => {
    const res = await search.search('đăng ký khai sinh cần giấy chứng sinh không', { limit: 3, withBodies: true });
    const top = res.hits[0]!;
    expect(top.code).toBe('1.001193');
    expect(top.url).toMatch(/^https:\/\/dichvucong\.gov\.vn\//);
    const documents = top.chunks.find((c) => c.section === 'documents');
    expect(documents?.body).toContain('Giấy chứng sinh');
    expect(Object.keys(top.routes).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses empty, huge and binary questions with a clear error', async () => {
    await expect(search.search('   ')).rejects.toThrow(QueryError);
    await expect(search.search('a'.repeat(2001))).rejects.toThrow(/2000/);
    await expect(search.search('\u0000\u0001\u0002')).rejects.toThrow(QueryError);
  });
});
