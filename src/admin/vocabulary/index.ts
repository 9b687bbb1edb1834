import type { FastifyInstance } from 'fastify';
import type { Role } from '../../domain/staff.ts';
import { documentOnlyScope } from '../../staff/console/routes.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import type { Db } from '../../storage/db.ts';
import { LocalKnowledgeStore } from '../../storage/local-knowledge-store.ts';
import { ProcedureStore } from '../../storage/procedure-store.ts';
import { registerGapRoutes } from '../gaps/routes.ts';
import type { AdminRouteDeps } from '../routes.ts';
import type { AssistantSearch } from '../local-overrides.ts';
import { LocalAnswers } from './local-answers.ts';
import { LocalVocabulary, withLocalVocabulary } from './overlay.ts';
import { registerVocabularyRoutes } from './routes.ts';
import { LocalKnowledgeAdmin, type LocalKnowledgeAdminDeps } from './service.ts';

export { LocalAnswers, type LocalAnswerLookup } from './local-answers.ts';
export { LocalVocabulary, type LocalVocabularyLookup, withLocalVocabulary } from './overlay.ts';

export interface LocalKnowledge {
  /** The admins' vocabulary mappings in memory: `createAssistant(…, { localVocabulary })`. */
  vocabulary: LocalVocabulary;
  /** The staff-written local answers in memory: `createAssistant(…, { localAnswers })`. */
  answers: LocalAnswers;
  admin: LocalKnowledgeAdmin;
  /** GET /api/admin/gaps, /api/admin/vocabulary…, /api/admin/local-answers…; after registerAuth. */
  registerRoutes(app: FastifyInstance, guard: AdminRouteDeps['guard']): void;
}

/**
 * The knowledge-gaps report and what admins add from it, as the product runs it: mappings and local answers loaded
 * from the database (after migrations), their admin service, and the routes. `search` is the assistant's search
 * once the knowledge base is ready (with the exclusions applied); the try box reads it with the local vocabulary,
 * and with the language data in force (`language`, src/admin/language/).
 */
export async function createLocalKnowledge(deps: { db: Db; search: Promise<AssistantSearch>; language?: LocalKnowledgeAdminDeps['language'] }): Promise<LocalKnowledge> {
  const { db } = deps;
  const store = new LocalKnowledgeStore(db);
  const vocabulary = await LocalVocabulary.load(store);
  const answers = await LocalAnswers.load(store);
  let ready: AssistantSearch | null = null;
  deps.search.then((s) => (ready = withLocalVocabulary(s, vocabulary))).catch(() => {});
  const admin = new LocalKnowledgeAdmin({ db, store, audit: new AuditLog(db), vocabulary, answers, procedures: new ProcedureStore(db), search: () => ready, language: deps.language });
  return {
    vocabulary,
    answers,
    admin,
    registerRoutes(app, guard) {
      void app.register(async (api) => {
        documentOnlyScope(api);
        const admins = guard('admin' satisfies Role);
        registerGapRoutes(api, { db, guard: admins });
        registerVocabularyRoutes(api, { admin, guard: admins });
      });
    },
  };
}
