import { type ModelGroup, type ModelItem, type ProcedureModel } from '../../knowledge/model/index.ts';
import type { Language } from '../../domain/types.ts';
import type { CaseMatch } from './case-match.ts';
import { documentQuantity } from './procedure-facts.ts';
import { tidy } from './text-fit.ts';

/**
 * The documents answer from the procedure model: the papers everyone needs first, each item in the record's own
 * words and whole; papers to show after; then the special cases ("Trường hợp riêng:"), each paper whole too, under
 * its case's heading when the record names the case in one. When the message must be shorter, whole items are
 * dropped and the answer says how many and where they are: a paper is never shortened to a name.
 */

const T = {
  vi: {
    submit: 'Giấy tờ phải nộp:',
    show: 'Giấy tờ phải xuất trình:',
    other: 'Giấy tờ khác:',
    special: 'Trường hợp riêng:',
    yourCase: (w: string) => `Trường hợp của bạn (${w}), hồ sơ ghi:`,
    dropped: (n: number) => `… còn ${n} giấy tờ/trường hợp nữa: chọn “Xem đủ giấy tờ” hoặc xem ở trang chính thức.`,
    droppedFull: (n: number) => `… còn ${n} giấy tờ/trường hợp nữa, xem ở trang chính thức.`,
    none: 'Danh mục không liệt kê thành phần hồ sơ cho thủ tục này.',
    notes: 'Lưu ý của hồ sơ:',
  },
  en: {
    submit: 'Documents to submit (Giấy tờ phải nộp):',
    show: 'Documents to show (Giấy tờ phải xuất trình):',
    other: 'Other documents:',
    special: 'Special cases (Trường hợp riêng):',
    yourCase: (w: string) => `Your case (${w}), the record says:`,
    dropped: (n: number) => `… ${n} more documents/cases: choose “All documents” or see the official page.`,
    droppedFull: (n: number) => `… ${n} more documents/cases on the official page.`,
    none: 'The listing gives no list of documents for this procedure.',
    notes: 'Notes in the record:',
  },
} as const;

