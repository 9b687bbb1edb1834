import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { Assistant, type AssistantDeps } from '../assistant/assistant.ts';
import { CheckedLlmAnswer } from '../assistant/llm-step.ts';
import { createChatModel } from '../assistant/llm/chat-model.ts';
import { LlmAnswerer } from '../assistant/llm/llm-answerer.ts';
import { LlmRouter } from '../assistant/llm/llm-router.ts';
import { loadCasePhrases } from '../knowledge/case-phrases.ts';
import { type CommuneProfile, loadCommuneProfile } from '../knowledge/commune-profile.ts';
import { loadIntents } from '../knowledge/intents.ts';
import { excludingSearch, type LocalOverrideLookup } from '../admin/local-overrides.ts';
import type { LocalAnswerLookup } from '../admin/vocabulary/local-answers.ts';
import { type LocalVocabularyLookup, withLocalVocabulary } from '../admin/vocabulary/overlay.ts';
import { type LiveLanguage, withLiveLifeEvents } from '../admin/language/live.ts';
import { ConversationStore } from '../storage/conversation-store.ts';
import { ProcedureStore } from '../storage/procedure-store.ts';
import { TurnLog } from '../storage/turn-log.ts';
import type { KnowledgeBase } from './knowledge-base.ts';

/** Wires the assistant pipeline from configuration and an open knowledge base: offline, or with LLM mode. */
export function createAssistant(
  config: Config,
  kb: KnowledgeBase,
  logger: Logger,
  opts: {
    /** An admin's exclusions and local notes. */
    localOverrides?: LocalOverrideLookup;
    /** The commune profile in force, read at each turn (an admin may change it); default: the file's. */
    profile?: () => CommuneProfile;
    /** The admins' vocabulary mappings (read by every search) and staff-written local answers. */
    localVocabulary?: LocalVocabularyLookup;
    localAnswers?: LocalAnswerLookup;
    /** The language data in force (an admin's life events and router phrase lists, src/admin/language/). */
    language?: Pick<LiveLanguage, 'current'>;
    /** The search to use instead of the knowledge base's own (the one that follows the knowledge version serving). */
    search?: AssistantDeps['search'];
    /** The clock the centre's "open now" is read with; default: the system's. */
    now?: () => Date;
  } = {},
): Assistant {
  const fileProfile = opts.profile ? null : loadCommuneProfile(config.knowledgeDir);
  const profile = opts.profile ?? (() => fileProfile!);
  const llm = config.llm
    ? {
        router: new LlmRouter(createChatModel(config.llm, 'router')),
        answer: new CheckedLlmAnswer(new LlmAnswerer(createChatModel(config.llm, 'answer')), logger),
      }
    : undefined;
  const base = opts.search ?? kb.search;
  const excluding = opts.localOverrides ? excludingSearch(base, opts.localOverrides) : base;
  const local = opts.localVocabulary ? withLocalVocabulary(excluding, opts.localVocabulary) : excluding;
  const language = opts.language;
  return new Assistant({
    search: language ? withLiveLifeEvents(local, language) : local,
    routerTables: language && (() => language.current().routerTables),
    localNotes: opts.localOverrides,
    localAnswers: opts.localAnswers,
    procedures: new ProcedureStore(kb.db),
    conversations: new ConversationStore(kb.db),
    turns: new TurnLog(kb.db),
    get profile() {
      return profile();
    },
    casePhrases: loadCasePhrases(config.knowledgeDir),
    intents: loadIntents(config.knowledgeDir),
    logger,
    llm,
    now: opts.now,
  });
}
