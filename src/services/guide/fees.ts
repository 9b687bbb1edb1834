import { channelNames } from '../../assistant/answer/procedure-facts.ts';
import { clipSentences, MAX_MESSAGE_CHARS, tidy } from '../../assistant/answer/text-fit.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { GuideQuestionPhrases } from '../../knowledge/guide-questions.ts';
import { sentences } from '../../knowledge/model/items.ts';
import { withModel } from '../../knowledge/model/index.ts';
import type { Channel, Procedure } from '../../knowledge/procedure.ts';
import { guideLanguage } from './checklist.ts';
import { type CaseAnswer, caseValue, indexCases } from './conditions.ts';
import { heading, sourceLine } from './text.ts';

/**
 * What a channel costs, in the record's words: the fee cell and its description verbatim, the sentences that say
 * who pays nothing, "miễn phí" said plainly, and an amount only when the record states exactly one for the channel
 * (the VietQR transfer carries it; otherwise the centre states it).
 */

export interface FeeFacts {
  channel: Channel;
  /** The fee cell(s) verbatim; null when the listing gives none. */
  feeText: string | null;
  /** The description(s) of the channel's row verbatim (the fee's note and conditions); empty when none. */
  description: string;
  free: boolean;
  /** One exact amount in VND for this case and channel, else null (the centre states it). */
  exactAmount: number | null;
  /** Who pays nothing or less, in the record's words. */
  exemptions: string[];
}

export interface FeeOptions {
  questions?: GuideQuestionPhrases;
}

/** The portal where a citizen pays after submitting ("Quản lý hồ sơ" → "Yêu cầu thanh toán"). */
export const NATIONAL_PORTAL_URL = 'https://dichvucong.gov.vn';

export function feeFacts(p: Procedure, channel: Channel, answers: Record<string, CaseAnswer> = {}, opts: FeeOptions = {}): FeeFacts {
  const lang = guideLanguage(opts.questions);
  const rows = p.channels.filter((c) => c.channel === channel);
  const texts = [...new Set(rows.map((r) => (r.feeText ? tidy(r.feeText) : null)).filter((t): t is string => !!t))];
  const description = [...new Set(rows.map((r) => tidy(r.description)).filter(Boolean))].join(' ');
  const free = texts.length > 0 && texts.every((t) => lang.free.test(t)) && rows.every((r) => r.feeAmounts.every((a) => a === 0));
  const amounts = [...new Set(rows.flatMap((r) => r.feeAmounts))];
  const wording = `${texts.join(' ')} ${description}`;
  const stated =
    !free && rows.length === 1 && amounts.length === 1 && amounts[0]! > 0 && !lang.notExact.test(wording) && statedAmounts(wording) <= 1
      ? amounts[0]!
      : null;
  // A sentence stating a case the citizen said does not hold is not their exemption.
  const model = withModel(p).model;
  const idx = indexCases(model);
  const situation = { answers, channel };
  const exemptions = [...texts, ...sentences(description)]
    .map((s) => tidy(s))
    .filter((s) => lang.exemption.test(s) && !lang.free.test(s))
    .filter((s) => {
      const c = model.cases.find((k) => k.refs.some((r) => r.kind === 'channel' && r.text && (r.text === s || s.includes(r.text))));
      return !c || caseValue(idx, lang, situation, c) !== 'no';
    });
  // an exemption that may be the citizen's makes the amount not exact for their case: the centre states it
  const exactAmount = stated !== null && exemptions.length === 0 ? stated : null;
  return { channel, feeText: texts.length ? texts.join('; ') : null, description, free, exactAmount, exemptions: [...new Set(exemptions)] };
}

/** Distinct amounts written in a text ("2.000 đồng", "1.000 đồng" → 2). */
function statedAmounts(text: string): number {
  const found = new Set<string>();
  for (const m of text.matchAll(/(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|vnđ|việt nam đồng)/giu)) found.add(m[1]!.replace(/[.,]/g, ''));
  return found.size;
}

const vnd = (n: number) => `${n.toLocaleString('de-DE')} đồng`;

