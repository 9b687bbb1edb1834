/**
 * Fitting record text to a phone screen without cutting a sentence in half: text is shortened only at a sentence
 * or clause boundary, and the caller always adds the official link where the full text is.
 */

/** Zalo's message limit; no answer the assistant composes is longer. */
export const MAX_MESSAGE_CHARS = 2000;
/** What fits one phone screen comfortably; answers aim for this. */
export const SCREEN_CHARS = 1100;

const ELLIPSIS = ' …';

/** Collapses runs of spaces and stray wrapping quotes/brackets the listing leaves around cells. */
export function tidy(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  // "((Miễn lệ phí ...))" → "Miễn lệ phí ..."
  while (/^\(.*\)$/.test(t) && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * At most `max` characters, cut after the last full sentence (". ", "; ", "! ", "? ") that fits, else after the
 * last clause (", "), else before the last word; a cut text ends with " …".
 */
export function clip(text: string, max: number): string {
  const t = tidy(text);
  if (t.length <= max) return t;
  const room = t.slice(0, Math.max(0, max - ELLIPSIS.length));
  const sentence = Math.max(...['. ', '; ', '! ', '? ', ': '].map((s) => room.lastIndexOf(s)));
  if (sentence >= max * 0.4) return room.slice(0, sentence + 1) + ELLIPSIS;
  const clause = room.lastIndexOf(', ');
  if (clause >= max * 0.4) return room.slice(0, clause) + ELLIPSIS;
  const word = room.lastIndexOf(' ');
  return (word > 0 ? room.slice(0, word) : room) + ELLIPSIS;
}

/**
 * Joins blocks under a budget: whole blocks are kept in order while they fit; the ones that do not fit are
 * dropped and `more` (e.g. "… xem đầy đủ ở trang chính thức") is said instead.
 */
export function fitBlocks(blocks: string[], budget: number, more: (dropped: number) => string): string[] {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (used + b.length + 1 > budget && out.length) {
      out.push(more(blocks.length - i));
      return out;
    }
    out.push(b);
    used += b.length + 1;
  }
  return out;
}

/**
 * At most about `max` characters made of whole sentences: sentences (". ", "; ", " - " bullets) are dropped from
 * the end and `more` is said instead; the first sentence is always kept whole, even when it alone is longer.
 */
export function clipSentences(text: string, max: number, more: string): string {
  const t = tidy(text);
  if (t.length <= max) return t;
  const parts = t.split(/(?<=[.;!?])\s+(?=\S)|\s+(?=- [A-ZĐÀ-Ỹ])/u);
  let out = parts[0]!;
  for (const part of parts.slice(1)) {
    if (out.length + part.length + 1 + more.length + 1 > max) return `${out} ${more}`;
    out = `${out} ${part}`;
  }
  return out;
}
