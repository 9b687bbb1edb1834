import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { registerKnowledgeAdmin } from '../../src/admin/knowledge/index.ts';
import { loadConfig } from '../../src/config.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import type { Procedure } from '../../src/knowledge/procedure.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder, type Embedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { buildServer } from '../../src/server/app.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { registerAuth } from '../../src/server/auth/plugin.ts';
import { registerDocs } from '../../src/server/docs.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { KnowledgeVersions } from '../../src/services/knowledge-versions/service.ts';
import { AuditLog } from '../../src/storage/audit-log.ts';
import type { Db } from '../../src/storage/db.ts';
import { SMALL_KB } from '../helpers/assistant.ts';

export const PASSWORD = 'mat-khau-quan-tri-123';
/**
 * The whole national listing (outside the repository: only where ../shared/data is, as on the development machine;
 * the test that uploads it is skipped elsewhere) and the raw, unmodified lines of that listing for the small
 * knowledge base's procedures, kept in the repository so a clone tests alone.
 */
export const NATIONAL_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/tthc_dvcqg_2642.jsonl');
export const HAVE_NATIONAL_FILE = fs.existsSync(NATIONAL_FILE);
// (and three more the version tests add: giám hộ 1.004837, 1.004845 and 1.004746)
const SMALL_KB_LISTING = new URL('../fixtures/listing-small-kb.jsonl', import.meta.url);

export interface KnowledgeApp {
  app: FastifyInstance;
  versions: KnowledgeVersions;
  close(): Promise<void>;
}

/** The small knowledge base indexed on `db` (offline embedder unless given) and the versions service over it. */
export async function smallKbVersions(db: Db, embedder: Embedder = createEmbedder({ kind: 'offline', dimensions: 256 })): Promise<KnowledgeVersions> {
  const vocabulary = loadVocabulary(SMALL_KB);
  await indexProcedures(db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
  return new KnowledgeVersions({ db, embedder, vocabulary, audit: new AuditLog(db), logger: pino({ level: 'silent' }) });
}

/**
 * The knowledge routes as the product serves them (real auth plugin: sessions, CSRF, rate limits) on a test
 * database indexed with the small knowledge base; a staff member `lan` and an admin `quantri`.
 */
export async function buildKnowledgeApp(db: Db, opts: { maxBytes?: number } = {}): Promise<KnowledgeApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  const logger = pino({ level: 'silent' });
  const versions = await smallKbVersions(db);
  const app = buildServer({ db, logger, isReady: () => true });
  await registerDocs(app);
  await registerAuth(app, { db, config, logger });
  registerKnowledgeAdmin(app, { versions, guard: requireRole, maxBytes: opts.maxBytes });
  await app.ready();
  const accounts = new Accounts(db);
  await accounts.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff', password: PASSWORD }, CLI_ACTOR);
  await accounts.add({ username: 'quantri', displayName: 'Quản trị viên', role: 'admin', password: PASSWORD }, CLI_ACTOR);
  return {
    app,
    versions,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The national listing's lines for these codes, in the file's order. */
export function nationalLines(codes: readonly string[]): string[] {
  const want = new Set(codes);
  return fs
    .readFileSync(SMALL_KB_LISTING, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && want.has((JSON.parse(l) as { ma_thu_tuc?: string }).ma_thu_tuc ?? ''));
}

export const SMALL_CODES = loadCatalogue(SMALL_KB).map((p: Procedure) => p.code);

/** A national-listing line with the fee of its channels replaced (in the raw "Cách thức thực hiện" cell). */
export function withFee(line: string, from: string, to: string): string {
  if (!line.includes(from)) throw new Error(`the line has no "${from}"`);
  return line.split(from).join(to);
}

/** The offline embedder, failing once `failing` is set: an apply that breaks part-way. */
export function breakableEmbedder(): Embedder & { failing: boolean } {
  const inner = createEmbedder({ kind: 'offline', dimensions: 256 });
  const e = {
    ...inner,
    failing: false,
    embeddings: {
      embedDocuments: async (texts: string[]) => {
        if (e.failing) throw new Error('embedding service down');
        return inner.embeddings.embedDocuments(texts);
      },
      embedQuery: (text: string) => inner.embeddings.embedQuery(text),
    } as Embedder['embeddings'],
  };
  return e;
}
