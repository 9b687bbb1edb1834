import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { LiveSearch } from '../../src/services/knowledge-versions/live-search.ts';
import { KnowledgeVersions, VERSION_MESSAGES } from '../../src/services/knowledge-versions/service.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import { KnowledgeVersionStore } from '../../src/storage/knowledge-version-store.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { breakableEmbedder, nationalLines, withFee } from './knowledge-app.ts';

const TAM_TRU = '1.004194';
const GIAM_HO = '1.004837';
const ACTOR = { id: null, username: 'quantri' };
const body = (lines: string[]) => Readable.from([Buffer.from(lines.join('\n'))]);
const newFee = () => nationalLines([TAM_TRU]).map((l) => withFee(l, 'Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng', 'Trực tuyến3 Ngày làm việc9,000 Việt Nam Đồng'));

describe('knowledge versions: failures and the search after a switch', () => {
  let t: TestDb;
  let embedder: ReturnType<typeof breakableEmbedder>;
  let live: LiveSearch;
  let versions: KnowledgeVersions;
  const vocabulary = loadVocabulary(SMALL_KB);

  beforeAll(async () => {
    t = await openTestDb();
    embedder = breakableEmbedder();
    await indexProcedures(t.db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
    live = LiveSearch.from(await ProcedureSearch.create(t.db, embedder, vocabulary), { db: t.db, embedder, vocabulary });
    versions = new KnowledgeVersions({ db: t.db, embedder, vocabulary, audit: new AuditLog(t.db), logger: pino({ level: 'silent' }), onActivated: () => live.reload() });
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it('an apply that fails part-way leaves the previous version serving, and says why', async () => {
    const { id } = await versions.importUpload(body(newFee()), { mode: 'merge', actor: ACTOR });
    embedder.failing = true;
    try {
      expect(await versions.apply(id, ACTOR)).toEqual({ id, status: 'applying' });
      await versions.settled(id);
    } finally {
      embedder.failing = false;
    }
    expect(await versions.preview(id)).toMatchObject({ status: 'failed', failure: 'embedding service down', versionId: null });
    expect((await new ProcedureStore(t.db).get(TAM_TRU))!.channels.map((c) => c.feeText)).toContain('7,000 Việt Nam Đồng');
    expect((await new KnowledgeVersionStore(t.db).list()).map((v) => [v.id, v.active])).toEqual([[1, true]]);
    // a failed import is not applied again; the same file uploaded anew is
    expect(await versions.apply(id, ACTOR)).toMatchObject({ error: 'conflict' });
    const again = await versions.importUpload(body(newFee()), { mode: 'merge', actor: ACTOR });
    await versions.apply(again.id, ACTOR);
    await versions.settled(again.id);
    expect((await versions.preview(again.id))?.status).toBe('applied');
    expect((await new ProcedureStore(t.db).get(TAM_TRU))!.channels.map((c) => c.feeText)).toContain('9,000 Việt Nam Đồng');
  }, 60_000);

  it('a procedure the import adds is found by the search once its version serves (title statistics reloaded)', async () => {
    const before = await ProcedureSearch.create(t.db, embedder, vocabulary);
    expect((await live.search('đăng ký giám hộ')).hits.map((h) => h.code)).not.toContain(GIAM_HO);
    const { id, added } = await versions.importUpload(body(nationalLines([GIAM_HO])), { mode: 'merge', actor: ACTOR });
    expect(added).toBe(1);
    await versions.apply(id, ACTOR);
    await versions.settled(id);
    expect((await live.search('đăng ký giám hộ')).hits[0]?.code).toBe(GIAM_HO);
    // a search built before the switch knows nothing of its title: what the reload is for
    expect((await before.search('đăng ký giám hộ')).hits.map((h) => h.code)).not.toContain(GIAM_HO);
  }, 60_000);

  it('one change at a time: a second apply while one runs is refused', async () => {
    const a = await versions.importUpload(body(nationalLines(['1.004845'])), { mode: 'merge', actor: ACTOR });
    const b = await versions.importUpload(body(nationalLines(['1.004746'])), { mode: 'merge', actor: ACTOR });
    expect(await versions.apply(a.id, ACTOR)).toMatchObject({ status: 'applying' });
    expect(await versions.apply(b.id, ACTOR)).toMatchObject({ error: 'conflict' });
    await versions.settled(a.id);
    // b was compared with the version before a: stale now
    expect(await versions.apply(b.id, ACTOR)).toMatchObject({ error: 'conflict', message: expect.stringContaining('đã thay đổi') });
  }, 60_000);

  it('two applies asked at the same moment: one starts, the other is refused as busy (not left to fail later)', async () => {
    const a = await versions.importUpload(body(nationalLines(['1.004845', '1.004746'])), { mode: 'merge', actor: ACTOR });
    const b = await versions.importUpload(body(nationalLines([TAM_TRU])), { mode: 'merge', actor: ACTOR });
    const [ra, rb] = await Promise.all([versions.apply(a.id, ACTOR), versions.apply(b.id, ACTOR)]);
    expect(ra).toMatchObject({ status: 'applying' });
    expect(rb).toMatchObject({ error: 'conflict', message: VERSION_MESSAGES.busy });
    await versions.settled(a.id);
    expect((await versions.preview(b.id))?.status).toBe('previewed');
  }, 60_000);
});

describe('version 1 while no import was applied', () => {
  let t: TestDb;
  afterAll(async () => {
    await t?.cleanup();
  });

  it('follows the committed file when a deploy re-indexes it; previews made on the old one become stale', async () => {
    t = await openTestDb();
    const embedder = createEmbedder({ kind: 'offline', dimensions: 256 });
    const vocabulary = loadVocabulary(SMALL_KB);
    const catalogue = loadCatalogue(SMALL_KB);
    await indexProcedures(t.db, { procedures: catalogue, aliases: aliasesByCode(vocabulary), embedder });
    const versions = new KnowledgeVersions({ db: t.db, embedder, vocabulary, audit: new AuditLog(t.db), logger: pino({ level: 'silent' }) });
    const { id } = await versions.importUpload(body(newFee()), { mode: 'merge', actor: ACTOR });
    // a deploy: the committed file changed (one procedure fewer) and was re-indexed at start
    await indexProcedures(t.db, { procedures: catalogue.filter((p) => p.code !== GIAM_HO && p.code !== TAM_TRU), aliases: aliasesByCode(vocabulary), embedder });
    const [v1] = await versions.versions();
    expect(v1).toMatchObject({ id: 1, active: true, counts: { procedures: catalogue.length - 1 } });
    expect((await new KnowledgeVersionStore(t.db).catalogue(1)).map((p) => p.code)).not.toContain(TAM_TRU);
    expect(await versions.preview(id)).toMatchObject({ status: 'failed', failure: expect.stringContaining('đã thay đổi') });
    expect(await versions.apply(id, ACTOR)).toMatchObject({ error: 'conflict' });
    // an import made now compares with the re-indexed file
    expect(await versions.importUpload(body(newFee()), { mode: 'merge', actor: ACTOR })).toMatchObject({ added: 1, changed: 0 });
  }, 60_000);
});
