import { type Procedure, ProcedureSchema } from '../knowledge/procedure.ts';
import { sha1 } from '../util/hash.ts';
import type { Queryable } from './db.ts';

export interface VersionCounts {
  procedures: number;
  added: number;
  removed: number;
  changed: number;
}

export interface KnowledgeVersion {
  id: number;
  importId: number | null;
  createdBy: string | null;
  createdAt: string;
  counts: VersionCounts;
  contentHash: string;
  indexFingerprint: string | null;
  active: boolean;
}

export type ImportStatus = 'previewed' | 'applying' | 'applied' | 'failed';

export interface StoredImport {
  id: number;
  createdBy: string | null;
  createdAt: string;
  format: string;
  origin: string;
  mode: string;
  baseVersion: number;
  diff: unknown;
  summary: unknown;
  errors: unknown;
  status: ImportStatus;
  progress: unknown;
  failure: string | null;
  versionId: number | null;
}

export interface NewImport {
  createdBy: string | null;
  format: string;
  origin: string;
  mode: string;
  baseVersion: number;
  recordsGz: string;
  diff: unknown;
  summary: unknown;
  errors: unknown;
}

const BATCH = 500;

/** How a record is stored and shared between versions. */
export const recordHash = (p: Procedure): string => sha1(JSON.stringify(p));

/** Identifies a whole catalogue by its records (code → record hash, order-free): equal catalogues, equal hashes. */
export function contentHashOf(items: ReadonlyMap<string, string>): string {
  return sha1(
    [...items]
      .map(([code, hash]) => `${code}:${hash}`)
      .sort()
      .join(','),
  );
}
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const iso = (v: unknown): string => new Date(v as string).toISOString();

function toVersion(r: Record<string, unknown>): KnowledgeVersion {
  return {
    id: Number(r.id),
    importId: r.import_id === null ? null : Number(r.import_id),
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: iso(r.created_at),
    counts: json(r.counts) as VersionCounts,
    contentHash: String(r.content_hash),
    indexFingerprint: (r.index_fingerprint as string | null) ?? null,
    active: Boolean(r.active),
  };
}

/** Where a version came from, for the history: the upload that made it (none for the first) and its last restore. */
export interface VersionOrigin {
  import: { id: number; format: string; origin: string; mode: string; baseVersion: number; createdBy: string | null } | null;
  /** The last time an admin made this version serve again (rollback), and which one served before. */
  restored: { at: string; by: string | null; fromVersion: number | null } | null;
}

/** An import's state alone (not its diff): what a page polls while it applies. */
export type ImportState = Pick<StoredImport, 'id' | 'status' | 'progress' | 'failure' | 'versionId'>;

function toImportState(r: Record<string, unknown>): ImportState {
  return {
    id: Number(r.id),
    status: r.status as ImportStatus,
    progress: json(r.progress ?? null),
    failure: (r.failure as string | null) ?? null,
    versionId: r.version_id === null ? null : Number(r.version_id),
  };
}

function toImport(r: Record<string, unknown>): StoredImport {
  return {
    ...toImportState(r),
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: iso(r.created_at),
    format: String(r.format),
    origin: String(r.origin),
    mode: String(r.mode),
    baseVersion: Number(r.base_version),
    diff: json(r.diff),
    summary: json(r.summary),
    errors: json(r.errors),
  };
}

/**
 * The knowledge base's versions (whole catalogues, records shared by content hash) and the uploaded imports. Every
 * method takes the caller's transaction where it writes; plain parameterised SQL only.
 */
export class KnowledgeVersionStore {
  constructor(private readonly db: Queryable) {}

  async active(q: Queryable = this.db): Promise<KnowledgeVersion | null> {
    const [row] = await q.query<Record<string, unknown>>('SELECT * FROM knowledge_versions WHERE active');
    return row ? toVersion(row) : null;
  }

  /**
   * The version the knowledge base must be built from at start, or null while no import was ever applied (then the
   * committed knowledge/procedures.jsonl is the knowledge base, as before versions existed).
   */
  async serving(q: Queryable = this.db): Promise<KnowledgeVersion | null> {
    const [row] = await q.query<Record<string, unknown>>(
      `SELECT * FROM knowledge_versions WHERE active AND EXISTS (SELECT 1 FROM knowledge_versions WHERE import_id IS NOT NULL)`,
    );
    return row ? toVersion(row) : null;
  }

  async list(q: Queryable = this.db): Promise<KnowledgeVersion[]> {
    return (await q.query<Record<string, unknown>>('SELECT * FROM knowledge_versions ORDER BY id DESC')).map(toVersion);
  }

