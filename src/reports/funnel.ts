import type { GuideRunRow } from '../storage/report-queries.ts';

/**
 * The guided submission's funnel for the runs started in a period: how many reached each step, and what share of
 * the previous step went on. A run counts at a step when it reached that step or a later one (a citizen who paid
 * on the portal passes "payment" without the transfer offer; one whose dossier is done has passed everything
 * before), so no step is ever larger than the one before it. A dossier with nothing to pay passes the two payment
 * steps once it is submitted. "done" and "rated" come from the dossier the run led to (dossiers.guide_id) and the
 * rating asked when it was done.
 */

export const FUNNEL_STEPS = ['started', 'checklist', 'channel_chosen', 'submitted', 'payment', 'paid', 'done', 'rated'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const FUNNEL_LABELS: Record<FunnelStep, string> = {
  started: 'Bắt đầu hướng dẫn',
  checklist: 'Xem danh sách giấy tờ',
  channel_chosen: 'Chọn cách nộp',
  submitted: 'Đã nộp (có mã hồ sơ)',
  payment: 'Đến bước thanh toán',
  paid: 'Đã thanh toán',
  done: 'Có kết quả',
  rated: 'Đã đánh giá',
};

export interface FunnelRow {
  step: FunnelStep;
  label: string;
  count: number;
  /** count ÷ the previous step's count; null for the first step and after an empty step. */
  shareOfPrevious: number | null;
}

export interface FunnelReport {
  runs: number;
  steps: FunnelRow[];
  /** Runs that ended in a cancellation ("hủy") or went to a person. */
  cancelled: number;
  handover: number;
}

const INDEX = new Map<string, number>(FUNNEL_STEPS.map((s, i) => [s, i]));

/** The furthest funnel step a run reached (its index in FUNNEL_STEPS). */
export function furthestStep(run: GuideRunRow): number {
  let furthest = 0;
  for (const s of run.steps) furthest = Math.max(furthest, INDEX.get(s) ?? 0);
  if (run.free && furthest >= INDEX.get('submitted')!) furthest = Math.max(furthest, INDEX.get('paid')!);
  if (run.done) furthest = Math.max(furthest, INDEX.get('done')!);
  if (run.rated || run.steps.includes('rated')) furthest = Math.max(furthest, INDEX.get('rated')!);
  return furthest;
}

export function funnelReport(runs: readonly GuideRunRow[]): FunnelReport {
  const reached = FUNNEL_STEPS.map(() => 0);
  for (const run of runs) {
    const f = furthestStep(run);
    for (let i = 0; i <= f; i++) reached[i]! += 1;
  }
  return {
    runs: runs.length,
    steps: FUNNEL_STEPS.map((step, i) => {
      const prev = i === 0 ? null : reached[i - 1]!;
      return { step, label: FUNNEL_LABELS[step], count: reached[i]!, shareOfPrevious: prev ? reached[i]! / prev : null };
    }),
    cancelled: runs.filter((r) => r.steps.includes('cancelled')).length,
    handover: runs.filter((r) => r.steps.includes('handover')).length,
  };
}
