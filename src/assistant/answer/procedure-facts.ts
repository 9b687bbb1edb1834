import { type Channel, CHANNEL_LABELS, type ChannelTerms, type Procedure, type ProcedureDocument } from '../../knowledge/procedure.ts';
import { fold } from '../../retrieval/text.ts';
import { tidy } from './text-fit.ts';

/**
 * Reading the facts a citizen needs out of a listing record, without adding any: what to bring, how long, how
 * much, where, whether online. Each function returns only what the record states.
 */

/** Headings and lines that the listing files under documents but are notes, not papers to bring. */
const NOTE_START = /^(\+|-\s|\*|ví dụ|trường hợp|nếu|đối với|lưu ý|người tiếp nhận|người yêu cầu|cá nhân có quyền|cơ quan|ghi chú)/i;
const NOTE_GROUP = /lưu ý|ghi chú/i;

export interface DocumentItem extends ProcedureDocument {
  group: string | null;
}

/** Papers to bring, notes left out; when the record has nothing but notes, the notes themselves. */
export function mainDocuments(p: Procedure): DocumentItem[] {
  const all: DocumentItem[] = p.documentGroups.flatMap((g) =>
    g.documents.map((d) => ({ ...d, group: g.title ? tidy(g.title).replace(/^[*\-\s]+|:$/g, '').trim() : null })),
  );
  const papers = all.filter(
    (d) => !(d.group && NOTE_GROUP.test(d.group)) && !(NOTE_START.test(d.name.trim()) && !d.originals && !d.copies),
  );
  const list = papers.length ? papers : all;
  // Untitled lists are the main papers; titled groups ("Giấy tờ phải xuất trình") follow under their heading.
  return [...list.filter((d) => !d.group), ...list.filter((d) => d.group)];
}

/**
 * A form's name fit to show: the listing often gives the template's file name, sometimes with its diacritics lost
 * ("Thngts53 (3).doc"). A readable name loses only its extension; a garbled one is left out (the official page
 * has the file).
 */
export function readableForm(form: string | null): string | null {
  if (!form) return null;
  const name = tidy(form).replace(/\.(docx?|pdf|xlsx?|rtf|zip)$/i, '').trim();
  const readable = /\s/.test(name) && /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]|^m[aẫ]u\b/i.test(name);
  return readable || !/\.(docx?|pdf|xlsx?|rtf|zip)$/i.test(tidy(form)) ? name : null;
}

/** "1 bản chính, 2 bản sao; Mẫu TK01" or "" when the record gives neither. */
export function documentQuantity(d: ProcedureDocument, lang: 'vi' | 'en'): string {
  const parts: string[] = [];
  if (d.originals) parts.push(lang === 'vi' ? `${d.originals} bản chính` : `${d.originals} original${d.originals > 1 ? 's' : ''}`);
  if (d.copies) parts.push(lang === 'vi' ? `${d.copies} bản sao` : `${d.copies} cop${d.copies > 1 ? 'ies' : 'y'}`);
  const q = parts.join(', ');
  const form = readableForm(d.form);
  return form ? (q ? `${q}; ${form}` : form) : q;
}

/** Channels sharing the same rendered value, so "Trực tiếp, Trực tuyến: Miễn phí" is said once. */
export function groupChannels(
  channels: ChannelTerms[],
  render: (c: ChannelTerms) => string | null,
): { channels: Channel[]; value: string | null }[] {
  const out: { channels: Channel[]; value: string | null }[] = [];
  const order: Channel[] = ['truc_tiep', 'truc_tuyen', 'buu_chinh'];
  for (const c of [...channels].sort((a, b) => order.indexOf(a.channel) - order.indexOf(b.channel))) {
    const value = render(c);
    const same = out.find((g) => g.value === value);
    if (same) same.channels.push(c.channel);
    else out.push({ channels: [c.channel], value });
  }
  return out;
}

export const CHANNEL_LABELS_EN: Record<Channel, string> = {
  truc_tiep: 'In person',
  truc_tuyen: 'Online',
  buu_chinh: 'By post',
};

export function channelNames(cs: Channel[], lang: 'vi' | 'en'): string {
  return cs.map((c) => (lang === 'vi' ? CHANNEL_LABELS[c] : CHANNEL_LABELS_EN[c])).join(', ');
}

/** "1 ngày làm việc", "1 (danh mục không ghi đơn vị)", the verbatim cell, or null when the listing says nothing. */
export function timeText(c: ChannelTerms, lang: 'vi' | 'en'): string | null {
  if (c.timeValue !== null) {
    if (c.timeUnit) return `${formatNumber(c.timeValue)} ${lang === 'vi' ? c.timeUnit.toLowerCase() : translateUnit(c.timeUnit)}`;
    return lang === 'vi'
      ? `${formatNumber(c.timeValue)} (danh mục không ghi rõ đơn vị)`
      : `${formatNumber(c.timeValue)} (the listing does not state the unit)`;
  }
  return c.timeText ? tidy(c.timeText) : null;
}

function translateUnit(unit: string): string {
  const u = fold(unit);
  if (u === 'ngay lam viec') return 'working day(s) (ngày làm việc)';
  if (u === 'ngay') return 'day(s) (ngày)';
  if (u === 'gio') return 'hour(s) (giờ)';
  if (u === 'thang') return 'month(s) (tháng)';
  return unit;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n).replace('.', ',');
}

export function hasOnline(p: Procedure): boolean {
  return p.channels.some((c) => c.channel === 'truc_tuyen');
}

export type Scope = 'commune' | 'province' | 'central' | 'other';

/** Where a procedure is decided, from its levels: the commune when it is listed at Cấp xã at all. */
export function scopeOf(p: Procedure): Scope[] {
  const s: Scope[] = [];
  if (p.levels.includes('Cấp xã')) s.push('commune');
  if (p.levels.includes('Cấp tỉnh')) s.push('province');
  if (p.levels.includes('Cấp bộ')) s.push('central');
  if (!s.length) s.push('other');
  return s;
}

/** Agencies the record names, labelled; empty when it names none. */
export function agencies(p: Procedure, lang: 'vi' | 'en'): string[] {
  const rows: [string, string, string | null][] = [
    ['Nơi tiếp nhận', 'Where to submit', p.receivingAddress],
    ['Cơ quan thực hiện', 'Handled by', p.executingAgency],
    ['Cơ quan có thẩm quyền', 'Decided by', p.competentAgency],
  ];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const [vi, en, value] of rows) {
    if (!value) continue;
    const v = tidy(value).replace(/^(.+?)\.?\s+\1\.?$/, '$1'); // the listing sometimes repeats the cell twice
    if (seen.has(fold(v))) continue;
    seen.add(fold(v));
    out.push(`${lang === 'vi' ? vi : en}: ${v}`);
  }
  return out;
}

/** True when the record's steps say the dossier is received at a Public Administrative Service Center. */
export function stepsMentionServiceCentre(p: Procedure): boolean {
  return p.steps.some((s) => /trung tâm phục vụ hành chính công/i.test(s));
}

/** Steps as the record lists them, up to its notes ("* Lưu ý:"). */
export function mainSteps(p: Procedure): string[] {
  const out: string[] = [];
  for (const s of p.steps) {
    if (/^\*?\s*lưu ý/i.test(s.trim())) break;
    if (s.trim()) out.push(s);
  }
  return out;
}
