import { HOMOGLYPHS, LEET } from './homoglyphs.ts';

/**
 * A folded reading of the message: lowercase ASCII letters and digits, ' ' for other characters, '#' where a
 * sentence ends (. ! ? ; newline) and '~' for a comma or colon, so rules can stop at a clause. `start[i]`/`end[i]` give the
 * span of the message that folded character i came from.
 */
export interface Reading {
  text: string;
  start: number[];
  end: number[];
  /** Message positions of characters read through the look-alike table. */
  homoglyphs: Set<number>;
  /** Message spans that were letters written one by one ("i g n o r e"), for the spaced reading only. */
  spacedRuns?: [number, number][];
}

export function foldReading(message: string, leet: boolean): Reading {
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  const homoglyphs = new Set<number>();
  const push = (s: string, from: number, to: number) => {
    for (const ch of s) {
      text += ch;
      start.push(from);
      end.push(to);
    }
  };
  let i = 0;
  for (const cp of message) {
    const from = i;
    const to = i + cp.length;
    i = to;
    const lower = cp.toLowerCase();
    if (leet && LEET[lower]) {
      push(LEET[lower]!, from, to);
      continue;
    }
    if (HOMOGLYPHS[lower]) {
      homoglyphs.add(from);
      push(HOMOGLYPHS[lower]!, from, to);
      continue;
    }
    if (/[.,:!?;\n]/.test(cp)) {
      // A dot, comma or colon between digits belongs to a number or a time ("5.000", "1,5", "7:30").
      const inNumber = /\d/.test(message[from - 1] ?? '') && /\d/.test(message[to] ?? '');
      push(inNumber ? ' ' : cp === ',' || cp === ':' ? '~' : '#', from, to);
      continue;
    }
    const base = lower.normalize('NFKD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
    if (!base) continue; // a lone combining mark: part of the letter before it
    let out = '';
    for (const c of base) out += /[a-z0-9]/.test(c) ? c : HOMOGLYPHS[c] ?? ' ';
    push(out, from, to);
  }
  return { text, start, end, homoglyphs };
}
