/**
 * Splits a long text into parts of at most `max` characters at paragraph, line or sentence boundaries (in that
 * order of preference), never inside a word unless one word alone is longer than `max`. Every platform has its
 * limit (Zalo 2,000, Telegram 4,096); the assistant keeps answers shorter, this is the channel layer's safety net.
 */
export function splitText(text: string, max: number): string[] {
  const t = text.trim();
  if (t.length <= max) return t ? [t] : [];
  const parts: string[] = [];
  let rest = t;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut =
      boundary(window, '\n\n', max) ?? boundary(window, '\n', max) ?? sentence(window, max) ?? boundary(window, ' ', max) ?? max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Position just after the last `sep` in the window, if it leaves a part of a useful size. */
function boundary(window: string, sep: string, max: number): number | null {
  const i = window.lastIndexOf(sep, max);
  return i >= max * 0.3 ? i + sep.length : null;
}

function sentence(window: string, max: number): number | null {
  let best = -1;
  for (const m of window.matchAll(/[.!?;…](?=\s)/g)) if (m.index! < max) best = m.index!;
  return best >= max * 0.3 ? best + 1 : null;
}
