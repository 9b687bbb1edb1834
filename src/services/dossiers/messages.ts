import { DOSSIER_STATUS_LABELS, type Dossier, type DossierStatus, PAYMENT_METHOD_LABELS, type PaymentStatus } from '../../domain/dossier.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import { VIETNAM_OFFSET_MS } from '../handover/hours.ts';

/**
 * What the citizen reads about their dossiers: a status change pushed by staff, a decision on a claimed transfer,
 * and "hồ sơ của tôi". Each fits a phone screen (≤ 2,000 characters), ends with the portal's tracking page, and
 * states nothing the record, the commune profile or the staff member's note does not give.
 */

/**
 * The national portal's page "Tra cứu hồ sơ", where a citizen looks a dossier up by its code. The search tool's
 * docs and pages corpora had no official page on it; the address is the one public sites of communes and wards
 * link as "Tra cứu hồ sơ" (found with find_string "dvc-tra-cuu-ho-so" in the code corpus, several repositories).
 */
export const NATIONAL_TRACKING_URL = 'https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html';

export const MAX_MESSAGE = 2000;

const PAYMENT_STATUS_LABELS: Record<PaymentStatus, { vi: string; en: string }> = {
  claimed: { vi: 'chờ Trung tâm xác nhận', en: 'waiting for the centre to confirm' },
  confirmed: { vi: 'đã xác nhận', en: 'confirmed' },
  rejected: { vi: 'chưa xác nhận được', en: 'not confirmed' },
};

const STATUS_EN: Record<DossierStatus, string> = {
  submitted: 'Submitted',
  received: 'Received',
  processing: 'Being processed',
  supplement: 'Needs more papers',
  done: 'Result ready',
  returned: 'Returned',
};

const statusLabel = (s: DossierStatus, lang: Language) => (lang === 'vi' ? DOSSIER_STATUS_LABELS[s] : `${STATUS_EN[s]} (${DOSSIER_STATUS_LABELS[s]})`);

/** "05/12" or "05/12/2026" in Vietnam time. */
export function vietnamDate(iso: string, withYear = false): string {
  const d = new Date(new Date(iso).getTime() + VIETNAM_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}${withYear ? `/${d.getUTCFullYear()}` : ''}`;
}

function trackingLine(lang: Language, url: string): string {
  return lang === 'vi' ? `Tra cứu hồ sơ bằng mã trên Cổng Dịch vụ công: ${url}` : `Look the dossier up by its code on the public service portal: ${url}`;
}

function trackingLink(lang: Language, url: string): NonNullable<ReplyMessage['link']> {
  return { url, label: lang === 'vi' ? 'Tra cứu hồ sơ' : 'Look up a dossier' };
}

function named(d: Dossier, procedure: Pick<Procedure, 'title'> | null): string {
  return procedure ? `${d.code} (${procedure.title})` : d.code;
}

export interface StatusChange {
  dossier: Dossier;
  procedure: Procedure | null;
  status: DossierStatus;
  note: string | null;
  profile: CommuneProfile;
  trackingUrl: string;
}

/** The message a status change sends the citizen. */
export function statusMessage(lang: Language, c: StatusChange): ReplyMessage {
  const vi = lang === 'vi';
  const note = c.note?.trim() || null;
  const lines = [vi ? `Hồ sơ ${named(c.dossier, c.procedure)}: ${statusLabel(c.status, lang)}.` : `Dossier ${named(c.dossier, c.procedure)}: ${statusLabel(c.status, lang)}.`];
  switch (c.status) {
    case 'received':
      lines.push(vi ? 'Trung tâm đã tiếp nhận hồ sơ của bạn.' : 'The centre has received your dossier.');
      if (c.dossier.dueAt) {
        lines.push(
          vi
            ? `Hạn giải quyết dự kiến theo thời hạn của thủ tục: ${vietnamDate(c.dossier.dueAt, true)}.`
            : `Expected by (from the procedure's processing time): ${vietnamDate(c.dossier.dueAt, true)}.`,
        );
      }
      break;
    case 'processing':
      lines.push(vi ? 'Hồ sơ của bạn đang được giải quyết.' : 'Your dossier is being processed.');
      break;
    case 'supplement':
      lines.push(vi ? `Cần bổ sung: ${note ?? ''}` : `Still needed: ${note ?? ''}`);
      lines.push(vi ? 'Bạn vui lòng bổ sung để hồ sơ được giải quyết tiếp.' : 'Please provide it so that the dossier can go on.');
      break;
    case 'done':
      lines.push(...collectLines(lang, c, note));
      break;
    case 'returned':
      lines.push(vi ? 'Hồ sơ đã được trả lại.' : 'The dossier was returned.');
      if (note) lines.push(vi ? `Lý do: ${note}` : `Reason: ${note}`);
      break;
    case 'submitted':
      break;
  }
  if (note && c.status !== 'supplement' && c.status !== 'done' && c.status !== 'returned') lines.push(vi ? `Ghi chú của cán bộ: ${note}` : `Note from staff: ${note}`);
  lines.push(trackingLine(lang, c.trackingUrl));
  if (c.procedure) lines.push(vi ? `Nguồn: ${c.procedure.url}` : `Source: ${c.procedure.url}`);
  return { text: fit(lines, c.status === 'done' ? [resultIndex(lines)] : []), link: trackingLink(lang, c.trackingUrl) };
}

const RESULT_PREFIX = { vi: 'Kết quả: ', en: 'Result: ' };

