import { gunzipSync, gzipSync } from 'node:zlib';
import { withModel } from '../../knowledge/model/index.ts';
import type { Logger } from 'pino';
import type { ImportMode } from './diff.ts';
import { diffCatalogue, type ImportDiff, type ImportWarning, removalWarnings } from './diff.ts';
import { parseLocalCsv } from './local-csv.ts';
import { type LineError, parseUpload, bodyLines, MAX_UPLOAD_BYTES } from './upload.ts';
import { type Procedure, ProcedureSchema } from '../../knowledge/procedure.ts';
import { aliasesByCode, type Vocabulary } from '../../knowledge/vocabulary.ts';
import type { Embedder } from '../../retrieval/embeddings/index.ts';
import { type IndexProgress, indexProcedures } from '../../retrieval/indexer.ts';
import type { AuditLog } from '../../storage/audit-log.ts';
import type { Db } from '../../storage/db.ts';
import { contentHashOf, type ImportState, type KnowledgeVersion, KnowledgeVersionStore, recordHash, type StoredImport, type VersionOrigin } from '../../storage/knowledge-version-store.ts';
import { sha1 } from '../../util/hash.ts';

export interface Actor {
  id: number | null;
  username: string | null;
}

/** The answer to an upload: nothing is applied yet. */
export interface ImportAnswer {
  id: number;
  format: string;
  origin: string;
  mode: ImportMode;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  errors: LineError[];
  errorCount: number;
  /** What the admin must read before applying (a replace removing a large share of a source). */
  warnings: ImportWarning[];
}

/** An import as the preview shows it: the stored import, its diff summarised (changed records' fields before/after). */
export type ImportPreview = Omit<StoredImport, 'diff'> & {
  added: { code: string; title: string; field: string | null }[];
  removed: ImportDiff['removed'];
  changed: { code: string; title: string; fields: ImportDiff['changed'][number]['fields'] }[];
  warnings: ImportWarning[];
};

/** A version as the history shows it: what made it and when it was last restored. */
export type VersionEntry = KnowledgeVersion & VersionOrigin;

export type ServiceError = { error: 'not_found' | 'conflict'; message: string };

export const VERSION_MESSAGES = {
  importNotFound: 'Không tìm thấy lần tải lên này.',
  versionNotFound: 'Không tìm thấy phiên bản này.',
  notPreviewed: 'Lần tải lên này đã được áp dụng hoặc đang áp dụng.',
  stale: 'Cơ sở tri thức đã thay đổi từ khi xem trước lần tải lên này; hãy tải tệp lên lại để xem thay đổi mới.',
  busy: 'Đang áp dụng một thay đổi khác của cơ sở tri thức; hãy thử lại khi xong.',
  alreadyActive: 'Phiên bản này đang được dùng.',
} as const;

export interface KnowledgeVersionsDeps {
  db: Db;
  embedder: Embedder;
  vocabulary: Vocabulary;
  audit: AuditLog;
  logger: Logger;
  /** Called after a version starts serving (its transaction committed): e.g. `LiveSearch.reload`. */
  onActivated?: () => Promise<void>;
}

/** What the index records it was built from, for a version: a restart finds it up to date and does nothing. */
export function versionInputHash(contentHash: string, vocabulary: Vocabulary): string {
  return sha1(`knowledge-version:${contentHash}\u0000${JSON.stringify(vocabulary)}`);
}

function encodeRecords(records: readonly Procedure[]): string {
  return gzipSync(records.map((p) => JSON.stringify(p)).join('\n')).toString('base64');
}

export function decodeRecords(gz: string): Procedure[] {
  const text = gunzipSync(Buffer.from(gz, 'base64')).toString('utf8');
  return text === '' ? [] : text.split('\n').map((l) => ProcedureSchema.parse(JSON.parse(l)));
}

/**
 * Knowledge updates (issue 11 §1): an uploaded source compared with the active version and kept as a preview;
 * applying it re-indexes only what changed, in the background, and the new version serves from the moment its one
 * transaction commits (until then, and after a failure, the previous one does); any version can be made active
 * again the same way. Version changes run one at a time.
 */
