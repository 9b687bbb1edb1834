import { redactPersonalData } from '../../assistant/guardrails/pii.ts';
import { topicOf, unansweredTopics } from '../../reports/unanswered.ts';
import type { GapKind, GapRow } from '../../storage/knowledge-gap-queries.ts';

/**
 * The knowledge-gaps report: what the assistant could not serve (no-answers, handovers, low ratings), grouped by
 * topic as the unanswered-topics report groups them (src/reports/unanswered.ts: the first content words, folded),
 * so "bán hàng online có phải đăng ký không" and "ban hang online co phai dang ky ko" fall together. Each topic
 * keeps its count per kind, the procedures its conversations were about (the stored codes) and redacted examples.
 */

export const GAP_EXAMPLES = 3;

export interface NearProcedure {
  code: string;
  title: string | null;
  /** How many of the topic's rows named it. */
  count: number;
}

export interface GapTopic {
  /** The folded topic words ('' for messages with none). */
  key: string;
  label: string;
  count: number;
  byKind: Record<GapKind, number>;
  /** Redacted again on the way out (a stored summary predates a redaction rule, say). */
  examples: string[];
  /** The procedures the rows were about at the time, most named first. */
  near: NearProcedure[];
  /** The best search score any of its messages reached at the time (null when none was searched). */
  topScore: number | null;
  lastAt: string;
}

const clean = (text: string) => redactPersonalData(text).text.replace(/\s+/g, ' ').trim();

/** Topics, the most frequent first; `titleOf` names the procedures of the knowledge base. */
export function gapTopics(rows: readonly GapRow[], titleOf: (code: string) => string | null): GapTopic[] {
  const served = rows.filter((r) => r.text.trim());
  // the same grouping, order and labels as the reports' unanswered topics
  const topics = unansweredTopics(served.map((r) => ({ createdAt: r.createdAt, channel: r.channel, textRedacted: r.text })));
  const byKey = new Map<string, GapRow[]>();
  for (const r of served) {
    const { key } = topicOf(r.text);
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return topics.map((t) => {
    const group = byKey.get(t.key) ?? [];
    const byKind: Record<GapKind, number> = { no_answer: 0, handover: 0, low_rating: 0 };
    const codes = new Map<string, number>();
    const examples: string[] = [];
    let topScore: number | null = null;
    let lastAt = 0;
    for (const r of group) {
      byKind[r.kind] += 1;
      for (const c of new Set(r.codes)) codes.set(c, (codes.get(c) ?? 0) + 1);
      if (r.topScore !== null) topScore = Math.max(topScore ?? 0, r.topScore);
      lastAt = Math.max(lastAt, r.createdAt.getTime());
      const example = clean(r.text);
      if (example && examples.length < GAP_EXAMPLES && !examples.includes(example)) examples.push(example);
    }
    const near = [...codes]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([code, count]) => ({ code, title: titleOf(code), count }));
    return { key: t.key, label: t.label, count: t.count, byKind, examples, near, topScore, lastAt: new Date(lastAt).toISOString() };
  });
}