  /** Every version's upload and last restore (from the audit log's `knowledge.activate` entries), by version id. */
  async origins(q: Queryable = this.db): Promise<Map<number, VersionOrigin>> {
    const imports = await q.query<Record<string, unknown>>(
      `SELECT v.id AS version_id, i.id, i.format, i.origin, i.mode, i.base_version, i.created_by
         FROM knowledge_versions v JOIN knowledge_imports i ON i.id = v.import_id`,
    );
    const restores = await q.query<Record<string, unknown>>(
      `SELECT target, username, created_at, details FROM audit_log WHERE action = 'knowledge.activate' AND target LIKE 'knowledge_version:%' ORDER BY id`,
    );
    const out = new Map<number, VersionOrigin>();
    const entry = (id: number) => out.get(id) ?? out.set(id, { import: null, restored: null }).get(id)!;
    for (const r of imports) {
      entry(Number(r.version_id)).import = {
        id: Number(r.id),
        format: String(r.format),
        origin: String(r.origin),
        mode: String(r.mode),
        baseVersion: Number(r.base_version),
        createdBy: (r.created_by as string | null) ?? null,
      };
    }
    for (const r of restores) {
      const id = Number(String(r.target).slice('knowledge_version:'.length));
      const from = (json(r.details) as { before?: { activeVersion?: number | null } } | null)?.before?.activeVersion;
      if (Number.isInteger(id)) entry(id).restored = { at: iso(r.created_at), by: (r.username as string | null) ?? null, fromVersion: typeof from === 'number' ? from : null };
    }
    return out;
  }

  async get(id: number, q: Queryable = this.db): Promise<KnowledgeVersion | null> {
    const [row] = await q.query<Record<string, unknown>>('SELECT * FROM knowledge_versions WHERE id = $1', [id]);
    return row ? toVersion(row) : null;
  }

  /** Serialises version changes (baseline, apply, activate) across processes, until the transaction ends. */
  async lock(tx: Queryable): Promise<void> {
    await tx.query('LOCK TABLE knowledge_versions IN EXCLUSIVE MODE');
  }

  /** The procedures currently indexed (the `procedures` table), for version 1. */
  async indexedRecords(q: Queryable = this.db): Promise<Procedure[]> {
    const rows = await q.query<{ record: unknown }>('SELECT record FROM procedures ORDER BY code');
    return rows.map((r) => ProcedureSchema.parse(json(r.record)));
  }

  /** md5 over the indexed procedures' codes and content hashes: changes whenever the index does. */
  async indexFingerprint(q: Queryable = this.db): Promise<string> {
    const [row] = await q.query<{ f: string }>(
      `SELECT md5(coalesce(string_agg(code || ':' || content_hash, ',' ORDER BY code), '')) AS f FROM procedures`,
    );
    return row!.f;
  }

  async anyApplied(q: Queryable = this.db): Promise<boolean> {
    return (await q.query('SELECT 1 FROM knowledge_versions WHERE import_id IS NOT NULL LIMIT 1')).length > 0;
  }

  /** Version 1 rewritten from the index (before any import was applied); previews made on it become stale. */
  async rewriteBaseline(tx: Queryable, id: number, records: readonly Procedure[], fingerprint: string, staleMessage: string): Promise<void> {
    await tx.query('DELETE FROM knowledge_version_items WHERE version_id = $1', [id]);
    const items = await this.insertItems(tx, id, records);
    await tx.query('UPDATE knowledge_versions SET counts = $2::jsonb, content_hash = $3, index_fingerprint = $4 WHERE id = $1', [
      id,
      JSON.stringify({ procedures: records.length, added: records.length, removed: 0, changed: 0 }),
      contentHashOf(items),
      fingerprint,
    ]);
    await tx.query(`UPDATE knowledge_imports SET status = 'failed', failure = $2, updated_at = now() WHERE base_version = $1 AND status = 'previewed'`, [id, staleMessage]);
  }

  /** A version's items: code → record hash. */
  async itemHashes(versionId: number, q: Queryable = this.db): Promise<Map<string, string>> {
    const rows = await q.query<{ code: string; record_hash: string }>('SELECT code, record_hash FROM knowledge_version_items WHERE version_id = $1', [versionId]);
    return new Map(rows.map((r) => [r.code, r.record_hash]));
  }

  async recordsByHash(hashes: readonly string[], q: Queryable = this.db): Promise<Procedure[]> {
    if (!hashes.length) return [];
    const rows = await q.query<{ record: unknown }>('SELECT record FROM knowledge_records WHERE hash = ANY($1::text[])', [hashes]);
    return rows.map((r) => ProcedureSchema.parse(json(r.record)));
  }

  /** A version's records, by code. */
  async catalogue(versionId: number, q: Queryable = this.db): Promise<Procedure[]> {
    const rows = await q.query<{ record: unknown }>(
      `SELECT r.record FROM knowledge_version_items i JOIN knowledge_records r ON r.hash = i.record_hash
        WHERE i.version_id = $1 ORDER BY i.code`,
      [versionId],
    );
    return rows.map((r) => ProcedureSchema.parse(json(r.record)));
  }

