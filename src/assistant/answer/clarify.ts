import type { SearchHit } from '../../retrieval/search.ts';
import { fold } from '../../retrieval/text.ts';

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
}

export const DEFAULT_CLARIFY: ClarifyPolicy = { minScoreRatio: 0.86, minTitleOverlap: 0.6, maxOptions: 3 };

const GENERIC = new Set(['thu', 'tuc', 'cap', 'xa', 'tinh', 'bo', 'va', 'cua', 'cho', 'doi', 'voi', 'nguoi', 'tai']);

function words(title: string): Set<string> {
  return new Set(fold(title).split(' ').filter((w) => w && !GENERIC.has(w)));
}

/** The hits to offer as options, best first; empty when the top hit stands on its own. */
export function clarifyOptions(hits: SearchHit[], policy: ClarifyPolicy = DEFAULT_CLARIFY): SearchHit[] {
  const [top, ...rest] = hits;
  if (!top || !rest.length) return [];
  const topWords = words(top.title);
  const siblings = rest.filter((h) => {
    if (h.score < top.score * policy.minScoreRatio) return false;
    if (h.isCommune !== top.isCommune) return false;
    const w = words(h.title);
    let shared = 0;
    for (const x of topWords) if (w.has(x)) shared++;
    return shared / Math.max(1, Math.min(topWords.size, w.size)) >= policy.minTitleOverlap;
  });
  return siblings.length ? [top, ...siblings].slice(0, policy.maxOptions) : [];
}
