import { fold, STOPWORDS } from '../retrieval/text.ts';
import type { UnansweredRow } from '../storage/report-queries.ts';

/**
 * What citizens asked that the assistant could not answer, grouped by a simple normalised form of the (already
 * redacted) message: the redaction placeholders dropped, the filler words the search ignores removed, and the
 * first few words that remain, folded ("Xin hỏi cấp lại sổ đỏ bị mất thế nào?" and "cap lai so do bi mat" fall
 * together). Each topic keeps its count and two examples as they were stored (redacted), so a lead sees what was
 * asked without anyone's number or name.
 */

export const TOPIC_WORDS = 4;
export const EXAMPLES_PER_TOPIC = 2;
/** The topic of a message with nothing left after the fillers ("ơi", "hả?"). */
export const NO_TOPIC_LABEL = 'Không rõ chủ đề';

// Placeholders the redaction leaves ("[số điện thoại]", "[CMND]"): what was said, not what it was about.
const PLACEHOLDER = /\[[^\]]*\]/g;

export interface Topic {
  /** The folded first content words: the group's identity ('' for none). */
  key: string;
  /** The same words as the first message wrote them, diacritics kept: 'cấp lại sổ đỏ'. */
  label: string;
  count: number;
  examples: string[];
}

/** A message's topic words: its first TOPIC_WORDS content words, folded (key) and as written (label). */
export function topicOf(text: string): { key: string; label: string } {
  const kept: { folded: string; written: string }[] = [];
  for (const word of text.replace(PLACEHOLDER, ' ').split(/[^\p{L}\p{N}]+/u)) {
    const folded = fold(word);
    if (!folded || STOPWORDS.has(folded)) continue;
    kept.push({ folded, written: word.toLocaleLowerCase('vi') });
    if (kept.length === TOPIC_WORDS) break;
  }
  if (!kept.length) return { key: '', label: NO_TOPIC_LABEL };
  return { key: kept.map((w) => w.folded).join(' '), label: kept.map((w) => w.written).join(' ') };
}

/** Every topic, the most frequent first (then alphabetically); the topic-less last. */
export function unansweredTopics(rows: readonly UnansweredRow[]): Topic[] {
  const topics = new Map<string, Topic>();
  for (const r of rows) {
    const { key, label } = topicOf(r.textRedacted);
    let t = topics.get(key);
    if (!t) topics.set(key, (t = { key, label, count: 0, examples: [] }));
    t.count += 1;
    const example = r.textRedacted.trim();
    if (t.examples.length < EXAMPLES_PER_TOPIC && example && !t.examples.includes(example)) t.examples.push(example);
  }
  return [...topics.values()].sort((a, b) => Number(a.key === '') - Number(b.key === '') || b.count - a.count || a.key.localeCompare(b.key));
}
