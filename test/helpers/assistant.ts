import path from 'node:path';
import pino from 'pino';
import { Assistant } from '../../src/assistant/assistant.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary, type Vocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import type { Db } from '../../src/storage/db.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { TurnLog } from '../../src/storage/turn-log.ts';

export const SMALL_KB = path.resolve('test/fixtures/knowledge-small');

/** The real assistant over the small knowledge base (12 real records), indexed into `db`. */
export async function smallAssistant(db: Db): Promise<{ assistant: Assistant; vocabulary: Vocabulary; turns: TurnLog }> {
  const embedder = createEmbedder({ kind: 'offline', dimensions: 256 });
  const vocabulary = loadVocabulary(SMALL_KB);
  await indexProcedures(db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
  const turns = new TurnLog(db);
  const assistant = new Assistant({
    search: await ProcedureSearch.create(db, embedder, vocabulary),
    procedures: new ProcedureStore(db),
    conversations: new ConversationStore(db),
    turns,
    profile: EMPTY_PROFILE,
    logger: pino({ level: 'silent' }),
  });
  return { assistant, vocabulary, turns };
}
