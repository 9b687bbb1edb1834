import type { Alternative } from './schema.ts';

/**
 * Reading one document item of a record: its condition, its name, its fallbacks and its notes. Hand-written
 * rules over the record's own separators ("Trường hợp … thì …", "; nếu không có … thì …", "(nếu có)"): the
 * listing is consistent enough that a few patterns cover it, and every piece returned is a substring of the item,
 * so nothing can change its meaning. The full text always travels with the pieces.
 */

export interface ItemReading {
  name: string;
  when: string | null;
  alternatives: Alternative[];
  notes: string[];
}

const WS = /\s+/g;
export const tidyText = (s: string): string => s.replace(WS, ' ').trim();


/** "- ", "+ ", "a) ", "1. ", "(iv) ", "•" at the start of a listing cell. */
const BULLET = /^(?:[-+•*–]\s*|[a-zđ]\)\s+|\d{1,2}[.)]\s+|\((?:[ivx]{1,4}|[a-zđ]|\d{1,2})\)\s*)+/iu;

/** The cell without its list marker: the marker is layout, the rest is the record's text. */
export const itemText = (s: string): string => tidyText(s).replace(BULLET, '');

/** Leading condition: "Trường hợp X thì Y", "Nếu X, Y", "Đối với X: Y", "Trường hợp X phải có Y". */
const LEAD = /^(?:trong\s+)?(?:trường\s+hợp|nếu|đối\s+với(?:\s+trường\s+hợp)?)\s+(.{3,220}?)(?:\s+thì\s+|\s*[,:]\s+|(?<!không|chưa)\s+(?=(?:phải|cần|nộp|xuất\s+trình)\s))(.+)$/isu;
/** Trailing condition: "Văn bản ủy quyền … trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh." */
const TRAIL = /^(.{3,}?)[\s,(]+(?:trong|đối\s+với)\s+trường\s+hợp\s+(.{3,200}?)\)?[.;]?$/isu;
/** "Tờ khai … (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp …);": a closing "(nếu …)". */
const TRAIL_IF = /^(.{3,}?)\s*\((?:nếu|trong\s+trường\s+hợp|trường\s+hợp|đối\s+với)\s+((?!có\s*\))[^()]{3,200})\)[.;]?$/isu;
/** "(nếu có)", "nếu có": the paper is needed by those who have it. */
const IF_ANY = /\(?\s*nếu\s+có\s*\)?[.;]?$/iu;
/** "; trường hợp không có X thì Y", "; nếu không có Y thì Z": a fallback chain. */
const ALT_SPLIT = /;\s*(?=(?:trong\s+)?(?:trường\s+hợp|nếu)\s+(?:không|chưa)\s+(?:có|được))/iu;
const ALT = /^(?:trong\s+)?(?:trường\s+hợp|nếu)\s+((?:không|chưa)\s+(?:có|được)\s+.+?)\s+thì\s+(.+?)[.;]?$/isu;
/** Verbs before the paper's name in a condition's consequence ("thì phải có biên bản …"). */
const DUTY = /^(?:(?:người\s+(?:yêu\s+cầu|đi\s+khai\s+sinh)\s+)?(?:phải|cần|được)?\s*(?:có|nộp|xuất\s+trình|bổ\s+sung|kèm\s+theo|làm)\s+)+/iu;

/** Sentence ends: ". " before a capital or a bullet (not "NĐ-CP." inside a reference, which is followed by lowercase). */
export function sentences(text: string): string[] {
  return tidyText(text)
    .split(/(?<=[.!?])\s+(?=[A-ZĐÀ-ỸẠ-Ỹ+\-•(])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The leading clause of a paper's text, up to the first separator (before any cut for length). */
function leadingClause(text: string): string {
  let t = tidyText(text).replace(BULLET, '').replace(DUTY, '');
  const cut = /[;:]|\.\s|\.$|\s\(|,\s(?=(?:trong|theo|do|đối|nếu|trường|kèm|đã|có)\s)|\s(?=theo\s+(?:mẫu|quy\s+định))/u.exec(t);
  if (cut && cut.index >= 3) t = t.slice(0, cut.index);
  return t.replace(/[.,;:]+$/, '').trim();
}

/** Whether `leadingNounPhrase(text)` is cut at a word for length (half a clause: never shown alone). */
export function nameIsCut(text: string): boolean {
  return leadingClause(text).length > 110;
}

/** The paper's name: the clause up to the first separator, at most ~100 characters cut at a word. */
export function leadingNounPhrase(text: string): string {
  let t = leadingClause(text);
  if (t.length > 110) {
    const room = t.slice(0, 110);
    t = room.slice(0, Math.max(room.lastIndexOf(' '), 40)).trim();
  }
  return t ? t.charAt(0).toUpperCase() + t.slice(1) : tidyText(text).slice(0, 110);
}

/** A condition phrase fit to show after "Trường hợp": no trailing punctuation, first letter kept as written. */
function condition(s: string): string {
  return tidyText(s).replace(/^(?:trường\s+hợp|nếu)\s+/iu, '').replace(/[.,;:)]+$/, '').trim();
}

export function readItem(raw: string): ItemReading {
  const text = tidyText(raw).replace(BULLET, '');
  const [mainPart, ...altParts] = text.split(ALT_SPLIT);
  const alternatives: Alternative[] = [];
  for (const part of altParts) {
    const m = ALT.exec(part.trim());
    if (m) alternatives.push({ when: condition(m[1]!), name: leadingNounPhrase(m[2]!), text: part.trim().replace(/[;]$/, '') });
  }
  // An alternative clause that did not read as one stays in the main text, whole.
  const unread = altParts.filter((p) => !ALT.test(p.trim()));
  const main = [mainPart!, ...unread].join('; ');
  const [first = main, ...rest] = sentences(main);
  let when: string | null = null;
  let body = first;
  const lead = LEAD.exec(first);
  if (lead) {
    when = condition(lead[1]!);
    body = lead[2]!;
  } else {
    const trail = TRAIL.exec(first);
    if (trail) {
      when = condition(trail[2]!);
      body = trail[1]!;
    } else if (TRAIL_IF.test(first)) {
      const m = TRAIL_IF.exec(first)!;
      when = condition(m[2]!);
      body = m[1]!;
    } else if (IF_ANY.test(first)) {
      when = 'nếu có';
      body = first.replace(IF_ANY, '');
    }
  }
  return { name: leadingNounPhrase(body), when, alternatives, notes: rest };
}

/** Items that are not papers: introductions, examples, and statements of what need not be brought. */
export function isNoteItem(text: string, originals: number | null, copies: number | null): boolean {
  const t = tidyText(text).replace(BULLET, '');
  if (/^(?:ví\s+dụ|lưu\s+ý|ghi\s+chú|chú\s+ý)\b/iu.test(t)) return true;
  if (/\b(?:thì\s+)?không\s+phải\s+(?:nộp|xuất\s+trình|tải\s+lên|cung\s+cấp)\b[^.;]*\.?$/iu.test(t) && !originals && !copies) return true;
  // "0 bản chính": the listing's way of putting a note in the table
  return originals === 0 && !copies;
}

/** A heading listed as an item: ends with ":" or announces a list ("… các giấy tờ sau"). */
export function isHeadingItem(text: string): boolean {
  const t = tidyText(text);
  return /:$/.test(t) || /(?:gồm|các\s+giấy\s+tờ\s+sau|như\s+sau)\s*:?$/iu.test(t);
}
