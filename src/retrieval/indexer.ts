import type { Procedure } from '../knowledge/procedure.ts';
import type { Db, Queryable } from '../storage/db.ts';
import { toVectorLiteral } from '../storage/db.ts';
import { sha1 } from '../util/hash.ts';
import { type Chunk, chunkProcedure } from './chunker.ts';
import type { Embedder } from './embeddings/index.ts';
import { fold } from './text.ts';

export interface IndexProgress {
  phase: 'embedding' | 'writing';
  done: number;
  total: number;
}

export interface IndexReport {
  procedures: number;
  added: number;
  updated: number;
  removed: number;
  unchangedChunks: number;
  embeddedChunks: number;
  skipped: boolean;
}

export interface IndexOptions {
  /** The records, or a function that reads them: it is not called when `inputHash` shows nothing changed. */
  procedures: readonly Procedure[] | (() => readonly Procedure[] | Promise<readonly Procedure[]>);
  /** Citizens' names per procedure code, added to its overview chunk. */
  aliases?: ReadonlyMap<string, string[]>;
  embedder: Embedder;
  /** Identifies the whole input (catalogue + vocabulary); when it matches the last sync, nothing is done. */
  inputHash?: string;
  onProgress?: (p: IndexProgress) => void;
  /**
   * `procedures` are only the records that changed and `removed` the codes to drop; every other stored procedure
   * is left as it is, without being read, chunked or compared (a knowledge update applying a few changes).
   */
  partial?: { removed: readonly string[] };
  /** Runs last inside the writing transaction (e.g. marking the knowledge version that serves): throws to roll back. */
  inTransaction?: (tx: Queryable) => Promise<void>;
}

const BATCH = 1000;
/** A partial update of at least this many procedures refreshes the statistics as a full one does. */
const PARTIAL_VACUUM_FROM = 200;
/** Bump when what is derived from a record changes (chunking, search text), so stored rows are rebuilt. */
const INDEX_VERSION = 2;

/**
 * Brings the stored knowledge base in line with `procedures`, incrementally by content hash: unchanged chunks
 * keep their vectors, vectors are computed only for new or changed chunk text, and all writes happen in one
 * transaction so a failure part-way leaves the previous knowledge base serving.
 */
