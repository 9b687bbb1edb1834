import { SHIPPED_KNOWLEDGE_DIR } from '../../knowledge/phrase-lists.ts';
import { createInjectionDetector, type InjectionResult } from './injection/detect.ts';
import { loadInjectionWords } from './injection/words.ts';

/**
 * Spotting prompt-injection and jailbreak attempts in a citizen's message (Vietnamese with or without diacritics,
 * and English), and cutting them out so a real question wrapped in an attack can still be answered.
 *
 * Phrase rules over a folded copy of the message, like the router's: they run offline in microseconds and stay the
 * safety net when a model is configured. The folded copies keep a map back to the message, so what a rule matches
 * can be removed from the message itself. The parts, in injection/: undoing obfuscation (zero-width.ts,
 * homoglyphs.ts and reading.ts, spaced-letters.ts, base64.ts), the rules (rules.ts, over the words of
 * knowledge/injection.json in words.ts), dictated claims and personas (claims.ts, personas.ts), and cutting the
 * attack out (remainder.ts); detect.ts puts them together.
 */

export type { InjectionResult };

/**
 * The detector over the words shipped with the product, compiled once at import from the committed file and never
 * changed: the pipeline and the tests call `detectInjection` without context (as language.ts does with its cues).
 */
export const detectInjection: (text: string) => InjectionResult = createInjectionDetector(loadInjectionWords(SHIPPED_KNOWLEDGE_DIR));
