import type { Queryable } from '../../storage/db.ts';
import { type GapKind, gapRowsInRange, procedureTitles } from '../../storage/knowledge-gap-queries.ts';
import type { InstantRange } from '../../storage/report-queries.ts';
import { type GapTopic, gapTopics } from './report.ts';

export interface GapReport {
  totals: Record<GapKind, number>;
  topics: GapTopic[];
}

/** The knowledge-gaps report for a range: the rows read, grouped, the procedures named by their titles. */
export async function knowledgeGaps(db: Queryable, range: InstantRange): Promise<GapReport> {
  const rows = await gapRowsInRange(db, range);
  const titles = await procedureTitles(db, [...new Set(rows.flatMap((r) => r.codes))]);
  const totals: Record<GapKind, number> = { no_answer: 0, handover: 0, low_rating: 0 };
  for (const r of rows) totals[r.kind] += 1;
  return { totals, topics: gapTopics(rows, (c) => titles.get(c) ?? null) };
}
