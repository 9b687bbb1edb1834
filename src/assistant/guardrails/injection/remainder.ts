/** What is left of a message once the attack is cut out: the question it wrapped, if any. */

import type { Span } from './spans.ts';
import type { InjectionWords } from './words.ts';

export interface RemainderPatterns {
  /** Punctuation and joining words left dangling at the start once the attack is cut out. */
  lead: RegExp;
  /** The same at the end, and an order word left with nothing to order ("…, hãy"). */
  trail: RegExp;
}

export function compileRemainder(w: InjectionWords): RemainderPatterns {
  // Only unambiguous joining words.
  const CONNECTOR = `(?:${w.remainder.connectors.join('|')})`;
  const DANGLING = `(?:${w.remainder.dangling.join('|')})`;
  return {
    lead: new RegExp(`^(?:[\\s,.;:!?\\-–—"'“”()\\]\\[]+|${CONNECTOR}(?=[\\s,;:]))+`, 'iu'),
    trail: new RegExp(`(?:[\\s,;:\\-–—"'“”(\\[]+|(?<=^|\\s)(?:${CONNECTOR}|${DANGLING}))+$`, 'iu'),
  };
}

/** The message with the spans removed, and the joints left by the removal cleaned up. */
export function cut(patterns: RemainderPatterns, message: string, spans: Span[]): string {
  const merged: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const prev = merged[merged.length - 1];
    if (prev && s.start <= prev.end) prev.end = Math.max(prev.end, s.end);
    else merged.push({ ...s });
  }
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += message.slice(at, s.start) + ' ';
    at = s.end;
  }
  out += message.slice(at);
  return tidyRemainder(patterns, out);
}

function tidyRemainder(patterns: RemainderPatterns, text: string): string {
  let t = text
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n[ \t\n]*/g, '\n')
    .replace(/\s+([,.;:!?…])/g, '$1')
    .replace(/([,;:])(?:\s*[,.;:])+/g, '$1')
    .replace(/([.!?])(?:\s*[,;:.])+/g, '$1');
  for (let i = 0; i < 4; i++) t = t.replace(patterns.lead, '').replace(patterns.trail, '');
  t = t.trim();
  return /[\p{L}\p{N}]/u.test(t) ? t : '';
}
