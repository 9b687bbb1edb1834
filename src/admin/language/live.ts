import type { Logger } from 'pino';
import type { AssistantSearch } from '../local-overrides.ts';
import type { LanguageStore } from '../../storage/language-store.ts';
import { compileLanguage, LANGUAGE_SCHEMAS, LanguageFileNameSchema, type LanguageFiles, type LanguageTables, type ShippedLanguage } from './files.ts';

/**
 * The language data in force, held in memory for the assistant: the shipped files with the admins' newest
 * revisions over them, compiled once per change (a message reads them without a query). Loaded at start and
 * refreshed by the admin service after each committed change, so the next message reads it. A stored revision
 * that no longer passes its schema (the product's schema changed under it) is skipped with a warning: the shipped
 * file serves rather than none.
 */
export class LiveLanguage {
  private edited: Partial<LanguageFiles> = {};
  private tables: LanguageTables;

  private constructor(
    private readonly store: Pick<LanguageStore, 'current'>,
    readonly shipped: ShippedLanguage,
    private readonly logger?: Logger,
  ) {
    this.tables = compileLanguage({}, shipped);
  }

  static async load(store: Pick<LanguageStore, 'current'>, shipped: ShippedLanguage, logger?: Logger): Promise<LiveLanguage> {
    const live = new LiveLanguage(store, shipped, logger);
    await live.refresh();
    return live;
  }

  async refresh(): Promise<void> {
    const edited: Partial<LanguageFiles> = {};
    for (const rev of await this.store.current()) {
      const name = LanguageFileNameSchema.safeParse(rev.name);
      if (!name.success || rev.data === null) continue;
      const parsed = LANGUAGE_SCHEMAS[name.data].safeParse(rev.data);
      if (parsed.success) (edited as Record<string, unknown>)[name.data] = parsed.data;
      else this.logger?.warn({ revision: rev.id, file: rev.name }, 'language data: a stored revision no longer passes its schema; the shipped file serves');
    }
    this.edited = edited;
    this.tables = compileLanguage(edited, this.shipped);
  }

  current(): LanguageTables {
    return this.tables;
  }

  /** The file as the bot reads it now, and whether an admin's revision is in force. */
  file<K extends keyof LanguageFiles>(name: K): { data: LanguageFiles[K]; edited: boolean } {
    const edited = this.edited[name];
    return edited ? { data: edited, edited: true } : { data: this.shipped[name], edited: false };
  }

  /** The tables with `draft` in place of what is in force for its file (the try box's "with this change"). */
  withDraft<K extends keyof LanguageFiles>(name: K, draft: LanguageFiles[K]): LanguageTables {
    return compileLanguage({ ...this.edited, [name]: draft }, this.shipped);
  }
}

/** The search reading the admins' life events on every call, whatever step asks: give it to the assistant. */
export function withLiveLifeEvents(search: AssistantSearch, live: Pick<LiveLanguage, 'current'>): AssistantSearch {
  return {
    search: (raw, opts = {}) => search.search(raw, { ...opts, lifeEvents: opts.lifeEvents ?? live.current().compiledLifeEvents }),
    analyse: (text) => search.analyse(text),
  };
}
