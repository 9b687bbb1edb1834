import type { Reading } from './reading.ts';

/**
 * Joins letters written one by one ("i g n o r e", "i.g.n.o.r.e") into words. A wider gap between two single
 * letters ("i g n o r e   a l l") is kept as a word break.
 */
export function despace(r: Reading): Reading {
  const tokens = [...r.text.matchAll(/[a-z0-9]+/g)];
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  const spacedRuns: [number, number][] = [];
  let pos = 0;
  let k = 0;
  const copy = (from: number, to: number) => {
    for (let j = from; j < to; j++) {
      text += r.text[j]!;
      start.push(r.start[j]!);
      end.push(r.end[j]!);
    }
  };
  const gapAfter = (j: number) => tokens[j + 1]!.index - (tokens[j]!.index + 1);
  while (k < tokens.length) {
    // A run of at least three single characters with short gaps between them.
    let m = k;
    while (
      m + 1 < tokens.length &&
      tokens[m]![0].length === 1 &&
      tokens[m + 1]![0].length === 1 &&
      gapAfter(m) <= 3
    ) {
      m++;
    }
    if (m - k >= 2) {
      const first = tokens[k]!.index;
      // The narrowest gap of the run is the one between letters of a word; a wider one is between words.
      let narrowest = Infinity;
      for (let j = k; j < m; j++) narrowest = Math.min(narrowest, gapAfter(j));
      copy(pos, first);
      for (let j = k; j <= m; j++) {
        const at = tokens[j]!.index;
        if (j > k && gapAfter(j - 1) > narrowest) {
          text += ' ';
          start.push(r.start[at - 1]!);
          end.push(r.end[at - 1]!);
        }
        copy(at, at + 1);
      }
      pos = tokens[m]!.index + 1;
      spacedRuns.push([r.start[first]!, r.end[pos - 1]!]);
      k = m + 1;
    } else {
      k++;
    }
  }
  copy(pos, r.text.length);
  return { text, start, end, homoglyphs: r.homoglyphs, spacedRuns };
}
