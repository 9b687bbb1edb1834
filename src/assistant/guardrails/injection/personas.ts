import type { Span } from './spans.ts';

/** Jailbreak personas and chat-template role markers, matched in the message itself (not in a folded reading). */

/**
 * "DAN" the jailbreak persona, written in capitals on its own. Folded it is "dân" (people), so it is matched in the
 * message itself, and not in all-caps text ("ỦY BAN NHÂN DAN") or after "nhân".
 */
export function findDan(message: string): Span[] {
  const letters = message.match(/\p{L}/gu) ?? [];
  const upper = message.match(/\p{Lu}/gu) ?? [];
  if (letters.length && upper.length / letters.length > 0.5) return [];
  const out: Span[] = [];
  for (const m of message.matchAll(/(?<![\p{L}\p{N}])D\.?A\.?N(?![\p{L}\p{N}])/gu)) {
    const before = message.slice(0, m.index);
    if (/nh[âa]n\s*$/iu.test(before)) continue;
    const lead = /(?:you are|you're|act as|be|become|bạn là|bạn giờ là|là|chế độ|enable|activate|kích hoạt|bật|hãy là)\s*$/iu.exec(before);
    out.push({ start: lead ? lead.index : m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Chat-template markers and role labels pasted into a message: the line they start is the attack. Patterns of markup
 * rather than phrases of a language, so they stay in code.
 */
const ROLE_TAGS: readonly RegExp[] = [
  /<\|[a-z_]+\|>/gi,
  /\[\/?INST\]/g,
  /<<\/?SYS>>/g,
  /<\/?(?:system|instructions?|sys|user|assistant|developer|admin)(?:\s[^<>]*)?>/gi,
  // "[SYSTEM: …]" up to its bracket, so a question after it survives; "SYSTEM: …" to the end of its line.
  /\[[ \t]*(?:system|assistant|developer|hệ thống)[ \t]*:[^\]\n]*\]?/giu,
  /^[ \t]*(?:#{1,3}[ \t]*)?(?:system|assistant|developer|hệ thống)[ \t]*:.*$/gimu,
];

export function findRoleTags(message: string): Span[] {
  const out: Span[] = [];
  for (const re of ROLE_TAGS) for (const m of message.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}
