import type { SearchHit } from '../../retrieval/search.ts';
import { fold, STOPWORDS } from '../../retrieval/text.ts';

/**
 * When two or three procedures fit a question about equally well (domestic or with a foreign element, first
 * registration or re-registration), the assistant asks which one instead of guessing. Siblings are hits whose
 * titles share the words the question matched and whose scores are close to the best one's.
 */
export interface ClarifyPolicy {
  /** A sibling's score must be at least this share of the top score. */
  minScoreRatio: number;
  /** Share of the top title's words the sibling's title must share. */
  minTitleOverlap: number;
  maxOptions: number;
  /** Longer questions carry enough detail for the best hit to stand. */
  maxQuestionTerms: number;
}

/**
 * Set on the development set: close scores alone do not make a question ambiguous (most citizens asking about
 * "khai sinh" mean the ordinary one), so only short questions with near-tied siblings are asked back; in other
 * cases the best procedure is answered and its siblings are offered as alternatives (see `alternatives`).
 */
export const DEFAULT_CLARIFY: ClarifyPolicy = { minScoreRatio: 0.9, minTitleOverlap: 0.6, maxOptions: 3, maxQuestionTerms: 5 };

/** Variants that are rarely what a citizen means unless named: never offered as an equal alternative. */
const MINOR_VARIANT = /\b(luu dong|thuc hien tai cap (tinh|bo|trung uong)|khu vuc bien gioi)\b/;

const GENERIC = new Set(
  'thu tuc cap xa tinh bo va cua cho doi voi nguoi tai co khong la cac mot nhung duoc trong theo ve tu giay'.split(' '),
);

function words(title: string): Set<string> {
  const t = fold(title).replace(/^(truong hop khac|other case) /, '');
  return new Set(t.split(' ').filter((w) => w.length > 1 && !GENERIC.has(w) && !STOPWORDS.has(w) && !/^\d+$/.test(w)));
}

/** The hits to offer as options, best first; empty when the top hit stands on its own. */
export function clarifyOptions(hits: SearchHit[], questionTerms: number, policy: ClarifyPolicy = DEFAULT_CLARIFY): SearchHit[] {
  if (questionTerms > policy.maxQuestionTerms) return [];
  const siblings = siblingsOf(hits, policy.minScoreRatio, policy);
  return siblings.length ? [hits[0]!, ...siblings].slice(0, policy.maxOptions) : [];
}

/** Close relatives of the best hit worth offering next to its answer ("Trường hợp khác"). */
export function alternatives(hits: SearchHit[], policy: ClarifyPolicy = DEFAULT_CLARIFY, minRatio = 0.75): SearchHit[] {
  return siblingsOf(hits, minRatio, policy).slice(0, 2);
}

function siblingsOf(hits: SearchHit[], minRatio: number, policy: ClarifyPolicy): SearchHit[] {
  const [top, ...rest] = hits;
  if (!top || !rest.length) return [];
  const topWords = words(top.title);
  return rest.filter((h) => {
    if (h.score < top.score * minRatio) return false;
    if (MINOR_VARIANT.test(fold(h.title))) return false;
    if (h.isCommune !== top.isCommune) return false;
    const w = words(h.title);
    let shared = 0;
    for (const x of topWords) if (w.has(x)) shared++;
    return shared / Math.max(1, Math.min(topWords.size, w.size)) >= policy.minTitleOverlap;
  });
}

/**
 * A typed answer to a clarifying question ("cháu mới 10 tuổi", "người nước ngoài"): the one offered option it
 * points at, or null. Ages are compared with the "dưới N tuổi" / "từ đủ N tuổi" of the titles; otherwise the
 * option whose own title words (those the other options lack) the message uses.
 */
export function resolveChoice(folded: string, options: { id: string; label: string }[]): { id: string; label: string } | null {
  if (options.length < 2) return null;
  const age = /\b(\d{1,3}) (tuoi|thang tuoi)\b/.exec(folded);
  if (age) {
    const years = age[2] === 'thang tuoi' ? 0 : Number(age[1]);
    const fits = options.filter((o) => {
      const t = fold(o.label);
      const under = /duoi (\d+) tuoi/.exec(t);
      const over = /tu du (\d+) tuoi|tu (\d+) tuoi tro len/.exec(t);
      if (under) return years < Number(under[1]);
      if (over) return years >= Number(over[1] ?? over[2]);
      return false;
    });
    if (fits.length === 1) return fits[0]!;
  }
  const msg = new Set(folded.split(' '));
  const own = options.map((o, i) => {
    const mine = words(o.label);
    for (const [j, other] of options.entries()) if (j !== i) for (const w of words(other.label)) mine.delete(w);
    return [...mine].filter((w) => msg.has(w)).length;
  });
  const best = Math.max(...own);
  return best > 0 && own.filter((x) => x === best).length === 1 ? options[own.indexOf(best)]! : null;
}