export class KnowledgeVersions {
  private readonly store: KnowledgeVersionStore;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<number, Promise<void>>();
  private busy = false;

  constructor(private readonly deps: KnowledgeVersionsDeps) {
    this.store = new KnowledgeVersionStore(deps.db);
  }

  /**
   * Version 1, the knowledge base as first indexed, written from the indexed records when no version exists yet.
   * Until an import is applied the committed file is the knowledge base: when a deploy re-indexed it, version 1 is
   * written again from the index (and the previews made on the old one become stale).
   */
  async ensureBaseline(): Promise<KnowledgeVersion> {
    const existing = await this.store.active();
    if (existing && (existing.indexFingerprint === null || (await this.store.indexFingerprint()) === existing.indexFingerprint)) return existing;
    return this.deps.db.transaction(async (tx) => {
      await this.store.lock(tx);
      const active = await this.store.active(tx);
      const fingerprint = await this.store.indexFingerprint(tx);
      if (active && (active.indexFingerprint === null || active.indexFingerprint === fingerprint || (await this.store.anyApplied(tx)))) return active;
      const records = await this.store.indexedRecords(tx);
      if (active) {
        await this.store.rewriteBaseline(tx, active.id, records, fingerprint, VERSION_MESSAGES.stale);
        return (await this.store.get(active.id, tx))!;
      }
      const counts = { procedures: records.length, added: records.length, removed: 0, changed: 0 };
      const { id } = await this.store.createVersion(tx, { importId: null, createdBy: null, counts, records, indexFingerprint: fingerprint });
      await this.store.setActive(tx, id);
      return (await this.store.get(id, tx))!;
    });
  }

  /** Reads an uploaded body (streamed; JSON lines, or with `csv` the commune's list), compares it with the active version and stores the preview. Throws UploadError. */
  async importUpload(body: AsyncIterable<Buffer | string>, opts: { mode: ImportMode; actor: Actor; maxBytes?: number; csv?: boolean }): Promise<ImportAnswer> {
    const lines = bodyLines(body, opts.maxBytes ?? MAX_UPLOAD_BYTES, { csv: opts.csv });
    const parsed = opts.csv ? await parseLocalCsv(lines) : await parseUpload(lines);
    const base = await this.ensureBaseline();
    const active = await this.store.catalogue(base.id);
    const compared = diffCatalogue(active, parsed.procedures, parsed.origin, opts.mode);
    // the model of a record is derived and left out of the comparison: computed only for what an apply would store
    const diff = { ...compared, added: compared.added.map(withModel), changed: compared.changed.map((c) => ({ ...c, after: withModel(c.after) })) };
    const warnings = removalWarnings(active, diff, parsed.origin);
    const summary = { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, unchanged: diff.unchanged, lines: parsed.lines, errorCount: parsed.errorCount, warnings };
    const id = await this.deps.db.transaction(async (tx) => {
      const importId = await this.store.insertImport(tx, {
        createdBy: opts.actor.username,
        format: parsed.format,
        origin: parsed.origin,
        mode: opts.mode,
        baseVersion: base.id,
        recordsGz: encodeRecords(parsed.procedures),
        diff,
        summary,
        errors: parsed.errors,
      });
      await this.deps.audit.record(
        { userId: opts.actor.id, username: opts.actor.username, action: 'knowledge.import', target: `knowledge_import:${importId}`, details: { format: parsed.format, mode: opts.mode, baseVersion: base.id, ...summary } },
        tx,
      );
      return importId;
    });
    if (parsed.details.length) this.deps.logger.info({ importId: id, format: parsed.format, skipped: parsed.errorCount, lines: parsed.details }, 'knowledge import: lines skipped (the first ones, as the parser said)');
    return { id, format: parsed.format, origin: parsed.origin, mode: opts.mode, added: summary.added, removed: summary.removed, changed: summary.changed, unchanged: summary.unchanged, errors: parsed.errors, errorCount: parsed.errorCount, warnings };
  }

