import type { StaffUser } from '../../domain/staff.ts';
import type { Label } from '../../domain/types.ts';
import { redactPersonalData } from '../../assistant/guardrails/pii.ts';
import { routeByRules } from '../../assistant/router/route.ts';
import { KEPT_LABELS } from '../../assistant/steps/local-answer.ts';
import { answersLifeEvent } from '../../assistant/steps/retrieve.ts';
import { QueryError } from '../../retrieval/query.ts';
import { fold } from '../../retrieval/text.ts';
import type { AuditLog } from '../../storage/audit-log.ts';
import type { Db } from '../../storage/db.ts';
import type { LocalAnswer, LocalKnowledgeStore, VocabularyMapping } from '../../storage/local-knowledge-store.ts';
import type { LanguageTables } from '../language/files.ts';
import type { AssistantSearch } from '../local-overrides.ts';
import type { LocalAnswerMatch, LocalAnswers } from './local-answers.ts';
import type { LocalVocabulary } from './overlay.ts';
import type { AnswerBody, MappingBody } from './validation.ts';

export interface LocalKnowledgeAdminDeps {
  db: Db;
  store: LocalKnowledgeStore;
  audit: AuditLog;
  /** The in-memory copies the assistant reads, refreshed after every change. */
  vocabulary: Pick<LocalVocabulary, 'refresh'>;
  answers: Pick<LocalAnswers, 'refresh' | 'match'>;
  procedures: { get(code: string): Promise<{ code: string; title: string } | null> };
  /** The search the assistant uses (exclusions and the local vocabulary applied); null until it is ready. */
  search: () => AssistantSearch | null;
  /** The router's phrase lists and life events in force (src/admin/language/), when an admin may edit them. */
  language?: () => Pick<LanguageTables, 'routerTables' | 'compiledLifeEvents'>;
}

export type Change<T> = { ok: true; value: T } | { ok: false; reason: 'unknown_procedure' | 'duplicate' | 'not_found' };

/** What the try box shows: how the assistant would read a message, without answering or recording it. */
export interface Reading {
  label: Label;
  aspect: string | null;
  aspects: string[];
  /** The message as retrieval compares it, and the vocabulary phrases it matched (committed or local). */
  folded: string;
  matchedPhrases: string[];
  procedures: { code: string; title: string; score: number; viaVocabulary: boolean }[];
  confidence: number;
  noMatch: boolean;
  /**
   * The procedures of the life events the message tells, when no title matched and the assistant answers them
   * instead (the first is answered, the others offered as "Thường làm tiếp"); else empty.
   */
  lifeEventAnswer: string[];
  localAnswer: Pick<LocalAnswerMatch, 'id' | 'topic' | 'example' | 'score'> | null;
}

/**
 * The admins' additions from the knowledge-gaps report: vocabulary mappings and local answers, each added or
 * removed with its audit entry (before and after) in one transaction, then the assistant's copy refreshed so the
 * next message reads it. Removing stamps the row (kept for the record); adding it again is a new row.
 */
export class LocalKnowledgeAdmin {
  constructor(private readonly deps: LocalKnowledgeAdminDeps) {}

  mappings(): Promise<VocabularyMapping[]> {
    return this.deps.store.mappings();
  }

  async addMapping(body: MappingBody, user: StaffUser): Promise<Change<VocabularyMapping>> {
    if (!(await this.deps.procedures.get(body.code))) return { ok: false, reason: 'unknown_procedure' };
    const phraseFolded = fold(body.phrase);
    const { store, audit } = this.deps;
    const added = await this.deps.db.transaction(async (tx) => {
      if (await store.activeMapping(phraseFolded, body.code, tx)) return null;
      const id = await store.addMapping({ phrase: body.phrase, phraseFolded, code: body.code, createdBy: user.username }, tx);
      const after = await store.mapping(id, tx);
      await audit.record({ userId: user.id, username: user.username, action: 'local_vocabulary.add', target: `local_vocabulary:${id}`, details: { before: null, after } }, tx);
      return after;
    });
    if (!added) return { ok: false, reason: 'duplicate' };
    await this.deps.vocabulary.refresh();
    return { ok: true, value: added };
  }

