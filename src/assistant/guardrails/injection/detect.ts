import { BASE64, decodeBase64 } from './base64.ts';
import { compileClaims, findForcedClaims } from './claims.ts';
import { findDan, findRoleTags } from './personas.ts';
import { foldReading } from './reading.ts';
import { compileRemainder, cut } from './remainder.ts';
import { compileRules, runRules } from './rules.ts';
import { despace } from './spaced-letters.ts';
import { type Finding, overlaps } from './spans.ts';
import type { InjectionWords } from './words.ts';
import { withoutInvisible } from './zero-width.ts';

export interface InjectionResult {
  injection: boolean;
  /** Which rules fired ("ignore_instructions", "reveal_prompt", ...) and how the attack was hidden ("obfuscation:…"). */
  signals: string[];
  /** The message without the attack; '' when nothing else is left. */
  remainder: string;
}

/** How deep base64 inside base64 is decoded. */
const MAX_DEPTH = 2;

/**
 * A detector over the words of `words`, compiled once. Obfuscation is undone before matching: zero-width and bidi
 * characters are dropped, look-alike letters read as Latin, leetspeak and spaced letters are read a second way,
 * and base64 blobs are decoded and checked in turn. What the rules match is then cut out of the message.
 */
export function createInjectionDetector(words: InjectionWords): (text: string) => InjectionResult {
  const rules = compileRules(words);
  const claims = compileClaims(words, rules.clauseOpener);
  const remainder = compileRemainder(words);

  function detect(input: string, depth: number): InjectionResult {
    const { message, invisibleAt } = withoutInvisible(input);

    const signals: string[] = [];
    const add = (s: string) => {
      if (!signals.includes(s)) signals.push(s);
    };
    const found: Finding[] = [];

    const plain = foldReading(message, false);
    const leet = foldReading(message, true);
    const spaced = despace(leet);

    const plainFindings = runRules(rules, plain, false);
    found.push(...plainFindings);

    for (const f of runRules(rules, leet, false)) {
      if (overlaps(f, plainFindings.filter((p) => p.signal === f.signal))) continue;
      found.push(f);
      if (!f.supporting) add('obfuscation:leetspeak');
    }
    const runs = (spaced.spacedRuns ?? []).map(([start, end]) => ({ start, end }));
    if (runs.length) {
      for (const f of runRules(rules, spaced, true)) {
        // Gaps may be empty in this reading, so only matches over letters written one by one count.
        if (!overlaps(f, runs) || overlaps(f, found.filter((p) => p.signal === f.signal))) continue;
        found.push(f);
        if (!f.supporting) add('obfuscation:spaced_letters');
      }
    }

    for (const s of findForcedClaims(claims, message, plain)) found.push({ ...s, signal: 'forced_claim' });
    for (const s of findDan(message)) found.push({ ...s, signal: 'jailbreak_mode' });
    for (const s of findRoleTags(message)) found.push({ ...s, signal: 'role_tag' });

    if (depth < MAX_DEPTH) {
      for (const m of message.matchAll(BASE64)) {
        const decoded = decodeBase64(m[0]);
        if (!decoded) continue;
        const inner = detect(decoded, depth + 1);
        if (!inner.injection) continue;
        found.push({ signal: 'encoded:base64', start: m.index, end: m.index + m[0].length });
        for (const s of inner.signals) add(s);
      }
    }

    // Supporting findings count only next to a real one.
    if (!found.some((f) => !f.supporting)) return { injection: false, signals: [], remainder: message.trim() };

    found.sort((a, b) => a.start - b.start);
    const ordered: string[] = [];
    for (const f of found) {
      if (!ordered.includes(f.signal)) ordered.push(f.signal);
      if ([...plain.homoglyphs].some((h) => h >= f.start && h < f.end)) add('obfuscation:homoglyph');
      if (invisibleAt.some((z) => z > f.start && z < f.end)) add('obfuscation:zero_width');
    }
    // Rule signals first, in the order they occur (those found inside a decoded blob after it); then how the attack
    // was hidden.
    const all = [...ordered, ...signals.filter((s) => !ordered.includes(s))];
    const sorted = [...all.filter((s) => !s.startsWith('obfuscation:')), ...all.filter((s) => s.startsWith('obfuscation:'))];
    return { injection: true, signals: sorted, remainder: cut(remainder, message, found) };
  }

  return (text) => detect(text, 0);
}