/** "done": how and where to collect the result — the staff note, else the record's result and the centre's address. */
function collectLines(lang: Language, c: StatusChange, note: string | null): string[] {
  const vi = lang === 'vi';
  const out = [vi ? 'Hồ sơ của bạn đã có kết quả.' : 'Your dossier has its result.'];
  if (note) return [...out, vi ? `Cách nhận kết quả: ${note}` : `How to collect it: ${note}`];
  const result = c.procedure?.result?.trim();
  if (result) out.push(`${RESULT_PREFIX[lang]}${result}`);
  const centre = c.profile.centre;
  const where = [centre.name, centre.address].filter(Boolean).join(', ');
  if (where) {
    out.push(vi ? `Nơi nhận kết quả: ${where}.` : `Where to collect it: ${where}.`);
    if (centre.openingHours) out.push(vi ? `Giờ làm việc: ${centre.openingHours}.` : `Opening hours: ${centre.openingHours}.`);
  } else {
    out.push(vi ? 'Trung tâm sẽ báo bạn nơi và cách nhận kết quả.' : 'The centre will tell you where and how to collect it.');
  }
  return out;
}

function resultIndex(lines: string[]): number {
  return lines.findIndex((l) => l.startsWith(RESULT_PREFIX.vi) || l.startsWith(RESULT_PREFIX.en));
}

/** Joins the lines; when too long, drops the droppable ones whole (never cuts a sentence). */
function fit(lines: string[], droppable: number[]): string {
  let text = lines.join('\n');
  for (const i of droppable) {
    if (text.length <= MAX_MESSAGE || i < 0) break;
    text = lines.filter((_, j) => j !== i).join('\n');
  }
  return text;
}

/** Staff confirmed or rejected a claimed transfer. */
export function paymentDecisionMessage(lang: Language, d: Dossier, decision: 'confirm' | 'reject', trackingUrl: string, reason?: string | null): ReplyMessage {
  const vi = lang === 'vi';
  const lines =
    decision === 'confirm'
      ? [vi ? `Trung tâm đã xác nhận khoản chuyển khoản cho hồ sơ ${d.code}.` : `The centre has confirmed your transfer for dossier ${d.code}.`]
      : [
          vi
            ? `Trung tâm chưa xác nhận được khoản chuyển khoản cho hồ sơ ${d.code}. Bạn vui lòng kiểm tra lại giao dịch hoặc liên hệ Trung tâm.`
            : `The centre could not confirm your transfer for dossier ${d.code}. Please check the transaction or contact the centre.`,
        ];
  if (decision === 'reject' && reason?.trim()) lines.push(vi ? `Ghi chú của cán bộ: ${reason.trim()}` : `Note from staff: ${reason.trim()}`);
  lines.push(trackingLine(lang, trackingUrl));
  return { text: lines.join('\n'), link: trackingLink(lang, trackingUrl) };
}

function paymentLine(d: Dossier, lang: Language): string | null {
  const vi = lang === 'vi';
  if (d.paymentMethod) {
    const status = d.paymentStatus ? ` (${PAYMENT_STATUS_LABELS[d.paymentStatus][lang]})` : '';
    return `${vi ? 'Thanh toán' : 'Payment'}: ${PAYMENT_METHOD_LABELS[d.paymentMethod]}${status}`;
  }
  if (d.feeCharged === false) return vi ? 'Thanh toán: không phải nộp phí' : 'Payment: no fee';
  return null;
}

/**
 * "Hồ sơ của tôi": the conversation's dossiers, newest first: code, procedure, status, due date (dd/mm) and payment.
 * When they do not fit one message, the oldest are left out whole and counted.
 */
export function renderMine(dossiers: Array<Dossier & { procedureTitle?: string | null }>, lang: Language, trackingUrl: string = NATIONAL_TRACKING_URL): ReplyMessage {
  const vi = lang === 'vi';
  if (dossiers.length === 0) {
    return {
      text: vi
        ? 'Bạn chưa cho tôi biết mã hồ sơ nào. Sau khi nộp, bạn nhắn mã hồ sơ trên phiếu hẹn (ví dụ H56.14-240823-0001), tôi sẽ báo bạn khi hồ sơ có thay đổi.'
        : 'You have not given me a dossier code yet. After submitting, send the code on your receipt (e.g. H56.14-240823-0001) and I will tell you when it changes.',
      link: trackingLink(lang, trackingUrl),
    };
  }
  const head = vi ? `Hồ sơ của bạn (${dossiers.length}):` : `Your dossiers (${dossiers.length}):`;
  const tail = trackingLine(lang, trackingUrl);
  const blocks = dossiers.map((d, i) => {
    const lines = [`${i + 1}. ${d.code}${d.procedureTitle ? ` — ${d.procedureTitle}` : ''}`, `${vi ? 'Trạng thái' : 'Status'}: ${statusLabel(d.status, lang)}`];
    if (d.dueAt && d.status !== 'done' && d.status !== 'returned') lines.push(`${vi ? 'Hạn giải quyết dự kiến' : 'Expected by'}: ${vietnamDate(d.dueAt)}`);
    const pay = paymentLine(d, lang);
    if (pay) lines.push(pay);
    return lines.join('\n');
  });
  const kept: string[] = [];
  for (const [i, b] of blocks.entries()) {
    const left = blocks.length - i - 1;
    const more = left ? (vi ? `… và ${left} hồ sơ khác.` : `… and ${left} more.`) : '';
    const size = [head, ...kept, b, more, tail].filter(Boolean).join('\n\n').length;
    if (size > MAX_MESSAGE && kept.length) {
      const rest = blocks.length - kept.length;
      return { text: [head, ...kept, vi ? `… và ${rest} hồ sơ khác.` : `… and ${rest} more.`, tail].join('\n\n'), link: trackingLink(lang, trackingUrl) };
    }
    kept.push(b);
  }
  return { text: [head, ...kept, tail].join('\n\n'), link: trackingLink(lang, trackingUrl) };
}
