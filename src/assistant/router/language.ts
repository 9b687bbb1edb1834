import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Language } from '../../domain/types.ts';
import { fold } from '../../retrieval/text.ts';

/** Vietnamese letters that only Vietnamese uses (with diacritics, or đ). */
const VIETNAMESE_LETTERS = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

const uniqueWords = z.array(z.string().min(1)).refine((a) => new Set(a).size === a.length, { message: 'a word is listed twice' });

/** knowledge/language-cues.json: data, so that the lists grow without code changes. */
export const LanguageCuesSchema = z.object({
  english: uniqueWords,
  shared: uniqueWords,
  loanwords: uniqueWords,
  vietnamese: uniqueWords,
});
export type LanguageCues = z.infer<typeof LanguageCuesSchema>;

export function loadLanguageCues(knowledgeDir: string): LanguageCues {
  return LanguageCuesSchema.parse(JSON.parse(fs.readFileSync(path.join(knowledgeDir, 'language-cues.json'), 'utf8')));
}


interface Sets {
  english: Set<string>;
  shared: Set<string>;
  loan: Set<string>;
  vietnamese: Set<string>;
}

function toSets(cues: LanguageCues): Sets {
  return { english: new Set(cues.english), shared: new Set(cues.shared), loan: new Set(cues.loanwords), vietnamese: new Set(cues.vietnamese) };
}

/** The cues shipped with the product, read once at import from the committed file and never changed (as the router's tables are). */
const SHIPPED = toSets(loadLanguageCues(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../knowledge')));

/**
 * The language of a message in a conversation whose language so far is `previous`. Vietnamese when it has
 * Vietnamese letters or words only a Vietnamese sentence has ("lam online duoc ko" is Vietnamese with a loanword);
 * English when most of its words are English and none is Vietnamese; otherwise the conversation keeps its
 * language ("ok", "thanks", a code), so a language sticks until the citizen clearly switches.
 */
export function detectLanguage(text: string, previous: Language = 'vi', cues?: LanguageCues): Language {
  if (VIETNAMESE_LETTERS.test(text)) return 'vi';
  const s = cues ? toSets(cues) : SHIPPED;
  const words = fold(text)
    .split(' ')
    .filter((w) => w && !s.loan.has(w) && !/^\d+$/.test(w));
  if (!words.length) return previous;
  const english = words.filter((w) => s.english.has(w)).length;
  const distinctive = words.filter((w) => s.english.has(w) && !s.shared.has(w)).length;
  const vietnamese = words.filter((w) => s.vietnamese.has(w) && !s.english.has(w)).length;
  if (vietnamese >= 1 && vietnamese >= distinctive) return 'vi';
  if (distinctive >= 2 && english / words.length >= 0.4) return 'en';
  if (distinctive >= 1 && english / words.length >= 0.5 && vietnamese === 0) return previous === 'en' || words.length >= 2 ? 'en' : previous;
  return previous;
}
