import { END_STATUS_LABELS, EndStatusSchema, type EndStatus } from '../domain/staff.ts';
import type { TicketRow } from '../storage/report-queries.ts';

/**
 * Handover figures for the tickets opened in a period: how many were opened, taken by a staff member and closed,
 * how they ended, how long citizens waited for a person (created → claimed), and how many came outside working
 * hours or asked to be called back.
 */

export interface HandoverReport {
  opened: number;
  claimed: number;
  closed: number;
  stillOpen: number;
  byEndStatus: { endStatus: EndStatus; label: string; count: number }[];
  /** Minutes from opening to a staff member taking the ticket, over the tickets taken. */
  waitingMinutes: { p50: number | null; p90: number | null; sample: number };
  afterHours: number;
  callbacksRequested: number;
  afterHoursCallbacks: number;
}

/**
 * Nearest-rank percentile (the smallest value with at least p of the sample at or below it): always a wait some
 * citizen really had, and stable for the small samples of one commune.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

const roundTenth = (n: number) => Math.round(n * 10) / 10;

export function handoverReport(rows: readonly TicketRow[]): HandoverReport {
  const counts = new Map<EndStatus, number>();
  const waits: number[] = [];
  let closed = 0;
  for (const t of rows) {
    if (t.status === 'closed') closed += 1;
    const end = EndStatusSchema.safeParse(t.endStatus);
    if (end.success) counts.set(end.data, (counts.get(end.data) ?? 0) + 1);
    if (t.claimedAt) waits.push((t.claimedAt.getTime() - t.createdAt.getTime()) / 60_000);
  }
  waits.sort((a, b) => a - b);
  const p50 = percentile(waits, 0.5);
  const p90 = percentile(waits, 0.9);
  return {
    opened: rows.length,
    claimed: waits.length,
    closed,
    stillOpen: rows.length - closed,
    byEndStatus: EndStatusSchema.options.map((s) => ({ endStatus: s, label: END_STATUS_LABELS[s], count: counts.get(s) ?? 0 })),
    waitingMinutes: { p50: p50 === null ? null : roundTenth(p50), p90: p90 === null ? null : roundTenth(p90), sample: waits.length },
    afterHours: rows.filter((t) => t.afterHours).length,
    callbacksRequested: rows.filter((t) => t.callbackRequested).length,
    afterHoursCallbacks: rows.filter((t) => t.afterHours && t.callbackRequested).length,
  };
}
