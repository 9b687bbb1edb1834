/**
 * The three exports `npm run ingest -- --from FILE` reads, told apart by their first recognisable line: the
 * national listing (`ma_thu_tuc`, …), the national portal's API records (`code`, `executionMethods`, level flags)
 * and the defence ministry's export (`metadata.mã_thủ_tục`).
 */
import { looksLikeBqpRecord, parseBqpText } from './bqp-parser.ts';
import { type ListingImport, parseListingText } from './listing-parser.ts';
import { looksLikePortalRecord, parsePortalText } from './portal-parser.ts';

export type SourceFormat = 'listing' | 'portal' | 'bqp';

export const FORMAT_LABELS: Record<SourceFormat, string> = {
  listing: 'national listing',
  portal: 'portal API',
  bqp: 'defence ministry (BQP)',
};

function looksLikeListingRecord(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  return 'ma_thu_tuc' in raw && 'ten_thu_tuc' in raw;
}

/** The format of the first line that is a JSON object of a known shape; null when no line is. */
export function detectFormat(text: string): SourceFormat | null {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    if (looksLikeListingRecord(raw)) return 'listing';
    if (looksLikeBqpRecord(raw)) return 'bqp';
    if (looksLikePortalRecord(raw)) return 'portal';
  }
  return null;
}

export function parseSource(format: SourceFormat, text: string): ListingImport {
  if (format === 'listing') return parseListingText(text);
  if (format === 'portal') return parsePortalText(text);
  return parseBqpText(text);
}

/** Non-blank lines: what a source counts as read. */
export function countRecords(text: string): number {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').length;
}
