import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { excludingSearch, LocalOverrides } from '../../src/admin/local-overrides.ts';
import { createLocalKnowledge, type LocalKnowledge } from '../../src/admin/vocabulary/index.ts';
import { withLocalVocabulary } from '../../src/admin/vocabulary/overlay.ts';
import { Assistant } from '../../src/assistant/assistant.ts';
import { loadConfig } from '../../src/config.ts';
import { type CommuneProfile, EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { buildServer } from '../../src/server/app.ts';
import { requireRole } from '../../src/server/auth/guard.ts';
import { registerAuth } from '../../src/server/auth/plugin.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import type { Db } from '../../src/storage/db.ts';
import { ProcedureOverrideStore } from '../../src/storage/procedure-override-store.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { TurnLog } from '../../src/storage/turn-log.ts';
import { SMALL_KB } from '../helpers/assistant.ts';

export const PASSWORD = 'mat-khau-quan-tri-123';

export const PROFILE: CommuneProfile = { ...EMPTY_PROFILE, communeName: 'Hòa Phú' };

export interface GapsApp {
  app: FastifyInstance;
  local: LocalKnowledge;
  /** The assistant as the product builds it: exclusions, the local vocabulary and the local answers. */
  assistant: Assistant;
  close(): Promise<void>;
}

/**
 * The local-knowledge side as the product serves it, on the test database: the small knowledge base indexed, the
 * real auth plugin (sessions, CSRF), the gaps and vocabulary routes, and the assistant reading the same in-memory
 * mappings and local answers; a staff member `lan` and an admin `quantri`.
 */
export async function buildGapsApp(db: Db): Promise<GapsApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaps-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  const logger = pino({ level: 'silent' });
  const embedder = createEmbedder({ kind: 'offline', dimensions: 256 });
  const vocabulary = loadVocabulary(SMALL_KB);
  await indexProcedures(db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
  const overrides = await LocalOverrides.load(new ProcedureOverrideStore(db));
  const search = excludingSearch(await ProcedureSearch.create(db, embedder, vocabulary), overrides);
  const local = await createLocalKnowledge({ db, search: Promise.resolve(search) });
  const assistant = new Assistant({
    search: withLocalVocabulary(search, local.vocabulary),
    localAnswers: local.answers,
    procedures: new ProcedureStore(db),
    conversations: new ConversationStore(db),
    turns: new TurnLog(db),
    profile: PROFILE,
    logger,
  });
  const app = buildServer({ db, logger, isReady: () => true });
  await registerAuth(app, { db, config, logger });
  local.registerRoutes(app, requireRole);
  await app.ready();
  const accounts = new Accounts(db);
  await accounts.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff', password: PASSWORD }, CLI_ACTOR);
  await accounts.add({ username: 'quantri', displayName: 'Quản trị viên', role: 'admin', password: PASSWORD }, CLI_ACTOR);
  return {
    app,
    local,
    assistant,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
