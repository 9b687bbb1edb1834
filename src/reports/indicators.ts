import type { DossierIndicatorRow, InstantRange } from '../storage/report-queries.ts';

/**
 * The commune's indicators, estimated from the dossiers citizens told the assistant about, with the formulas of
 * the indicators for serving citizens and businesses (Bộ chỉ số phục vụ người dân, doanh nghiệp, Quyết định
 * 766/QĐ-TTg). An internal estimate ("ước tính nội bộ"): the official figures are computed by the national
 * portal from the one-stop system's records, which hold every dossier, not only those told to the bot.
 *
 * - online submission: dossiers registered in the period and submitted online ÷ all dossiers registered in it;
 * - online payment: dossiers registered in the period, of a fee-charging case (fee_charged true; free ones and
 *   those whose fee is unknown are left out), paid through the portal's Payment Platform (payment_method
 *   'portal', unless staff rejected it) ÷ those fee-charging dossiers. A VietQR transfer is cashless but is not
 *   an online payment in these figures;
 * - on time: dossiers done in the period by their due date (done_at ≤ due_at) ÷ dossiers done in the period
 *   with a due date (one without is left out: nothing to be on time for).
 *
 * An empty denominator gives a rate of null, shown as "—": never a division by zero.
 */

export const INTERNAL_ESTIMATE = 'ước tính nội bộ';
export const DECISION = 'Quyết định 766/QĐ-TTg';

/**
 * Where the official figures are published. The national Public Service Portal's own evaluation pages (Bộ chỉ
 * số phục vụ người dân, doanh nghiệp) could not be confirmed from official documentation when this was written
 * (third-party scripts use https://dichvucong.gov.vn/p/home/dvc-index-tinhthanhpho-tonghop.html, unconfirmed), so
 * the link is the portal's home page, from which the index is reached.
 */
export const NATIONAL_DASHBOARD_URL = 'https://dichvucong.gov.vn';
export const NATIONAL_DASHBOARD_LABEL = 'Cổng Dịch vụ công quốc gia — Bộ chỉ số phục vụ người dân, doanh nghiệp';

export const INDICATOR_IDS = ['online_submission', 'online_payment', 'on_time'] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

export interface Indicator {
  id: IndicatorId;
  label: string;
  /** The formula in words, as the page and the CSV show it. */
  formula: string;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator; null when the denominator is 0. */
  rate: number | null;
  /** Counts behind the figure worth saying: what was left out of the denominator and why ('Hồ sơ miễn phí (không tính)'). */
  notes: { text: string; count: number }[];
}

export interface IndicatorsReport {
  label: string;
  indicators: Indicator[];
  /** Dossiers registered in the period. */
  dossiers: number;
}

export const INDICATOR_TEXT: Record<IndicatorId, { label: string; formula: string }> = {
  online_submission: {
    label: 'Tỷ lệ hồ sơ nộp trực tuyến',
    formula: 'Số hồ sơ nộp trực tuyến ÷ tổng số hồ sơ tiếp nhận trong kỳ',
  },
  online_payment: {
    label: 'Tỷ lệ thanh toán trực tuyến',
    formula: 'Số hồ sơ đã thanh toán trên Cổng Dịch vụ công ÷ số hồ sơ của thủ tục có thu phí, lệ phí (không tính hồ sơ miễn phí)',
  },
  on_time: {
    label: 'Tỷ lệ hồ sơ giải quyết đúng hạn',
    formula: 'Số hồ sơ có kết quả trước hoặc đúng hạn ÷ số hồ sơ đã có kết quả trong kỳ (có hạn giải quyết)',
  },
};

const inRange = (d: Date, r: InstantRange) => (!r.from || d >= r.from) && (!r.to || d < r.to);

function indicator(id: IndicatorId, numerator: number, denominator: number, notes: Indicator['notes']): Indicator {
  return { id, ...INDICATOR_TEXT[id], numerator, denominator, rate: denominator > 0 ? numerator / denominator : null, notes };
}

export function indicatorsReport(rows: readonly DossierIndicatorRow[], range: InstantRange): IndicatorsReport {
  const registered = rows.filter((d) => inRange(d.createdAt, range));
  const online = registered.filter((d) => d.submittedVia === 'online').length;
  const unknownChannel = registered.filter((d) => d.submittedVia === null).length;

  const feeCharging = registered.filter((d) => d.feeCharged === true);
  const paidOnPortal = feeCharging.filter((d) => d.paymentMethod === 'portal' && d.paymentStatus !== 'rejected').length;
  const free = registered.filter((d) => d.feeCharged === false).length;
  const feeUnknown = registered.filter((d) => d.feeCharged === null).length;

  const done = rows.filter((d) => d.status === 'done' && d.doneAt && inRange(d.doneAt, range));
  const withDue = done.filter((d) => d.dueAt);
  const onTime = withDue.filter((d) => d.doneAt!.getTime() <= d.dueAt!.getTime()).length;

  const nonZero = (list: Indicator['notes']) => list.filter((e) => e.count > 0);
  return {
    label: INTERNAL_ESTIMATE,
    dossiers: registered.length,
    indicators: [
      // Brief and formula alike: all dossiers are the denominator; an unknown channel is counted and said.
      indicator('online_submission', online, registered.length, nonZero([{ text: 'Trong đó chưa rõ hình thức nộp (vẫn tính vào mẫu số)', count: unknownChannel }])),
      indicator('online_payment', paidOnPortal, feeCharging.length, nonZero([
        { text: 'Hồ sơ miễn phí (không tính)', count: free },
        { text: 'Hồ sơ chưa rõ có thu phí hay không (không tính)', count: feeUnknown },
      ])),
      indicator('on_time', onTime, withDue.length, nonZero([{ text: 'Hồ sơ có kết quả nhưng không có hạn giải quyết (không tính)', count: done.length - withDue.length }])),
    ],
  };
}
