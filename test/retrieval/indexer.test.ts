import { Embeddings } from '@langchain/core/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingEmbeddings } from '../../src/retrieval/embeddings/hashing.ts';
import type { Embedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { EMPTY_VOCABULARY } from '../../src/knowledge/vocabulary.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { makeProcedure } from '../helpers/procedures.ts';

/** Counts what it is asked to embed; can be told to fail, like a remote API that goes down mid-way. */
class CountingEmbeddings extends Embeddings {
  calls: string[][] = [];
  failAfter = Infinity;
  private readonly inner = new HashingEmbeddings({ dimensions: 64 });
  constructor() {
    super({});
  }
  async embedDocuments(texts: string[]) {
    if (this.calls.length >= this.failAfter) throw new Error('embedding service down');
    this.calls.push(texts);
    return this.inner.embedDocuments(texts);
  }
  embedQuery(text: string) {
    return this.inner.embedQuery(text);
  }
}

const embedderOf = (embeddings: Embeddings, modelId = 'counting-64'): Embedder => ({
  embeddings,
  modelId,
  dimensions: 64,
  batchSize: 2,
});

const khaiSinh = makeProcedure({ code: '1.001193', title: 'Thủ tục đăng ký khai sinh' });
const ketHon = makeProcedure({ code: '1.000894', title: 'Thủ tục đăng ký kết hôn' });
const khaiTu = makeProcedure({ code: '1.000656', title: 'Thủ tục đăng ký khai tử' });

describe('indexProcedures', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('indexes every section chunk with its vector, then re-embeds only what changed', async () => {
    const emb = new CountingEmbeddings();
    const first = await indexProcedures(t.db, { procedures: [khaiSinh, ketHon], embedder: embedderOf(emb) });
    expect(first.added).toBe(2);
    const chunkCount = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks'))[0]!.n;
    expect(first.embeddedChunks).toBe(chunkCount);
    expect(chunkCount).toBeGreaterThanOrEqual(8); // overview, documents, time_fees, steps, legal ×2

    emb.calls = [];
    const again = await indexProcedures(t.db, { procedures: [khaiSinh, ketHon], embedder: embedderOf(emb) });
    expect(again.embeddedChunks).toBe(0);
    expect(emb.calls).toHaveLength(0);

    const changed = { ...ketHon, steps: ['Bước 1: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công.'] };
    const third = await indexProcedures(t.db, { procedures: [khaiSinh, changed], embedder: embedderOf(emb) });
    expect(third.updated).toBe(1);
    expect(third.embeddedChunks).toBe(1);
    expect(emb.calls.flat()[0]).toContain('Trung tâm Phục vụ hành chính công');
  });

  it('removes procedures that left the listing, chunks and vectors included', async () => {
    const emb = new CountingEmbeddings();
    const r = await indexProcedures(t.db, { procedures: [khaiSinh], embedder: embedderOf(emb) });
    expect(r.removed).toBe(1);
    const left = await t.db.query<{ code: string }>('SELECT DISTINCT code FROM chunks');
    expect(left.map((x) => x.code)).toEqual(['1.001193']);
    const vectors = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM chunk_embeddings WHERE chunk_id LIKE '1.000894#%'`,
    );
    expect(vectors[0]!.n).toBe(0);
  });

  it('leaves the previous knowledge base serving when an ingest fails part-way', async () => {
    const emb = new CountingEmbeddings();
    emb.failAfter = 1;
    await expect(
      indexProcedures(t.db, { procedures: [khaiSinh, ketHon, khaiTu], embedder: embedderOf(emb) }),
    ).rejects.toThrow('embedding service down');
    const codes = await t.db.query<{ code: string }>('SELECT code FROM procedures ORDER BY code');
    expect(codes.map((c) => c.code)).toEqual(['1.001193']);
    const search = await ProcedureSearch.create(t.db, embedderOf(new CountingEmbeddings()), EMPTY_VOCABULARY);
    expect((await search.search('khai sinh')).hits[0]?.code).toBe('1.001193');
  });

  it('keeps vectors of two embedding models apart and searches only the current one', async () => {
    const a = embedderOf(new CountingEmbeddings(), 'model-a');
    const b = embedderOf(new CountingEmbeddings(), 'model-b');
    await indexProcedures(t.db, { procedures: [khaiSinh, ketHon], embedder: a });
    const rb = await indexProcedures(t.db, { procedures: [khaiSinh, ketHon], embedder: b });
    const chunks = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks'))[0]!.n;
    expect(rb.embeddedChunks).toBe(chunks); // a new model re-embeds everything
    const perModel = await t.db.query<{ model: string; n: number }>(
      `SELECT model, count(*)::int AS n FROM chunk_embeddings WHERE model IN ('model-a','model-b') GROUP BY model ORDER BY model`,
    );
    expect(perModel).toEqual([
      { model: 'model-a', n: chunks },
      { model: 'model-b', n: chunks },
    ]);
  });

  it('skips all work when the input is unchanged since the last sync', async () => {
    const emb = new CountingEmbeddings();
    const e = embedderOf(emb, 'model-c');
    await indexProcedures(t.db, { procedures: [khaiSinh], embedder: e, inputHash: 'h1' });
    const r = await indexProcedures(t.db, { procedures: [khaiSinh], embedder: e, inputHash: 'h1' });
    expect(r.skipped).toBe(true);
  });
});

describe('indexProcedures with records read on demand', () => {
  it('does not read the records when the input hash shows nothing changed', async () => {
    const t = await openTestDb();
    try {
      const e = embedderOf(new CountingEmbeddings(), 'model-lazy');
      let reads = 0;
      const read = () => {
        reads++;
        return [khaiSinh, ketHon];
      };
      const first = await indexProcedures(t.db, { procedures: read, embedder: e, inputHash: 'same' });
      expect(first.added).toBe(2);
      const second = await indexProcedures(t.db, { procedures: read, embedder: e, inputHash: 'same' });
      expect(second).toMatchObject({ skipped: true, procedures: 2 });
      expect(reads).toBe(1);
    } finally {
      await t.cleanup();
    }
  });
});
