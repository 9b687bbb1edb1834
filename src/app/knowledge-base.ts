import path from 'node:path';
import type { Config } from '../config.ts';
import { catalogueHash, loadCatalogue } from '../knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary, type Vocabulary } from '../knowledge/vocabulary.ts';
import type { Db } from '../storage/db.ts';
import { openDatabase } from '../storage/open.ts';
import { createEmbedder, type Embedder } from '../retrieval/embeddings/index.ts';
import { type IndexProgress, type IndexReport, indexProcedures } from '../retrieval/indexer.ts';
import { ProcedureSearch } from '../retrieval/search.ts';
import { ensureVectorIndex } from '../retrieval/vector-index.ts';
import { versionInputHash } from '../services/knowledge-versions/service.ts';
import { KnowledgeVersionStore } from '../storage/knowledge-version-store.ts';
import { sha1 } from '../util/hash.ts';

export interface KnowledgeBase {
  db: Db;
  embedder: Embedder;
  vocabulary: Vocabulary;
  search: ProcedureSearch;
  report: IndexReport;
  close(): Promise<void>;
}

/**
 * Opens storage, brings the index in line with the committed knowledge base (a no-op when nothing changed since
 * the last start) and returns a ready search engine. Shared by `npm start`, `search`, `eval` and the benchmarks.
 */
export async function openKnowledgeBase(
  config: Config,
  opts: { onProgress?: (p: IndexProgress) => void; db?: Db } = {},
): Promise<KnowledgeBase> {
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    const embedder = createEmbedder(config.embeddings);
    const vocabulary = loadVocabulary(config.knowledgeDir);
    // once an admin applied an import, the active knowledge version in the database is the knowledge base, not the
    // committed file (src/services/knowledge-versions/)
    const versions = new KnowledgeVersionStore(db);
    const serving = await versions.serving();
    const report = await indexProcedures(db, {
      // parsed only when the committed files changed since the last sync: later starts stay fast
      procedures: serving ? () => versions.catalogue(serving.id) : () => loadCatalogue(config.knowledgeDir),
      aliases: aliasesByCode(vocabulary),
      embedder,
      inputHash: serving ? versionInputHash(serving.contentHash, vocabulary) : sha1(catalogueHash(config.knowledgeDir) + JSON.stringify(vocabulary)),
      onProgress: opts.onProgress,
    });
    if (!report.skipped) await ensureVectorIndex(db, embedder);
    const search = await ProcedureSearch.create(db, embedder, vocabulary);
    return { db, embedder, vocabulary, search, report, close: () => db.close() };
  } catch (err) {
    if (!opts.db) await db.close();
    throw err;
  }
}

export function describeStorage(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL server' : `PGlite in ${path.join(config.dataDir, 'pglite')}`;
}