export async function indexProcedures(db: Db, opts: IndexOptions): Promise<IndexReport> {
  const { embedder } = opts;
  const metaKey = `indexed:${embedder.modelId}`;
  if (opts.inputHash) {
    const [row] = await db.query<{ value: string }>('SELECT value FROM kb_meta WHERE key = $1', [metaKey]);
    if (row?.value === `${INDEX_VERSION}:${opts.inputHash}`) {
      const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures');
      return { procedures: count?.n ?? 0, added: 0, updated: 0, removed: 0, unchangedChunks: 0, embeddedChunks: 0, skipped: true };
    }
  }

  const procedures = typeof opts.procedures === 'function' ? await opts.procedures() : opts.procedures;
  const desired = procedures.map((p) => {
    const aliases = opts.aliases?.get(p.code) ?? [];
    const chunks = chunkProcedure(p, aliases);
    const hash = sha1(`${INDEX_VERSION}\u0000${JSON.stringify(p)}\u0000${aliases.join('|')}\u0000${chunks.map((c) => c.contentHash).join(',')}`);
    return { p, chunks, aliases, hash };
  });
  // partial: only the rows of the codes concerned are read (and so only they can be removed)
  const scope = opts.partial ? [...desired.map((d) => d.p.code), ...opts.partial.removed] : null;
  const where = (column: string) => (scope ? ` WHERE ${column} = ANY($1::text[])` : '');
  const existingProcs = new Map(
    (await db.query<{ code: string; content_hash: string }>(`SELECT code, content_hash FROM procedures${where('code')}`, scope ? [scope] : [])).map(
      (r) => [r.code, r.content_hash],
    ),
  );
  const existingChunks = new Map(
    (await db.query<{ id: string; content_hash: string }>(`SELECT id, content_hash FROM chunks${where('code')}`, scope ? [scope] : [])).map((r) => [
      r.id,
      r.content_hash,
    ]),
  );
  const existingVectors = new Map(
    (
      await db.query<{ chunk_id: string; content_hash: string }>(
        `SELECT chunk_id, content_hash FROM chunk_embeddings WHERE model = $1${scope ? ' AND chunk_id IN (SELECT id FROM chunks WHERE code = ANY($2::text[]))' : ''}`,
        scope ? [embedder.modelId, scope] : [embedder.modelId],
      )
    ).map((r) => [r.chunk_id, r.content_hash]),
  );

  const changedProcs = desired.filter((d) => existingProcs.get(d.p.code) !== d.hash);
  const desiredCodes = new Set(desired.map((d) => d.p.code));
  const removedCodes = [...existingProcs.keys()].filter((c) => !desiredCodes.has(c));
  const allChunks = desired.flatMap((d) => d.chunks);
  const changedChunks = allChunks.filter((c) => existingChunks.get(c.id) !== c.contentHash);
  const toEmbed = allChunks.filter((c) => existingVectors.get(c.id) !== c.contentHash);
  const desiredChunkIds = new Set(allChunks.map((c) => c.id));
  const staleChunkIds = [...existingChunks.keys()].filter((id) => !desiredChunkIds.has(id));

  // Embedding first, outside the transaction: it is the slow part and may call a remote API.
  const vectors = new Map<string, number[]>();
  for (let i = 0; i < toEmbed.length; i += embedder.batchSize) {
    const batch = toEmbed.slice(i, i + embedder.batchSize);
    const out = await embedder.embeddings.embedDocuments(batch.map((c) => c.body));
    batch.forEach((c, j) => vectors.set(c.id, out[j]!));
    opts.onProgress?.({ phase: 'embedding', done: Math.min(i + batch.length, toEmbed.length), total: toEmbed.length });
  }

  await db.transaction(async (tx) => {
    if (removedCodes.length) await tx.query('DELETE FROM procedures WHERE code = ANY($1::text[])', [removedCodes]);
    if (staleChunkIds.length) await tx.query('DELETE FROM chunks WHERE id = ANY($1::text[])', [staleChunkIds]);
    const total = changedProcs.length + changedChunks.length + toEmbed.length;
    let done = 0;
    const tick = (n: number) => opts.onProgress?.({ phase: 'writing', done: (done += n), total });
    for (let i = 0; i < changedProcs.length; i += BATCH) {
      const batch = changedProcs.slice(i, i + BATCH);
      await upsertProcedures(tx, batch);
      tick(batch.length);
    }
    for (let i = 0; i < changedChunks.length; i += BATCH) {
      const batch = changedChunks.slice(i, i + BATCH);
      await upsertChunks(tx, batch);
      tick(batch.length);
    }
    for (let i = 0; i < toEmbed.length; i += BATCH) {
      const batch = toEmbed.slice(i, i + BATCH);
      await upsertVectors(tx, embedder.modelId, batch, vectors);
      tick(batch.length);
    }
    await opts.inTransaction?.(tx);
    if (opts.inputHash) {
      await tx.query(
        `INSERT INTO kb_meta (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [metaKey, `${INDEX_VERSION}:${opts.inputHash}`],
      );
    }
  });

  // Fresh statistics after bulk writes, or the planner keeps choosing sequential scans; VACUUM also merges the
  // GIN indexes' pending lists, which every full-text query would otherwise scan linearly.
  // (A partial update of a few records leaves the statistics valid: it would only stall the answers meanwhile.)
  const writes = changedProcs.length + removedCodes.length;
  if (writes > 0 && (!opts.partial || writes >= PARTIAL_VACUUM_FROM)) {
    for (const table of ['procedures', 'chunks', 'chunk_embeddings']) await db.exec(`VACUUM ANALYZE ${table}`);
  }

  const added = changedProcs.filter((d) => !existingProcs.has(d.p.code)).length;
  return {
    procedures: opts.partial ? ((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures'))[0]?.n ?? 0) : desired.length,
    added,
    updated: changedProcs.length - added,
    removed: removedCodes.length,
    unchangedChunks: allChunks.length - changedChunks.length,
    embeddedChunks: toEmbed.length,
    skipped: false,
  };
}

async function upsertProcedures(tx: Queryable, batch: { p: Procedure; hash: string; aliases: string[] }[]): Promise<void> {
  await tx.query(
    `INSERT INTO procedures (code, title, title_folded, levels, is_commune, field, url, record, content_hash, search_tsv)
     SELECT t.code, t.title, t.title_folded, string_to_array(t.levels, '|'), t.is_commune, t.field, t.url, t.record::jsonb, t.hash,
            setweight(to_tsvector('simple', t.title_folded), 'A') || setweight(to_tsvector('simple', t.aliases), 'B')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         AS t(code, title, title_folded, levels, is_commune, field, url, record, hash, aliases)
     ON CONFLICT (code) DO UPDATE SET title = EXCLUDED.title, title_folded = EXCLUDED.title_folded,
       levels = EXCLUDED.levels, is_commune = EXCLUDED.is_commune, field = EXCLUDED.field, url = EXCLUDED.url,
       record = EXCLUDED.record, content_hash = EXCLUDED.content_hash, search_tsv = EXCLUDED.search_tsv,
       updated_at = now()`,
    [
      batch.map((d) => d.p.code),
      batch.map((d) => d.p.title),
      batch.map((d) => fold(d.p.title)),
      batch.map((d) => d.p.levels.join('|')),
      batch.map((d) => isCommuneLevel(d.p)),
      batch.map((d) => d.p.field),
      batch.map((d) => d.p.url),
      batch.map((d) => JSON.stringify(d.p)),
      batch.map((d) => d.hash),
      batch.map((d) => fold(d.aliases.join(' '))),
    ],
  );
}

async function upsertChunks(tx: Queryable, batch: Chunk[]): Promise<void> {
  await tx.query(
    `INSERT INTO chunks (id, code, section, body, folded, tsv, content_hash)
     SELECT t.id, t.code, t.section, t.body, t.folded, to_tsvector('simple', t.folded), t.hash
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS t(id, code, section, body, folded, hash)
     ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, section = EXCLUDED.section, body = EXCLUDED.body,
       folded = EXCLUDED.folded, tsv = EXCLUDED.tsv, content_hash = EXCLUDED.content_hash`,
    [
      batch.map((c) => c.id),
      batch.map((c) => c.code),
      batch.map((c) => c.section),
      batch.map((c) => c.body),
      batch.map((c) => fold(c.body)),
      batch.map((c) => c.contentHash),
    ],
  );
}

async function upsertVectors(tx: Queryable, model: string, batch: Chunk[], vectors: Map<string, number[]>): Promise<void> {
  await tx.query(
    `INSERT INTO chunk_embeddings (chunk_id, model, content_hash, embedding)
     SELECT t.id, $1, t.hash, t.vec::vector FROM unnest($2::text[], $3::text[], $4::text[]) AS t(id, hash, vec)
     ON CONFLICT (chunk_id, model) DO UPDATE SET content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding`,
    [model, batch.map((c) => c.id), batch.map((c) => c.contentHash), batch.map((c) => toVectorLiteral(vectors.get(c.id)!))],
  );
}

export function isCommuneLevel(p: Pick<Procedure, 'levels'>): boolean {
  return p.levels.some((l) => fold(l) === 'cap xa');
}
