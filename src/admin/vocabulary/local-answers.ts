import { contentTokens, fold } from '../../retrieval/text.ts';
import type { LocalAnswer, LocalKnowledgeStore } from '../../storage/local-knowledge-store.ts';

/**
 * Staff-written local answers matched against a citizen's message. Deliberately strict: a local answer replaces
 * the listing's, so it fires only when the message says nearly what one of its examples says — the Dice
 * coefficient of their content words (folded, the search's fillers dropped) at LOCAL_ANSWER_THRESHOLD or more,
 * with at least MIN_SHARED words in common. "Đăng ký khai sinh cần giấy tờ gì" does not reach an example
 * "Đăng ký khai sinh ở quầy nào" (0.67); test/admin-gaps/ checks the development questions against it.
 */

export const LOCAL_ANSWER_THRESHOLD = 0.8;
export const MIN_SHARED = 2;

export interface LocalAnswerMatch {
  id: number;
  topic: string;
  answer: string;
  /** The example it matched and how closely (0..1). */
  example: string;
  score: number;
}

/** What the assistant asks of the local answers while it answers: synchronous, from memory. */
export interface LocalAnswerLookup {
  match(text: string): LocalAnswerMatch | null;
}

const words = (text: string): Set<string> => new Set(contentTokens(fold(text)));

/** Dice coefficient of two texts' content words, and how many they share. */
export function wordSimilarity(a: string, b: string): { score: number; shared: number } {
  const x = words(a);
  const y = words(b);
  if (!x.size || !y.size) return { score: 0, shared: 0 };
  let shared = 0;
  for (const w of x) if (y.has(w)) shared += 1;
  return { score: (2 * shared) / (x.size + y.size), shared };
}

interface Compiled {
  answer: LocalAnswer;
  examples: string[];
}

/** The local answers in force, in memory; refreshed by the admin service after each change. Owned by the app. */
export class LocalAnswers implements LocalAnswerLookup {
  private list: Compiled[] = [];

  constructor(private readonly store: Pick<LocalKnowledgeStore, 'answers'>) {}

  static async load(store: Pick<LocalKnowledgeStore, 'answers'>): Promise<LocalAnswers> {
    const a = new LocalAnswers(store);
    await a.refresh();
    return a;
  }

  async refresh(): Promise<void> {
    this.list = (await this.store.answers()).map((answer) => ({ answer, examples: answer.examples }));
  }

  /** The closest local answer at or above the threshold; the older one on a tie. */
  match(text: string): LocalAnswerMatch | null {
    let best: LocalAnswerMatch | null = null;
    for (const { answer, examples } of this.list) {
      for (const example of examples) {
        const { score, shared } = wordSimilarity(text, example);
        if (shared < MIN_SHARED || score < LOCAL_ANSWER_THRESHOLD) continue;
        if (!best || score > best.score) best = { id: answer.id, topic: answer.topic, answer: answer.answer, example, score };
      }
    }
    return best;
  }
}