  /**
   * Writes a new (inactive) version: `records` and, with `base`, every item of that version except the codes in
   * `records` and `base.removed` (copied in SQL, not read). Returns its id and content hash.
   */
  async createVersion(
    tx: Queryable,
    v: {
      importId: number | null;
      createdBy: string | null;
      counts: VersionCounts;
      records: readonly Procedure[];
      base?: { id: number; removed: readonly string[] };
      indexFingerprint?: string;
    },
  ): Promise<{ id: number; contentHash: string }> {
    const items = v.base ? await this.itemHashes(v.base.id, tx) : new Map<string, string>();
    for (const code of v.base?.removed ?? []) items.delete(code);
    for (const p of v.records) items.set(p.code, recordHash(p));
    const contentHash = contentHashOf(items);
    const [row] = await tx.query<{ id: string }>(
      'INSERT INTO knowledge_versions (import_id, created_by, counts, content_hash, index_fingerprint) VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id',
      [v.importId, v.createdBy, JSON.stringify(v.counts), contentHash, v.indexFingerprint ?? null],
    );
    const id = Number(row!.id);
    if (v.base) {
      const replaced = [...v.records.map((p) => p.code), ...v.base.removed];
      await tx.query(
        `INSERT INTO knowledge_version_items (version_id, code, record_hash)
         SELECT $1, code, record_hash FROM knowledge_version_items WHERE version_id = $2 AND NOT (code = ANY($3::text[]))`,
        [id, v.base.id, replaced],
      );
    }
    await this.insertItems(tx, id, v.records);
    return { id, contentHash };
  }

  private async insertItems(tx: Queryable, versionId: number, records: readonly Procedure[]): Promise<Map<string, string>> {
    const all = new Map<string, string>();
    for (let i = 0; i < records.length; i += BATCH) {
      const batch = records.slice(i, i + BATCH).map((p) => {
        const text = JSON.stringify(p);
        return { code: p.code, text, hash: sha1(text) };
      });
      for (const b of batch) all.set(b.code, b.hash);
      await tx.query(
        `INSERT INTO knowledge_records (hash, record) SELECT t.hash, t.record::jsonb FROM unnest($1::text[], $2::text[]) AS t(hash, record)
         ON CONFLICT (hash) DO NOTHING`,
        [batch.map((b) => b.hash), batch.map((b) => b.text)],
      );
      await tx.query(
        `INSERT INTO knowledge_version_items (version_id, code, record_hash) SELECT $1, t.code, t.hash FROM unnest($2::text[], $3::text[]) AS t(code, hash)`,
        [versionId, batch.map((b) => b.code), batch.map((b) => b.hash)],
      );
    }
    return all;
  }

  async setActive(tx: Queryable, id: number): Promise<void> {
    await tx.query('UPDATE knowledge_versions SET active = false WHERE active AND id <> $1', [id]);
    await tx.query('UPDATE knowledge_versions SET active = true WHERE id = $1', [id]);
  }

  async insertImport(q: Queryable, i: NewImport): Promise<number> {
    const [row] = await q.query<{ id: string }>(
      `INSERT INTO knowledge_imports (created_by, format, origin, mode, base_version, records_gz, diff, summary, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb) RETURNING id`,
      [i.createdBy, i.format, i.origin, i.mode, i.baseVersion, i.recordsGz, JSON.stringify(i.diff), JSON.stringify(i.summary), JSON.stringify(i.errors)],
    );
    return Number(row!.id);
  }

  async getImport(id: number, q: Queryable = this.db): Promise<StoredImport | null> {
    const [row] = await q.query<Record<string, unknown>>(
      `SELECT id, created_by, created_at, format, origin, mode, base_version, diff, summary, errors, status, progress, failure, version_id
         FROM knowledge_imports WHERE id = $1`,
      [id],
    );
    return row ? toImport(row) : null;
  }

  async importStatus(id: number, q: Queryable = this.db): Promise<ImportState | null> {
    const [row] = await q.query<Record<string, unknown>>('SELECT id, status, progress, failure, version_id FROM knowledge_imports WHERE id = $1', [id]);
    return row ? toImportState(row) : null;
  }

  /** The parsed records of an import, as stored (gzip + base64 of JSON lines). */
  async importRecords(id: number, q: Queryable = this.db): Promise<string | null> {
    const [row] = await q.query<{ records_gz: string }>('SELECT records_gz FROM knowledge_imports WHERE id = $1', [id]);
    return row?.records_gz ?? null;
  }

  /** Moves an import from `from` to `to`; false when it was not in `from` (someone else moved it first). */
  async moveImport(q: Queryable, id: number, from: ImportStatus, to: ImportStatus, extra: { progress?: unknown; failure?: string | null; versionId?: number | null } = {}): Promise<boolean> {
    const rows = await q.query(
      `UPDATE knowledge_imports SET status = $3, progress = COALESCE($4::jsonb, progress), failure = $5, version_id = COALESCE($6, version_id), updated_at = now()
        WHERE id = $1 AND status = $2 RETURNING id`,
      [id, from, to, extra.progress === undefined ? null : JSON.stringify(extra.progress), extra.failure ?? null, extra.versionId ?? null],
    );
    return rows.length === 1;
  }

  async setProgress(id: number, progress: unknown, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE knowledge_imports SET progress = $2::jsonb, updated_at = now() WHERE id = $1 AND status = 'applying'`, [id, JSON.stringify(progress)]);
  }
}
