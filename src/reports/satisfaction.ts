import { LEVELS } from '../services/ratings/levels.ts';
import type { RatingRow } from '../storage/report-queries.ts';
import { monthLabel, vietnamMonth } from './vietnam-time.ts';

/**
 * Satisfaction with the help given through the assistant (not the official SIPAS survey): per group, how many
 * ratings on each of the five official levels, the total, and the share satisfied — Hài lòng plus Rất hài lòng
 * over all ratings of the group.
 */

export const GROUPINGS = ['month', 'procedure', 'field', 'channel', 'staff'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** What each grouping is called on the console page and in the CSV. */
export const GROUPING_LABELS: Record<Grouping, string> = {
  month: 'Theo tháng',
  procedure: 'Theo thủ tục',
  field: 'Theo lĩnh vực',
  channel: 'Theo kênh',
  staff: 'Theo cán bộ',
};

export const CHANNEL_LABELS: Record<string, string> = { telegram: 'Telegram', zalo: 'Zalo', web: 'Trang web' };

const SATISFIED_LEVELS: ReadonlySet<number> = new Set([4, 5]);

/** Counts keyed by level '1'…'5' (5 = Rất hài lòng). */
export type LevelCounts = Record<string, number>;

export interface SatisfactionGroup {
  /** The group's value: '2026-11', a procedure code, a field, a channel, a staff name; null when the rating has none. */
  key: string | null;
  label: string;
  counts: LevelCounts;
  total: number;
  satisfied: number;
  /** satisfied ÷ total; null for no ratings. */
  shareSatisfied: number | null;
}

export interface SatisfactionReport {
  by: Grouping;
  levels: { level: number; label: string }[];
  groups: SatisfactionGroup[];
  overall: SatisfactionGroup;
}

function groupOf(row: RatingRow, by: Grouping): { key: string | null; label: string } {
  switch (by) {
    case 'month': {
      const m = vietnamMonth(row.createdAt);
      return { key: m, label: monthLabel(m) };
    }
    case 'procedure':
      if (!row.procedureCode) return { key: null, label: 'Không gắn thủ tục' };
      return { key: row.procedureCode, label: row.procedureTitle ? `${row.procedureTitle} (${row.procedureCode})` : row.procedureCode };
    case 'field':
      return row.field ? { key: row.field, label: row.field } : { key: null, label: 'Chưa rõ lĩnh vực' };
    case 'channel':
      return { key: row.channel, label: CHANNEL_LABELS[row.channel] ?? row.channel };
    case 'staff':
      return row.staff ? { key: row.staff, label: row.staff } : { key: null, label: 'Không qua cán bộ (chỉ trợ lý ảo)' };
  }
}

function emptyGroup(key: string | null, label: string): SatisfactionGroup {
  const counts: LevelCounts = {};
  for (const l of LEVELS) counts[String(l.level)] = 0;
  return { key, label, counts, total: 0, satisfied: 0, shareSatisfied: null };
}

function add(g: SatisfactionGroup, level: number): void {
  g.counts[String(level)] = (g.counts[String(level)] ?? 0) + 1;
  g.total += 1;
  if (SATISFIED_LEVELS.has(level)) g.satisfied += 1;
  g.shareSatisfied = g.satisfied / g.total;
}

export function satisfactionReport(rows: readonly RatingRow[], by: Grouping): SatisfactionReport {
  const groups = new Map<string, SatisfactionGroup>();
  const overall = emptyGroup(null, 'Tổng cộng');
  for (const row of rows) {
    const { key, label } = groupOf(row, by);
    const id = key ?? '\u0000none';
    let g = groups.get(id);
    if (!g) groups.set(id, (g = emptyGroup(key, label)));
    add(g, row.level);
    add(overall, row.level);
  }
  const list = [...groups.values()];
  // Months read in time order; every other grouping puts the most rated first, and a missing value last.
  if (by === 'month') list.sort((a, b) => String(a.key).localeCompare(String(b.key)));
  else list.sort((a, b) => Number(a.key === null) - Number(b.key === null) || b.total - a.total || a.label.localeCompare(b.label, 'vi'));
  return { by, levels: LEVELS.map((l) => ({ level: l.level, label: l.label })), groups: list, overall };
}
