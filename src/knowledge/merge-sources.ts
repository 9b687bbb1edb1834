/**
 * Merging the procedures read from several sources (national listing, portal API, defence ministry export) into one
 * catalogue, one record per code.
 *
 * Where a code is in several sources, the more recently updated record wins (`updatedAt`); a record with a date
 * beats one without; otherwise the source decides: the portal's own record over the national listing, the listing
 * over the defence ministry's export. A full tie keeps the record read first.
 */
import type { Procedure } from './procedure.ts';

export type Origin = NonNullable<Procedure['origin']>;

/** Higher wins when neither date decides. A commune's own record ('local') is the most specific of all. */
const RANK: Record<Origin, number> = { bqp: 1, listing: 2, portal: 3, local: 4 };

export interface SourceBatch {
  /** What to call the source in reports (usually its file name). */
  name: string;
  procedures: Procedure[];
}

export interface SourceStats {
  name: string;
  /** Records of this source in the merged catalogue. */
  kept: number;
  /** Records of this source that lost their code to another source's record. */
  overridden: number;
  /** Codes where this source's record replaced another source's. */
  overrode: number;
}

export interface MergeResult {
  procedures: Procedure[];
  stats: SourceStats[];
  /** Every code found in more than one source: which source's record was kept, which ones lost. */
  conflicts: { code: string; winner: string; losers: string[] }[];
}

const originOf = (p: Procedure): Origin => p.origin ?? 'listing';

function time(p: Procedure): number | null {
  if (!p.updatedAt) return null;
  const t = Date.parse(p.updatedAt);
  return Number.isNaN(t) ? null : t;
}

/** Does `challenger` replace `incumbent` for their code? */
export function supersedes(challenger: Procedure, incumbent: Procedure): boolean {
  const a = time(challenger);
  const b = time(incumbent);
  if (a !== null && b !== null && a !== b) return a > b;
  if (a !== null && b === null) return true;
  if (a === null && b !== null) return false;
  return RANK[originOf(challenger)] > RANK[originOf(incumbent)];
}

/** One record per code from the batches, in the order of first appearance. */
export function mergeSources(batches: SourceBatch[]): MergeResult {
  const chosen = new Map<string, { procedure: Procedure; batch: number }>();
  const losers = new Map<string, number[]>();
  const overrode = batches.map(() => 0);
  batches.forEach((batch, b) => {
    for (const procedure of batch.procedures) {
      const current = chosen.get(procedure.code);
      if (!current) {
        chosen.set(procedure.code, { procedure, batch: b });
        continue;
      }
      const lost = losers.get(procedure.code) ?? [];
      if (supersedes(procedure, current.procedure)) {
        lost.push(current.batch);
        chosen.set(procedure.code, { procedure, batch: b });
      } else {
        lost.push(b);
      }
      losers.set(procedure.code, lost);
    }
  });
  const kept = batches.map(() => 0);
  const overridden = batches.map(() => 0);
  const conflicts: MergeResult['conflicts'] = [];
  for (const [code, { batch }] of chosen) {
    kept[batch]!++;
    const lost = losers.get(code);
    if (!lost) continue;
    for (const l of lost) overridden[l]!++;
    if (lost.some((l) => l !== batch)) overrode[batch]! += 1;
    conflicts.push({ code, winner: batches[batch]!.name, losers: lost.map((l) => batches[l]!.name) });
  }
  return {
    procedures: [...chosen.values()].map((c) => c.procedure),
    stats: batches.map((batch, b) => ({ name: batch.name, kept: kept[b]!, overridden: overridden[b]!, overrode: overrode[b]! })),
    conflicts,
  };
}
