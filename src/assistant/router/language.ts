import type { Language } from '../types.ts';
import { fold } from '../../retrieval/text.ts';

/** Vietnamese letters that only Vietnamese uses (with diacritics, or đ). */
const VIETNAMESE_LETTERS = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

/** Words common in English questions and rare in folded Vietnamese. */
const ENGLISH_WORDS = new Set(
  (
    'the a an is are am do does did how what where when who which why can could should would will my your i me we ' +
    'you need want get register registration certificate birth marriage fee fees cost much long take apply ' +
    'application online documents papers of to for in on at with from please hello hi thanks thank about my ' +
    'it this that there have has need office permit license'
  ).split(' '),
);

/** Folded Vietnamese words that are also English words and must not count as English. */
const SHARED = new Set(['an', 'to', 'do', 'in', 'me', 'can', 'hi', 'the', 'on', 'ma', 'i', 'a']);

/**
 * Vietnamese unless the message reads as English: no Vietnamese letters and most words English. Citizens often
 * write Vietnamese without diacritics, so the absence of diacritics alone says nothing.
 */
export function detectLanguage(text: string): Language {
  if (VIETNAMESE_LETTERS.test(text)) return 'vi';
  const words = fold(text).split(' ').filter(Boolean);
  if (!words.length) return 'vi';
  const english = words.filter((w) => ENGLISH_WORDS.has(w)).length;
  const distinctive = words.filter((w) => ENGLISH_WORDS.has(w) && !SHARED.has(w)).length;
  return distinctive >= 1 && english / words.length >= 0.3 ? 'en' : 'vi';
}
