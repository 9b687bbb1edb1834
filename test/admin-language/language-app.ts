import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createLanguageData, type LanguageData } from '../../src/admin/language/index.ts';
import { withLiveLifeEvents } from '../../src/admin/language/live.ts';
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

export interface LanguageApp {
  app: FastifyInstance;
  language: LanguageData;
  local: LocalKnowledge;
  /** The assistant as the product builds it: it reads the language data in force at every turn. */
  assistant: Assistant;
  /**
   * Registers more routes (a page) before the app is ready: call it, then `ready()`. `buildLanguageApp` calls
   * `ready()` itself unless `{ deferReady: true }`.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The language data side as the product serves it, on the test database: the small knowledge base indexed (its
 * vocabulary has no life events), the real auth plugin (sessions, CSRF), the language and vocabulary routes, and
 * the assistant reading the same in-memory tables; a staff member `lan` and an admin `quantri`.
 */
export async function buildLanguageApp(db: Db, opts: { deferReady?: boolean } = {}): Promise<LanguageApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'language-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  const logger = pino({ level: 'silent' });
  const embedder = createEmbedder({ kind: 'offline', dimensions: 256 });
  const vocabulary = loadVocabulary(SMALL_KB);
  await indexProcedures(db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
  const overrides = await LocalOverrides.load(new ProcedureOverrideStore(db));
  const search = excludingSearch(await ProcedureSearch.create(db, embedder, vocabulary), overrides);
  const local = await createLocalKnowledge({ db, search: Promise.resolve(search), language: () => language.live.current() });
  const language = await createLanguageData({ db, vocabulary, logger, read: (text, tables) => local.admin.read(text, tables) });
  const assistant = new Assistant({
    search: withLiveLifeEvents(withLocalVocabulary(search, local.vocabulary), language.live),
    routerTables: () => language.live.current().routerTables,
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
  language.registerRoutes(app, requireRole);
  const accounts = new Accounts(db);
  await accounts.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff', password: PASSWORD }, CLI_ACTOR);
  await accounts.add({ username: 'quantri', displayName: 'Quản trị viên', role: 'admin', password: PASSWORD }, CLI_ACTOR);
  let readied = false;
  const ready = async () => {
    if (readied) return;
    readied = true;
    await app.ready();
  };
  if (!opts.deferReady) await ready();
  return {
    app,
    language,
    local,
    assistant,
    ready,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