  async preview(id: number): Promise<ImportPreview | null> {
    const imp = await this.store.getImport(id);
    if (!imp) return null;
    const { diff: stored, ...rest } = imp;
    const diff = stored as ImportDiff;
    return {
      ...rest,
      added: diff.added.map((p) => ({ code: p.code, title: p.title, field: p.field })),
      removed: diff.removed,
      changed: diff.changed.map((c) => ({ code: c.code, title: c.title, fields: c.fields })),
      warnings: (rest.summary as { warnings?: ImportWarning[] } | null)?.warnings ?? [],
    };
  }

  /** An import's status, progress ({phase, done, total}), failure and version, without its diff: cheap to poll. */
  async status(id: number): Promise<ImportState | null> {
    return this.store.importStatus(id);
  }

  /** The parsed records an import stored. */
  async importedRecords(id: number): Promise<Procedure[] | null> {
    const gz = await this.store.importRecords(id);
    return gz === null ? null : decodeRecords(gz);
  }

  async versions(): Promise<VersionEntry[]> {
    await this.ensureBaseline();
    const [list, origins] = await Promise.all([this.store.list(), this.store.origins()]);
    return list.map((v) => ({ ...v, ...(origins.get(v.id) ?? { import: null, restored: null }) }));
  }

  /**
   * Starts applying an import in the background (the route answers 202): `settled(id)` resolves when it is done or
   * failed; the import's status and progress tell the console meanwhile.
   */
  async apply(id: number, actor: Actor): Promise<ServiceError | { id: number; status: 'applying' }> {
    const imp = await this.store.getImport(id);
    if (!imp) return { error: 'not_found', message: VERSION_MESSAGES.importNotFound };
    if (imp.status !== 'previewed') return { error: 'conflict', message: VERSION_MESSAGES.notPreviewed };
    if (this.busy) return { error: 'conflict', message: VERSION_MESSAGES.busy };
    // taken before the first await, so two applies asked at once cannot both pass the check
    this.busy = true;
    const refused = await this.startable(id, imp.baseVersion).catch((err: unknown) => {
      this.busy = false;
      throw err;
    });
    if (refused) {
      this.busy = false;
      return refused;
    }
    const job = this.serialised(() => this.runApply(imp, actor))
      .catch(async (err: unknown) => {
        this.deps.logger.error({ err: String(err), importId: id }, 'knowledge import failed; the previous version still serves');
        await this.store.moveImport(this.deps.db, id, 'applying', 'failed', { failure: String((err as Error)?.message ?? err) }).catch(() => {});
      })
      .finally(() => {
        this.busy = false;
        this.running.delete(id);
      });
    this.running.set(id, job);
    return { id, status: 'applying' };
  }

  /** Why an import cannot start applying now (the version it was previewed against no longer serves), or null once it is marked applying. */
  private async startable(id: number, baseVersion: number): Promise<ServiceError | null> {
    const active = await this.store.active();
    if (active?.id !== baseVersion) return { error: 'conflict', message: VERSION_MESSAGES.stale };
    if (!(await this.store.moveImport(this.deps.db, id, 'previewed', 'applying', { progress: { phase: 'starting', done: 0, total: 0 } }))) {
      return { error: 'conflict', message: VERSION_MESSAGES.notPreviewed };
    }
    return null;
  }

  /** Resolves when a background apply of `importId` has finished (at once when none runs). */
  async settled(importId: number): Promise<void> {
    await this.running.get(importId);
  }

