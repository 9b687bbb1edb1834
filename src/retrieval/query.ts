import type { Vocabulary } from '../knowledge/vocabulary.ts';
import { bigrams, containsPhrase, contentTokens, fold, replacePhrase } from './text.ts';

export const MAX_QUERY_CHARS = 2000;

export class QueryError extends Error {
  constructor(
    readonly code: 'empty' | 'too_long' | 'binary',
    message: string,
  ) {
    super(message);
  }
}

/** Rejects what cannot be a citizen's question, with a reason a caller can show. */
export function validateQuery(raw: unknown): string {
  if (typeof raw !== 'string') throw new QueryError('binary', 'Câu hỏi phải là văn bản.');
  // Control characters other than whitespace, or U+FFFD from a failed decode, mean binary data.
  if (/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/.test(raw)) {
    throw new QueryError('binary', 'Câu hỏi chứa dữ liệu không phải văn bản.');
  }
  const text = raw.normalize('NFC').trim();
  if (!text || !fold(text)) throw new QueryError('empty', 'Câu hỏi đang trống.');
  if (text.length > MAX_QUERY_CHARS) {
    throw new QueryError('too_long', `Câu hỏi dài quá ${MAX_QUERY_CHARS} ký tự, xin viết ngắn lại.`);
  }
  return text;
}

export interface AnalysedQuery {
  original: string;
  /** Folded text with typos fixed. */
  folded: string;
  /** Folded text plus the canonical names of matched vocabulary, used for search. */
  expanded: string;
  tokens: string[];
  bigrams: string[];
  /** Procedure codes named by matched vocabulary (synonyms first, then life events), best first. */
  vocabCodes: string[];
  lifeEventCodes: string[];
  /** A matched life event is a request for its procedures even without a question about papers. */
  lifeEventAlone: boolean;
  matchedPhrases: string[];
  /** The level the question explicitly asks for ("ở cấp tỉnh", "trung ương"), else null. */
  namedLevel: 'Cấp tỉnh' | 'Cấp bộ' | null;
}

/** Pre-folded vocabulary, built once per search engine. */
export interface CompiledVocabulary {
  typos: [string, string][];
  synonyms: { phrases: string[]; canonical: string; codes: string[] }[];
  lifeEvents: { phrases: string[]; codes: string[]; unlessFollowedBy: string[]; answersAlone: boolean }[];
}

export function compileVocabulary(v: Vocabulary): CompiledVocabulary {
  const uniq = (xs: string[]) => [...new Set(xs.map(fold).filter(Boolean))];
  return {
    // longest first so "dang ki ket hon" wins over "dang ki"
    typos: Object.entries(v.typos)
      .map(([k, val]) => [fold(k), fold(val)] as [string, string])
      .filter(([k, val]) => k && k !== val)
      .sort((a, b) => b[0].length - a[0].length),
    synonyms: v.synonyms.map((s) => ({
      phrases: uniq(s.phrases).sort((a, b) => b.length - a.length),
      canonical: fold(s.canonical),
      codes: s.codes ?? [],
    })),
    lifeEvents: compileLifeEvents(v.lifeEvents),
  };
}

/** Life events folded for matching (the vocabulary's, or an admin's edited list). */
export function compileLifeEvents(events: Vocabulary['lifeEvents']): CompiledVocabulary['lifeEvents'] {
  const uniq = (xs: string[]) => [...new Set(xs.map(fold).filter(Boolean))];
  return events.map((e) => ({ phrases: uniq(e.phrases), codes: e.codes, unlessFollowedBy: uniq(e.unlessFollowedBy ?? []), answersAlone: e.answersAlone ?? false }));
}

/**
 * Explicit requests for another level. Kept strict: "tỉnh" alone also means a place ("chuyển sang tỉnh khác"),
 * which must not pull the answer away from the commune.
 */
const PROVINCE_LEVEL = / (cap tinh|len tinh|tai tinh|o tinh|so tu phap|so xay dung|so tai nguyen|so nong nghiep|so noi vu|so y te) /;
const CENTRAL_LEVEL = / (cap bo|trung uong|cap trung uong|tai bo|len bo) /;

/** The phrase of `event` that `folded` (a folded message, typos fixed) says in the event's sense, if any. */
export function lifeEventPhrase(folded: string, event: CompiledVocabulary['lifeEvents'][number]): string | undefined {
  return event.phrases.find((p) => occursMeaning(folded, p, event.unlessFollowedBy));
}

/** `phrase` occurs in `folded` at least once without one of `unless` right after it. */
function occursMeaning(folded: string, phrase: string, unless: string[]): boolean {
  const text = ` ${folded} `;
  let at = text.indexOf(` ${phrase} `);
  while (at !== -1) {
    const after = text.slice(at + phrase.length + 1);
    if (!unless.some((u) => after.startsWith(` ${u} `))) return true;
    at = text.indexOf(` ${phrase} `, at + 1);
  }
  return false;
}

export function analyseQuery(text: string, vocab: CompiledVocabulary): AnalysedQuery {
  let folded = fold(text);
  for (const [from, to] of vocab.typos) if (containsPhrase(folded, from)) folded = replacePhrase(folded, from, to);

  const extra: string[] = [];
  const vocabCodes: string[] = [];
  const matchedPhrases: string[] = [];
  for (const s of vocab.synonyms) {
    const hit = s.phrases.find((p) => containsPhrase(folded, p));
    if (!hit) continue;
    matchedPhrases.push(hit);
    extra.push(s.canonical);
    for (const c of s.codes) if (!vocabCodes.includes(c)) vocabCodes.push(c);
  }
  const lifeEventCodes: string[] = [];
  let lifeEventAlone = false;
  for (const e of vocab.lifeEvents) {
    const hit = lifeEventPhrase(folded, e);
    if (!hit) continue;
    if (e.answersAlone) lifeEventAlone = true;
    matchedPhrases.push(hit);
    for (const c of e.codes) if (!lifeEventCodes.includes(c)) lifeEventCodes.push(c);
  }
  const expanded = [folded, ...extra].join(' ');
  const tokens = [...new Set(contentTokens(expanded))];
  return {
    original: text,
    folded,
    expanded,
    tokens,
    bigrams: [...new Set([folded, ...extra].flatMap((t) => bigrams(t.split(' '))))],
    vocabCodes,
    lifeEventCodes,
    lifeEventAlone,
    matchedPhrases,
    namedLevel: PROVINCE_LEVEL.test(` ${folded} `) ? 'Cấp tỉnh' : CENTRAL_LEVEL.test(` ${folded} `) ? 'Cấp bộ' : null,
  };
}
