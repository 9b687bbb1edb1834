/** Retrieval quality over questions with known right answers: hit@k and mean reciprocal rank. */
export interface Judged {
  ranked: string[];
  gold: string[];
  acceptable?: string[];
}

export interface RetrievalMetrics {
  n: number;
  hit1: number;
  hit3: number;
  hit10: number;
  mrr: number;
}

/** A question counts as hit@k when a gold (or acceptable) code is among the first k. */
export function retrievalMetrics(items: Judged[]): RetrievalMetrics {
  let h1 = 0;
  let h3 = 0;
  let h10 = 0;
  let rr = 0;
  for (const it of items) {
    const right = new Set([...it.gold, ...(it.acceptable ?? [])]);
    const pos = it.ranked.findIndex((c) => right.has(c));
    if (pos === 0) h1++;
    if (pos >= 0 && pos < 3) h3++;
    if (pos >= 0 && pos < 10) h10++;
    if (pos >= 0) rr += 1 / (pos + 1);
  }
  const n = items.length || 1;
  return { n: items.length, hit1: h1 / n, hit3: h3 / n, hit10: h10 / n, mrr: rr / n };
}
