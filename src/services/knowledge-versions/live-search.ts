import type { Vocabulary } from '../../knowledge/vocabulary.ts';
import type { Embedder } from '../../retrieval/embeddings/index.ts';
import { ProcedureSearch } from '../../retrieval/search.ts';
import type { Db } from '../../storage/db.ts';

/** The part of the search the assistant uses. */
export type SearchLike = Pick<ProcedureSearch, 'search' | 'analyse'>;

/**
 * The search the assistant is given when knowledge versions can change while it runs: the search keeps title
 * statistics in memory, so after a version starts serving `reload()` builds a fresh one from the committed rows
 * and swaps it in one assignment (a question already being answered finishes on the search it started with).
 */
export class LiveSearch implements SearchLike {
  private constructor(
    private current: ProcedureSearch,
    private readonly rebuild: () => Promise<ProcedureSearch>,
  ) {}

  static from(search: ProcedureSearch, deps: { db: Db; embedder: Embedder; vocabulary: Vocabulary }): LiveSearch {
    return new LiveSearch(search, () => ProcedureSearch.create(deps.db, deps.embedder, deps.vocabulary));
  }

  async reload(): Promise<void> {
    this.current = await this.rebuild();
  }

  search(...args: Parameters<ProcedureSearch['search']>): ReturnType<ProcedureSearch['search']> {
    return this.current.search(...args);
  }

  analyse(text: string): ReturnType<ProcedureSearch['analyse']> {
    return this.current.analyse(text);
  }
}
