import type { ProcedureSearch } from '../retrieval/search.ts';
import type { ProcedureOverride, ProcedureOverrideStore } from '../storage/procedure-override-store.ts';

/** What the assistant asks of the local overrides while it answers: synchronous, from memory. */
export interface LocalOverrideLookup {
  /** Excluded by an admin: never offered in answers. */
  isExcluded(code: string): boolean;
  /** The centre's note shown with answers about the procedure ("Nộp tại quầy số 3"), or null. */
  localNote(code: string): string | null;
}

/**
 * The admins' per-procedure overrides held in memory for the assistant: loaded at start, reloaded by the admin
 * console after each change is committed (a commune has a few dozen at most). Owned by the app and passed in.
 */
export class LocalOverrides implements LocalOverrideLookup {
  private byCode = new Map<string, ProcedureOverride>();

  constructor(private readonly store: Pick<ProcedureOverrideStore, 'list'>) {}

  static async load(store: Pick<ProcedureOverrideStore, 'list'>): Promise<LocalOverrides> {
    const o = new LocalOverrides(store);
    await o.refresh();
    return o;
  }

  async refresh(): Promise<void> {
    const list = await this.store.list();
    this.byCode = new Map(list.map((o) => [o.code, o]));
  }

  isExcluded(code: string): boolean {
    return this.byCode.get(code)?.excluded ?? false;
  }

  localNote(code: string): string | null {
    return this.byCode.get(code)?.localNote ?? null;
  }

  /** The excluded codes, for a report or a test. */
  excludedCodes(): string[] {
    return [...this.byCode.values()].filter((o) => o.excluded).map((o) => o.code);
  }
}

/** The part of the search the assistant uses. */
export type AssistantSearch = Pick<ProcedureSearch, 'search' | 'analyse'>;

/**
 * The search with the excluded procedures left out of every result (hits, and the vocabulary's and life events'
 * codes), whatever step asks: give it to the assistant in place of the search itself.
 */
export function excludingSearch(search: AssistantSearch, overrides: Pick<LocalOverrideLookup, 'isExcluded'>): AssistantSearch {
  const exclude = (code: string) => overrides.isExcluded(code);
  return {
    search: (raw, opts = {}) => search.search(raw, { ...opts, exclude }),
    analyse: (text) => search.analyse(text),
  };
}
