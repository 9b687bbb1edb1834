import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { EMPTY_VOCABULARY } from '../../src/knowledge/vocabulary.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { startFakeOpenAI } from '../fakes/openai-server.ts';
import { makeProcedure } from '../helpers/procedures.ts';

describe('API embeddings (OpenAIEmbeddings against a local OpenAI-compatible server)', () => {
  let t: TestDb;
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  beforeAll(async () => {
    t = await openTestDb();
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
    await t.cleanup();
  });

  const procedures = [
    makeProcedure({ code: '1.001193', title: 'Thủ tục đăng ký khai sinh' }),
    makeProcedure({ code: '1.000894', title: 'Thủ tục đăng ký kết hôn' }),
  ];

  it('embeds through the API, stores the vectors under that model, and searches with them', async () => {
    const embedder = createEmbedder({
      kind: 'openai',
      apiKey: 'sk-fake',
      baseUrl: fake.baseURL,
      model: 'text-embedding-3-small',
      dimensions: 64,
    });
    expect(embedder.modelId).toBe('openai:text-embedding-3-small:64');
    const report = await indexProcedures(t.db, { procedures, embedder });
    expect(report.embeddedChunks).toBeGreaterThan(0);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests[0]).toMatchObject({ model: 'text-embedding-3-small', dimensions: 64 });
    const [row] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM chunk_embeddings WHERE model = 'openai:text-embedding-3-small:64'`,
    );
    expect(row!.n).toBe(report.embeddedChunks);
    const search = await ProcedureSearch.create(t.db, embedder, EMPTY_VOCABULARY);
    expect((await search.search('đăng ký kết hôn')).hits[0]?.code).toBe('1.000894');
  });

  it('re-embeds everything with the offline model after a switch, leaving the API vectors apart', async () => {
    const offline = createEmbedder({ kind: 'offline', dimensions: 64 });
    const before = fake.requests.length;
    const report = await indexProcedures(t.db, { procedures, embedder: offline });
    expect(report.embeddedChunks).toBeGreaterThan(0);
    expect(fake.requests.length).toBe(before);
    const models = await t.db.query<{ model: string }>('SELECT DISTINCT model FROM chunk_embeddings ORDER BY model');
    expect(models.map((m) => m.model)).toEqual(['hashing-v1-64', 'openai:text-embedding-3-small:64']);
  });
});
