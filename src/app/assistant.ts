import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { Assistant } from '../assistant/assistant.ts';
import { CheckedLlmAnswer } from '../assistant/llm-step.ts';
import { createChatModel } from '../assistant/llm/chat-model.ts';
import { LlmAnswerer } from '../assistant/llm/llm-answerer.ts';
import { LlmRouter } from '../assistant/llm/llm-router.ts';
import { loadCasePhrases } from '../knowledge/case-phrases.ts';
import { loadCommuneProfile } from '../knowledge/commune-profile.ts';
import { loadIntents } from '../knowledge/intents.ts';
import { ConversationStore } from '../storage/conversation-store.ts';
import { ProcedureStore } from '../storage/procedure-store.ts';
import { TurnLog } from '../storage/turn-log.ts';
import type { KnowledgeBase } from './knowledge-base.ts';

/** Wires the assistant pipeline from configuration and an open knowledge base: offline, or with LLM mode. */
export function createAssistant(config: Config, kb: KnowledgeBase, logger: Logger): Assistant {
  const llm = config.llm
    ? {
        router: new LlmRouter(createChatModel(config.llm, 'router')),
        answer: new CheckedLlmAnswer(new LlmAnswerer(createChatModel(config.llm, 'answer')), logger),
      }
    : undefined;
  return new Assistant({
    search: kb.search,
    procedures: new ProcedureStore(kb.db),
    conversations: new ConversationStore(kb.db),
    turns: new TurnLog(kb.db),
    profile: loadCommuneProfile(config.knowledgeDir),
    casePhrases: loadCasePhrases(config.knowledgeDir),
    intents: loadIntents(config.knowledgeDir),
    logger,
    llm,
  });
}
