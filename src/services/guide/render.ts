import { documentQuantity } from '../../assistant/answer/procedure-facts.ts';
import { MAX_MESSAGE_CHARS } from '../../assistant/answer/text-fit.ts';
import { splitText } from '../../channels/split-text.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { Checklist, ChecklistLine } from './checklist.ts';
import { heading, sourceLine, vietnameseDate } from './text.ts';

/**
 * The checklist as messages that fit a phone: each at most 2,000 characters, split only between whole items (an
 * item longer than a message by itself continues in the next one, never shortened), each ending with the official
 * page. The record's text stays Vietnamese; the frame is in the conversation's language.
 */

const TEXT = {
  vi: {
    title: 'Giấy tờ cho trường hợp của bạn',
    submit: 'Giấy tờ phải nộp:',
    show: 'Giấy tờ phải xuất trình:',
    other: 'Giấy tờ khác:',
    continued: '(tiếp)',
    applies: 'Trường hợp của bạn:',
    condition: 'Chỉ khi:',
    notNeeded: 'Không phải mang (theo hồ sơ):',
    forms: (f: string) => `Mẫu đơn, tờ khai: ${f} — có ở trang chính thức.`,
    empty: 'Danh mục không ghi giấy tờ cho thủ tục này; xem trang chính thức.',
    decision: (d: string) => `Theo Quyết định công bố ${d}.`,
    updated: (d: string) => `Thủ tục cập nhật trên Cổng ngày ${d}.`,
    snapshot: (d: string) => `Bản lưu danh mục thủ tục ngày ${d}.`,
    noDate: 'Trợ lý không rõ ngày của bản lưu danh mục; hãy đối chiếu trang chính thức.',
  },
  en: {
    title: 'Papers for your case',
    submit: 'To submit:',
    show: 'To show:',
    other: 'Other papers:',
    continued: '(continued)',
    applies: 'In your case:',
    condition: 'Only if:',
    notNeeded: 'Not needed (the record says):',
    forms: (f: string) => `Forms: ${f} — on the official page.`,
    empty: 'The listing names no papers for this procedure; see the official page.',
    decision: (d: string) => `Published by decision ${d}.`,
    updated: (d: string) => `Procedure last updated on the portal on ${d}.`,
    snapshot: (d: string) => `Our copy of the listing is dated ${d}.`,
    noDate: 'The assistant does not know the date of its copy of the listing; check the official page.',
  },
} as const;

function lineText(l: ChecklistLine, language: Language): string {
  const t = TEXT[language];
  const q = documentQuantity({ name: l.text, originals: l.originals, copies: l.copies, form: l.form }, language);
  return [
    `• ${l.text}${q ? ` (${q})` : ''}`,
    ...(l.applies ? [`  → ${t.applies} ${l.applies}`] : []),
    ...(l.condition ? [`  (${t.condition} ${l.condition})`] : []),
  ].join('\n');
}

interface Block {
  /** The section it belongs to: repeated with "(tiếp)" when a message starts inside it. */
  section: string | null;
  text: string;
}

export function renderChecklist(c: Checklist, language: Language): ReplyMessage[] {
  const t = TEXT[language];
  const blocks: Block[] = [];
  for (const kind of ['submit', 'show', 'other'] as const) {
    c[kind].forEach((l, i) => blocks.push({ section: t[kind], text: i === 0 ? `${t[kind]}\n${lineText(l, language)}` : lineText(l, language) }));
  }
  if (!blocks.length) blocks.push({ section: null, text: t.empty });
  c.notNeeded.forEach((n, i) => blocks.push({ section: t.notNeeded, text: i === 0 ? `${t.notNeeded}\n• ${n}` : `• ${n}` }));
  if (c.forms.length) blocks.push({ section: null, text: t.forms(c.forms.join('; ')) });
  const dated =
    c.listingDate && c.listingDateKind === 'updated' ? t.updated(vietnameseDate(c.listingDate)) : c.listingDate ? t.snapshot(vietnameseDate(c.listingDate)) : t.noDate;
  blocks.push({ section: null, text: [c.decision ? t.decision(c.decision) : null, dated].filter(Boolean).join(' ') });

  const head = heading(c, t.title, language);
  const tail = sourceLine(c, language);
  const frame = head.length + tail.length + 4;
  const bodies: string[][] = [[]];
  let used = frame;
  for (const b of blocks) {
    const pieces = b.text.length + frame + 40 > MAX_MESSAGE_CHARS ? splitText(b.text, MAX_MESSAGE_CHARS - frame - 40) : [b.text];
    for (const piece of pieces) {
      if (bodies.at(-1)!.length && used + piece.length + 1 > MAX_MESSAGE_CHARS) {
        const cont = b.section && !piece.startsWith(b.section) ? [`${b.section} ${t.continued}`] : [];
        bodies.push(cont);
        used = frame + cont.reduce((n, x) => n + x.length + 1, 0);
      }
      bodies.at(-1)!.push(piece);
      used += piece.length + 1;
    }
  }
  const link = { url: c.url, label: language === 'vi' ? 'Trang chính thức' : 'Official page' };
  return bodies.map((body) => ({ text: `${head}\n\n${body.join('\n')}\n\n${tail}`, link }));
}