/** The online payment path: the only way a fee paid counts as paid online (QĐ 766/QĐ-TTg). */
export function portalPaymentSteps(language: Language): string {
  return language === 'vi'
    ? `Thanh toán trực tuyến: sau khi nộp hồ sơ, vào "Quản lý hồ sơ" trên Cổng Dịch vụ công quốc gia (${NATIONAL_PORTAL_URL}), chọn hồ sơ → "Yêu cầu thanh toán" → thanh toán qua Nền tảng thanh toán của Cổng. Đây là cách duy nhất được tính là thanh toán trực tuyến.`
    : `Paying online: after submitting, open "Quản lý hồ sơ" (Manage dossiers) on the National Public Service Portal (${NATIONAL_PORTAL_URL}), pick the dossier → "Yêu cầu thanh toán" (Payment request) → pay through the portal's Payment Platform. This is the only way that counts as online payment.`;
}

export function feeMessage(p: Procedure, channel: Channel, language: Language, answers: Record<string, CaseAnswer> = {}, opts: FeeOptions = {}): ReplyMessage {
  const f = feeFacts(p, channel, answers, opts);
  const vi = language === 'vi';
  const where = channelNames([channel], language);
  const head = heading(p, vi ? `Phí, lệ phí (${where})` : `Fees (${where})`, language);
  const lines: string[] = [];
  if (f.free) lines.push(vi ? `Thủ tục này miễn phí khi nộp ${where.toLowerCase()} (hồ sơ ghi: "${f.feeText}").` : `This procedure is free ${where.toLowerCase()} (the record says: "${f.feeText}").`);
  else if (f.feeText) lines.push(vi ? `Hồ sơ ghi: ${f.feeText}` : `The record says: ${f.feeText}`);
  else lines.push(vi ? 'Danh mục không ghi phí, lệ phí cho hình thức này; Trung tâm sẽ cho bạn biết khi tiếp nhận hồ sơ.' : 'The listing gives no fee for this channel; the centre will tell you when it receives the dossier.');
  if (!f.free && f.feeText) {
    lines.push(
      f.exactAmount !== null
        ? vi ? `Số tiền phải nộp: ${vnd(f.exactAmount)}.` : `Amount to pay: ${vnd(f.exactAmount)}.`
        : vi ? 'Số tiền cụ thể cho trường hợp của bạn do Trung tâm thông báo khi tiếp nhận hồ sơ.' : 'The exact amount for your case is stated by the centre when it receives the dossier.',
    );
  }
  if (channel === 'truc_tuyen' && !f.free && f.feeText) lines.unshift(portalPaymentSteps(language));
  const tail = sourceLine(p, language);
  const more = vi ? '… (xem đầy đủ ở trang chính thức)' : '… (see the official page for the rest)';
  const exemptionBlock = (n: number): string[] =>
    f.exemptions.length
      ? [(vi ? 'Miễn, giảm (theo hồ sơ):\n' : "Exemptions (the record's words):\n") + [...f.exemptions.slice(0, n).map((e) => `• ${e}`), ...(n < f.exemptions.length ? [more] : [])].join('\n')]
      : [];
  // Exemptions first; when even they overflow, whole ones are dropped from the end.
  let n = f.exemptions.length;
  const compose = (note: string[]) => [head, ...lines, ...exemptionBlock(n), ...note, tail].join('\n\n');
  while (n > 0 && compose([]).length > MAX_MESSAGE_CHARS) n--;
  // The rest of the description verbatim, whole sentences only, in the room left.
  const rest = sentences(f.description).filter((x) => !f.exemptions.includes(tidy(x))).join(' ');
  const room = MAX_MESSAGE_CHARS - compose([]).length - 30;
  const clipped = rest ? clipSentences(rest, room, more) : '';
  const note = clipped ? [(vi ? 'Ghi chú của hồ sơ: ' : 'Note in the record: ') + (clipped.length <= room ? clipped : more)] : [];
  const text = compose(note);
  return { text, link: { url: p.url, label: vi ? 'Trang chính thức' : 'Official page' } };
}