  /** Makes an earlier (or later) version serve again, atomically, re-indexing only what differs. */
  async activate(versionId: number, actor: Actor): Promise<ServiceError | { version: KnowledgeVersion }> {
    const target = await this.store.get(versionId);
    if (!target) return { error: 'not_found', message: VERSION_MESSAGES.versionNotFound };
    if (this.busy) return { error: 'conflict', message: VERSION_MESSAGES.busy };
    if (target.active) return { error: 'conflict', message: VERSION_MESSAGES.alreadyActive };
    this.busy = true;
    try {
      await this.serialised(async () => {
        const active = await this.store.active();
        // only what differs between the serving version and the target is re-indexed
        const [want, have] = await Promise.all([this.store.itemHashes(versionId), active ? this.store.itemHashes(active.id) : new Map<string, string>()]);
        const upserts = await this.store.recordsByHash([...want].filter(([code, hash]) => have.get(code) !== hash).map(([, hash]) => hash));
        const removed = [...have.keys()].filter((code) => !want.has(code));
        await this.index(upserts, removed, target.contentHash, undefined, async (tx) => {
          await this.store.lock(tx);
          const previous = (await this.store.active(tx))?.id ?? null;
          if (previous !== (active?.id ?? null)) throw new Error(VERSION_MESSAGES.busy);
          await this.store.setActive(tx, versionId);
          await this.deps.audit.record(
            { userId: actor.id, username: actor.username, action: 'knowledge.activate', target: `knowledge_version:${versionId}`, details: { before: { activeVersion: previous }, after: { activeVersion: versionId } } },
            tx,
          );
        });
      });
    } finally {
      this.busy = false;
    }
    await this.afterSwitch();
    return { version: (await this.store.get(versionId))! };
  }

  private async runApply(imp: StoredImport, actor: Actor): Promise<void> {
    const diff = imp.diff as ImportDiff;
    const upserts = [...diff.changed.map((c) => c.after), ...diff.added];
    const removed = diff.removed.map((r) => r.code);
    // the new version's content, from the base's items: no record of the base is read
    const items = await this.store.itemHashes(imp.baseVersion);
    const before = items.size;
    for (const code of removed) items.delete(code);
    for (const p of upserts) items.set(p.code, recordHash(p));
    const counts = { procedures: items.size, added: diff.added.length, removed: removed.length, changed: diff.changed.length };
    let lastWrite = 0;
    const progress = (p: IndexProgress) => {
      // at most a few writes a second: the console polls it
      const now = Date.now();
      if (now - lastWrite < 250 && p.done !== p.total) return;
      lastWrite = now;
      void this.store.setProgress(imp.id, p).catch(() => {});
    };
    await this.index(upserts, removed, contentHashOf(items), progress, async (tx) => {
      await this.store.lock(tx);
      const active = await this.store.active(tx);
      if (active?.id !== imp.baseVersion) throw new Error(VERSION_MESSAGES.stale);
      const { id: versionId } = await this.store.createVersion(tx, { importId: imp.id, createdBy: actor.username, counts, records: upserts, base: { id: imp.baseVersion, removed } });
      await this.store.setActive(tx, versionId);
      if (!(await this.store.moveImport(tx, imp.id, 'applying', 'applied', { versionId, progress: { phase: 'done', done: 1, total: 1 } }))) {
        throw new Error('import no longer applying');
      }
      await this.deps.audit.record(
        {
          userId: actor.id,
          username: actor.username,
          action: 'knowledge.apply',
          target: `knowledge_import:${imp.id}`,
          details: {
            before: { activeVersion: imp.baseVersion, procedures: before },
            after: { activeVersion: versionId, procedures: items.size },
            added: diff.added.map((p) => p.code),
            removed,
            changed: diff.changed.map((c) => ({ code: c.code, fields: c.fields })),
          },
        },
        tx,
      );
    });
    await this.afterSwitch();
  }

  /** Re-indexes `upserts` and drops `removed` (nothing else is read), `inTransaction` in the same transaction. */
  private async index(upserts: readonly Procedure[], removed: readonly string[], contentHash: string, onProgress: ((p: IndexProgress) => void) | undefined, inTransaction: Parameters<typeof indexProcedures>[1]['inTransaction']): Promise<void> {
    const { embedder, vocabulary } = this.deps;
    const report = await indexProcedures(this.deps.db, {
      procedures: upserts,
      partial: { removed },
      aliases: aliasesByCode(vocabulary),
      embedder,
      inputHash: versionInputHash(contentHash, vocabulary),
      onProgress,
      inTransaction,
    });
    // the index was already built from exactly these records: only the version's rows change
    if (report.skipped && inTransaction) await this.deps.db.transaction(inTransaction);
  }

  private async afterSwitch(): Promise<void> {
    await this.deps.onActivated?.().catch((err: unknown) => this.deps.logger.warn({ err: String(err) }, 'refreshing after a knowledge version switch failed'));
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }
}