  async removeMapping(id: number, user: StaffUser): Promise<Change<VocabularyMapping>> {
    const { store, audit } = this.deps;
    const removed = await this.deps.db.transaction(async (tx) => {
      const before = await store.mapping(id, tx);
      if (!before || !(await store.removeMapping(id, user.username, tx))) return null;
      const after = await store.mapping(id, tx);
      await audit.record({ userId: user.id, username: user.username, action: 'local_vocabulary.remove', target: `local_vocabulary:${id}`, details: { before, after } }, tx);
      return after;
    });
    if (!removed) return { ok: false, reason: 'not_found' };
    await this.deps.vocabulary.refresh();
    return { ok: true, value: removed };
  }

  answers(): Promise<LocalAnswer[]> {
    return this.deps.store.answers();
  }

  async addAnswer(body: AnswerBody, user: StaffUser): Promise<Change<LocalAnswer>> {
    const { store, audit } = this.deps;
    const added = await this.deps.db.transaction(async (tx) => {
      const id = await store.addAnswer({ topic: body.topic, examples: body.examples, answer: body.text, createdBy: user.username }, tx);
      const after = await store.answer(id, tx);
      await audit.record({ userId: user.id, username: user.username, action: 'local_answer.add', target: `local_answer:${id}`, details: { before: null, after } }, tx);
      return after!;
    });
    await this.deps.answers.refresh();
    return { ok: true, value: added };
  }

  async removeAnswer(id: number, user: StaffUser): Promise<Change<LocalAnswer>> {
    const { store, audit } = this.deps;
    const removed = await this.deps.db.transaction(async (tx) => {
      const before = await store.answer(id, tx);
      if (!before || !(await store.removeAnswer(id, user.username, tx))) return null;
      const after = await store.answer(id, tx);
      await audit.record({ userId: user.id, username: user.username, action: 'local_answer.remove', target: `local_answer:${id}`, details: { before, after } }, tx);
      return after;
    });
    if (!removed) return { ok: false, reason: 'not_found' };
    await this.deps.answers.refresh();
    return { ok: true, value: removed };
  }

  /**
   * "The bot would read this message as …": the router's rules and the assistant's own search (exclusions and
   * local vocabulary applied) on the redacted message, and the local answer it would match. Nothing is stored
   * and no conversation is touched; the conversation's context (a procedure under discussion) is left out.
   * `tables`: the phrase lists and life events to read with (an admin's draft); default: those in force.
   * null while the knowledge base is loading.
   */
  async read(raw: string, tables = this.deps.language?.()): Promise<Reading | null> {
    const search = this.deps.search();
    if (!search) return null;
    const text = redactPersonalData(raw.normalize('NFC')).text.trim();
    let folded = fold(text);
    try {
      folded = search.analyse(text).folded;
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
    }
    const routing = routeByRules(text, folded, { hasCurrentProcedure: false, pendingChoices: 0, tables: tables?.routerTables });
    // as the pipeline does: an emergency, an injection, a request for a person or a dossier keep their own answer
    const local = KEPT_LABELS.has(routing.label) ? null : this.deps.answers.match(text);
    const base = { label: routing.label, aspect: routing.aspect, aspects: routing.aspects, folded, localAnswer: local && { id: local.id, topic: local.topic, example: local.example, score: round(local.score) } };
    try {
      const result = await search.search(text, { limit: 5, lifeEvents: tables?.compiledLifeEvents });
      return {
        ...base,
        matchedPhrases: result.query.matchedPhrases,
        procedures: result.hits.map((h) => ({ code: h.code, title: h.title, score: round(h.score), viaVocabulary: h.routes.vocabulary !== undefined })),
        confidence: round(result.confidence),
        noMatch: result.noMatch,
        lifeEventAnswer: answersLifeEvent(result, folded, routing.aspects, tables?.routerTables) ? result.query.lifeEventCodes : [],
      };
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      return { ...base, matchedPhrases: [], procedures: [], confidence: 0, noMatch: true, lifeEventAnswer: [] };
    }
  }
}

const round = (n: number) => Number(n.toFixed(4));