function qty(it: ModelItem, lang: Language): string {
  const q = documentQuantity({ name: it.text, originals: it.originals, copies: it.copies, form: it.form }, lang);
  return q ? ` (${q})` : '';
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A condition about how the dossier is sent ("nếu … nộp hồ sơ theo hình thức trực tiếp"), not about the citizen. */
const CHANNEL_CONDITION = /hình\s+thức\s+(?:nộp\s+)?(?:hồ\s+sơ\s+)?(?:trực\s+tiếp|trực\s+tuyến)|bưu\s+chính|nộp\s+(?:hồ\s+sơ\s+)?trực\s+(?:tiếp|tuyến)/iu;
/** Papers everyone brings: no condition, or only a condition on the channel (the item's text says which). */
const forEveryone = (g: ModelGroup, it: ModelItem) => (!it.when || CHANNEL_CONDITION.test(it.when)) && !g.when;

interface Block {
  text: string;
  /** Dropped last when the message is too long (0 = keep first). */
  priority: number;
  /** Counts as one dropped paper when left out. */
  paper: boolean;
  /** A heading: 1 over a section ("Trường hợp riêng:"), 2 over one case's papers; it goes when nothing under it stays. */
  heading?: 1 | 2;
}

/** Lines of the documents answer, in order, within `budget` characters. `full` lists every item and note whole. */
export function documentLines(model: ProcedureModel, matches: CaseMatch[], lang: Language, budget: number, full = false): { lines: string[]; dropped: number } {
  const s = T[lang];
  if (!model.groups.some((g) => g.items.length)) return { lines: [s.none], dropped: 0 };
  const blocks: Block[] = [];
  const matched = new Set(matches.filter((m) => m.item !== undefined).map((m) => `${m.group}.${m.item}`));
  const heading = (g: ModelGroup) => (g.kind === 'show' ? s.show : g.kind === 'other' ? s.other : s.submit);
  const order: ModelGroup['kind'][] = ['submit', 'show', 'other'];
  const special: Block[] = [];
  for (const kind of order) {
    const groups = model.groups.map((g, gi) => ({ g, gi })).filter(({ g }) => g.kind === kind);
    const everyone = groups.flatMap(({ g, gi }) => g.items.map((it, ii) => ({ g, gi, it, ii }))).filter(({ g, it }) => forEveryone(g, it));
    const conditional = groups.flatMap(({ g, gi }) => g.items.map((it, ii) => ({ g, gi, it, ii }))).filter(({ g, it }) => !forEveryone(g, it));
    if (everyone.length) {
      blocks.push({ text: heading(groups[0]!.g), priority: 0, paper: false, heading: 1 });
      for (const { gi, it, ii } of everyone) if (!matched.has(`${gi}.${ii}`)) blocks.push({ text: `• ${tidy(it.text)}${qty(it, lang)}`, priority: 1, paper: true });
    }
    let caseOf = -1;
    for (const { g, gi, it, ii } of conditional) {
      if (matched.has(`${gi}.${ii}`)) continue; // the case lead shows it whole
      // A case the record names in a heading ("Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ") is said
      // once over its papers; a condition inside the item ("Trường hợp … thì …", "(nếu có)") is in its text. Each
      // paper is the record's whole text: a shortened name could drop its condition, its "hoặc …" alternative or a
      // unit, so a paper that does not fit is left out whole and counted in "Xem đủ giấy tờ".
      if (g.when && caseOf !== gi) special.push({ text: `${cap(g.when)}:`, priority: full ? 2 : 3, paper: false, heading: 2 });
      caseOf = g.when ? gi : -1;
      special.push({ text: `• ${tidy(it.text)}${qty(it, lang)}`, priority: full ? 2 : 3, paper: true });
    }
  }
  if (special.length) blocks.push({ text: s.special, priority: 2, paper: false, heading: 1 }, ...special);
  if (full) {
    const notes = model.groups.flatMap((g) => g.notes);
    if (notes.length) blocks.push({ text: s.notes, priority: 4, paper: false, heading: 1 }, ...notes.map((n) => ({ text: `– ${tidy(n)}`, priority: 4, paper: false })));
  }
  // Drop whole blocks, lowest priority and last first, until the rest fits.
  const keep = blocks.map(() => true);
  const size = () => blocks.reduce((n, b, i) => n + (keep[i] ? b.text.length + 1 : 0), 0);
  let dropped = 0;
  for (let p = 4; p >= 1 && size() > budget; p--) {
    for (let i = blocks.length - 1; i >= 0 && size() > budget; i--) {
      if (keep[i] && blocks[i]!.priority === p) {
        keep[i] = false;
        if (blocks[i]!.paper) dropped++;
      }
    }
  }
  // a heading left with nothing under it goes too: a case's when its papers went, then a section's when all its
  // cases went (from the end, so a case heading is settled before the section over it)
  for (let i = blocks.length - 1; i >= 0; i--) {
    const level = blocks[i]!.heading;
    if (!keep[i] || !level) continue;
    const next = blocks.findIndex((_, j) => j > i && keep[j]);
    const under = blocks[next]?.heading;
    if (next === -1 || (under !== undefined && under <= level)) keep[i] = false;
  }
  const lines = blocks.filter((_, i) => keep[i]).map((b) => b.text);
  // the full list is what "Xem đủ giấy tờ" already shows: only the official page has the rest
  if (dropped) lines.push(full ? s.droppedFull(dropped) : s.dropped(dropped));
  return { lines, dropped };
}

/** The lead block for a matched case: the record's own sentences about it, whole. */
export function caseLead(model: ProcedureModel, matches: CaseMatch[], lang: Language): string[] {
  const s = T[lang];
  const out: string[] = [];
  const used = new Set<string>();
  for (const m of matches.slice(0, 2)) {
    let text: string | null = null;
    if (m.text) text = tidy(m.text);
    else if (m.group !== undefined && m.item !== undefined) {
      const it = model.groups[m.group]?.items[m.item];
      if (it) text = `${tidy(it.text)}${qty(it, lang)}`;
    } else if (m.group !== undefined) {
      const g = model.groups[m.group];
      if (g) text = [g.title, ...g.items.map((it) => `• ${tidy(it.text)}${qty(it, lang)}`)].filter(Boolean).join('\n');
    }
    if (!text || used.has(text)) continue;
    used.add(text);
    out.push(s.yourCase(m.when), text);
  }
  return out;
}
