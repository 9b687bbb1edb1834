import type { CompiledVocabulary } from '../../retrieval/query.ts';
import { fold } from '../../retrieval/text.ts';
import type { AssistantSearch } from '../local-overrides.ts';
import type { LocalKnowledgeStore, VocabularyMapping } from '../../storage/local-knowledge-store.ts';

type CompiledSynonym = CompiledVocabulary['synonyms'][number];

/** What retrieval asks of the admins' vocabulary while it answers: synchronous, from memory. */
export interface LocalVocabularyLookup {
  /** The mappings in force as compiled synonyms (folded phrase → code, the procedure's folded title as canonical). */
  synonyms(): CompiledVocabulary['synonyms'];
}

/**
 * The admins' vocabulary mappings ("bán hàng online" → 1.001612) held in memory for retrieval: loaded at start,
 * refreshed by the admin service after each change is committed, so the next message reads it. Owned by the app
 * and passed in; a commune has a few dozen at most.
 */
export class LocalVocabulary implements LocalVocabularyLookup {
  private compiled: CompiledSynonym[] = [];

  constructor(private readonly store: Pick<LocalKnowledgeStore, 'mappings'>) {}

  static async load(store: Pick<LocalKnowledgeStore, 'mappings'>): Promise<LocalVocabulary> {
    const v = new LocalVocabulary(store);
    await v.refresh();
    return v;
  }

  async refresh(): Promise<void> {
    this.compiled = compileMappings(await this.store.mappings());
  }

  synonyms(): CompiledVocabulary['synonyms'] {
    return this.compiled;
  }
}

/**
 * One synonym per mapping, longest phrase first as the committed vocabulary's are compiled. The canonical words
 * (what the search adds to the question) are the procedure's title, so the full-text and vector routes find it
 * too; the phrase itself when the procedure is not in the knowledge base.
 */
export function compileMappings(mappings: readonly VocabularyMapping[]): CompiledSynonym[] {
  return [...mappings]
    .sort((a, b) => b.phraseFolded.length - a.phraseFolded.length || a.id - b.id)
    .map((m) => ({ phrases: [m.phraseFolded], canonical: fold(m.title ?? m.phrase) || m.phraseFolded, codes: [m.code] }));
}

/** The search reading the admins' vocabulary on every call, whatever step asks: give it to the assistant. */
export function withLocalVocabulary(search: AssistantSearch, vocabulary: LocalVocabularyLookup): AssistantSearch {
  return {
    search: (raw, opts = {}) => search.search(raw, { ...opts, localSynonyms: vocabulary.synonyms() }),
    analyse: (text) => search.analyse(text),
  };
}
