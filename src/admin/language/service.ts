import { isDeepStrictEqual } from 'node:util';
import type { StaffUser } from '../../domain/staff.ts';
import { compileLifeEvents, lifeEventPhrase } from '../../retrieval/query.ts';
import type { AuditLog } from '../../storage/audit-log.ts';
import type { Db, Queryable } from '../../storage/db.ts';
import type { LanguageRevision, LanguageStore } from '../../storage/language-store.ts';
import type { FieldErrors } from '../validation.ts';
import type { Reading } from '../vocabulary/service.ts';
import { LANGUAGE_FILE_INFO, LANGUAGE_FILE_NAMES, type LanguageFileInfo, type LanguageFileName, type LanguageFiles, type LanguageTables } from './files.ts';
import type { LiveLanguage } from './live.ts';
import { LANGUAGE_MESSAGES as M } from './validation.ts';

export interface LanguageAdminDeps {
  db: Db;
  store: LanguageStore;
  audit: AuditLog;
  live: LiveLanguage;
  /** Which of these codes the knowledge base has (a life event may only name procedures it can answer). */
  knownCodes: (codes: string[]) => Promise<Set<string>>;
  /** How the assistant would read a message with these tables (the vocabulary try box's reading); null while loading. */
  read: (text: string, tables: LanguageTables) => Promise<Reading | null>;
}

export interface FileSummary extends LanguageFileInfo {
  edited: boolean;
  revision: LanguageRevision | null;
}

export type LanguageChange =
  | { ok: true; revision: LanguageRevision }
  | { ok: false; reason: 'conflict' | 'unchanged' | 'not_found' | 'already_shipped'; message: string }
  | { ok: false; reason: 'invalid'; message: string; fields: FieldErrors };

/** The reading of the try box, with the life events the message tells. */
export interface LanguageReading extends Reading {
  lifeEvents: { id: string; name: string }[];
}

/**
 * The admins' edits of the language data files: each save, restore or reset is one new revision with its audit
 * entry (before and after) in one transaction, serialised per file and refused when someone saved since the admin
 * loaded the file; then the assistant's copy is refreshed so the next message reads it. Nothing is ever deleted:
 * any revision, and the shipped file, can be put back.
 */
export class LanguageAdmin {
  constructor(private readonly deps: LanguageAdminDeps) {}

  async files(): Promise<FileSummary[]> {
    const current = new Map((await this.deps.store.current()).map((r) => [r.name, r]));
    return LANGUAGE_FILE_NAMES.map((name) => ({ ...LANGUAGE_FILE_INFO[name], edited: this.deps.live.file(name).edited, revision: current.get(name) ?? null }));
  }

  async file<K extends LanguageFileName>(name: K): Promise<FileSummary & { data: LanguageFiles[K] }> {
    const { data, edited } = this.deps.live.file(name);
    return { ...LANGUAGE_FILE_INFO[name], data, edited, revision: await this.deps.store.latest(name) };
  }

  history(name: LanguageFileName): Promise<LanguageRevision[]> {
    return this.deps.store.history(name);
  }

  async save<K extends LanguageFileName>(name: K, data: LanguageFiles[K], expectedRevision: number | null, user: StaffUser): Promise<LanguageChange> {
    const unknown = await this.unknownCodes(name, data);
    if (Object.keys(unknown).length) return { ok: false, reason: 'invalid', message: `${M.invalid} ${M.unknownProcedure}`, fields: unknown };
    return this.change(name, user, 'save', async (latest) => {
      if ((latest?.id ?? null) !== expectedRevision) return { ok: false, reason: 'conflict', message: M.conflict };
      return { data, restoredFrom: null };
    });
  }

  async restore(name: LanguageFileName, revisionId: number, user: StaffUser): Promise<LanguageChange> {
    const rev = await this.deps.store.get(revisionId);
    if (!rev || rev.name !== name) return { ok: false, reason: 'not_found', message: M.unknownRevision };
    return this.change(name, user, rev.data === null ? 'reset' : 'restore', async () => ({ data: rev.data as LanguageFiles[typeof name] | null, restoredFrom: rev.id }));
  }

  async reset(name: LanguageFileName, user: StaffUser): Promise<LanguageChange> {
    return this.change(name, user, 'reset', async (latest) => {
      if (!latest || latest.data === null) return { ok: false, reason: 'already_shipped', message: M.alreadyShipped };
      return { data: null, restoredFrom: null };
    });
  }

  /**
   * "The bot would read this message as …", with what is in force or with an unsaved draft of one file. Nothing is
   * stored. null while the knowledge base is loading.
   */
  async read(text: string, draft?: { [K in LanguageFileName]: { name: K; data: LanguageFiles[K] } }[LanguageFileName]): Promise<LanguageReading | null> {
    const { live } = this.deps;
    const tables = draft ? live.withDraft(draft.name, draft.data) : live.current();
    const reading = await this.deps.read(text, tables);
    if (!reading) return null;
    const compiled = compileLifeEvents(tables.lifeEvents);
    const lifeEvents = tables.lifeEvents.filter((_e, i) => lifeEventPhrase(reading.folded, compiled[i]!) !== undefined).map((e) => ({ id: e.id, name: e.name }));
    return { ...reading, lifeEvents };
  }

  /** One revision in one transaction with its audit entry, serialised per file; the live copy refreshed after. */
  private async change<K extends LanguageFileName>(
    name: K,
    user: StaffUser,
    action: LanguageRevision['action'],
    decide: (latest: LanguageRevision | null, tx: Queryable) => Promise<LanguageChange | { data: LanguageFiles[K] | null; restoredFrom: number | null }>,
  ): Promise<LanguageChange> {
    const { store, audit, live } = this.deps;
    const result = await this.deps.db.transaction(async (tx): Promise<LanguageChange> => {
      const latest = await store.lockLatest(name, tx);
      const decided = await decide(latest, tx);
      if ('ok' in decided) return decided;
      // what the bot reads before and after: the shipped file where no revision is in force
      const before = latest?.data ?? live.shipped[name];
      const after = decided.data ?? live.shipped[name];
      const wasShipped = !latest || latest.data === null;
      // a reset to a copy equal to the shipped file still changes something: the product's updates apply again
      if (wasShipped === (decided.data === null) && isDeepStrictEqual(before, after)) {
        return { ok: false, reason: 'unchanged', message: M.unchanged };
      }
      const revision = await store.add({ name, data: decided.data, action, restoredFrom: decided.restoredFrom, createdBy: user.username }, tx);
      await audit.record(
        { userId: user.id, username: user.username, action: `language.${action}`, target: `language:${name}`, details: { revision: revision.id, restoredFrom: decided.restoredFrom, before, after } },
        tx,
      );
      return { ok: true, revision };
    });
    if (result.ok) await live.refresh();
    return result;
  }

  private async unknownCodes(name: LanguageFileName, data: LanguageFiles[LanguageFileName]): Promise<FieldErrors> {
    if (name !== 'life-events') return {};
    const events = (data as LanguageFiles['life-events']).lifeEvents;
    const known = await this.deps.knownCodes([...new Set(events.flatMap((e) => e.codes))]);
    const fields: FieldErrors = {};
    events.forEach((e, i) =>
      e.codes.forEach((c, j) => {
        if (!known.has(c)) fields[`lifeEvents.${i}.codes.${j}`] = `${c}: ${M.unknownProcedure}`;
      }),
    );
    return fields;
  }
}
