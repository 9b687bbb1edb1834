import type { ConversationsReport, OutcomesReport, ProcedureCount } from './activity.ts';
import { toCsv } from './csv.ts';
import type { FunnelReport } from './funnel.ts';
import type { IndicatorsReport } from './indicators.ts';
import type { Topic } from './unanswered.ts';

/** The use, indicator and funnel reports as CSV (headers are machine names; labels in Vietnamese beside them). */

const ratio = (n: number | null) => (n === null ? null : Math.round(n * 10000) / 10000);

/** One row per day (or month): conversations on each channel, their total, and the messages. */
export function conversationsCsv(r: ConversationsReport): string {
  const header = [r.unit, 'label', ...r.channels.map((c) => c.channel), 'total', 'messages'];
  return toCsv(
    header,
    r.buckets.map((b) => [b.key, b.label, ...r.channels.map((c) => b.byChannel[c.channel] ?? 0), b.total, b.messages]),
  );
}

export const OUTCOMES_CSV_HEADER = ['outcome', 'label', 'count', 'share_of_messages'] as const;

export function outcomesCsv(r: OutcomesReport): string {
  return toCsv(OUTCOMES_CSV_HEADER, [
    ...r.outcomes.map((o) => [o.outcome, o.label, o.count, ratio(o.share)]),
    ['rated', r.rated.label, r.rated.count, null],
    ['messages', 'Tổng số tin nhắn', r.messages, null],
  ]);
}

export const PROCEDURES_CSV_HEADER = ['rank', 'procedure_code', 'title', 'messages', 'conversations'] as const;

export function proceduresCsv(list: readonly ProcedureCount[]): string {
  return toCsv(PROCEDURES_CSV_HEADER, list.map((p, i) => [i + 1, p.code, p.title, p.messages, p.conversations]));
}

export const UNANSWERED_CSV_HEADER = ['topic', 'label', 'count', 'example_1', 'example_2'] as const;

/** Every topic; the examples are the stored, redacted messages. */
export function unansweredCsv(topics: readonly Topic[]): string {
  return toCsv(UNANSWERED_CSV_HEADER, topics.map((t) => [t.key, t.label, t.count, t.examples[0] ?? null, t.examples[1] ?? null]));
}

export const INDICATORS_CSV_HEADER = ['indicator', 'label', 'formula', 'numerator', 'denominator', 'rate', 'basis', 'notes'] as const;

export function indicatorsCsv(r: IndicatorsReport): string {
  return toCsv(
    INDICATORS_CSV_HEADER,
    r.indicators.map((i) => [i.id, i.label, i.formula, i.numerator, i.denominator, ratio(i.rate), r.label, i.notes.map((n) => `${n.text}: ${n.count}`).join('; ') || null]),
  );
}

export const FUNNEL_CSV_HEADER = ['step', 'label', 'count', 'share_of_previous'] as const;

export function funnelCsv(r: FunnelReport): string {
  return toCsv(FUNNEL_CSV_HEADER, r.steps.map((s) => [s.step, s.label, s.count, ratio(s.shareOfPrevious)]));
}
