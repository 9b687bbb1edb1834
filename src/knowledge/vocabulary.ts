import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Citizens' words that the listing does not use: colloquial names, abbreviations, typos, life events. */
export const VocabularySchema = z.object({
  synonyms: z.array(
    z.object({
      phrases: z.array(z.string().min(1)).min(1),
      canonical: z.string().min(1),
      codes: z.array(z.string()).optional(),
    }),
  ),
  typos: z.record(z.string(), z.string()),
  lifeEvents: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      phrases: z.array(z.string().min(1)).min(1),
      codes: z.array(z.string()).min(1),
      /**
       * Words that, right after a phrase, give it another meaning: "mẹ mất" + "giấy khai sinh" is a lost paper,
       * "mất" + "bao lâu" a duration, not a death in the family.
       */
      unlessFollowedBy: z.array(z.string().min(1)).optional(),
      /**
       * Said alone, the event is a request for its procedures ("ông nội qua đời hôm qua" to a commune's assistant
       * means "what must we do"); other events count only in a question about papers ("mua xe máy hãng nào bền").
       */
      answersAlone: z.boolean().optional(),
    }),
  ),
});
export type Vocabulary = z.infer<typeof VocabularySchema>;

export const EMPTY_VOCABULARY: Vocabulary = { synonyms: [], typos: {}, lifeEvents: [] };

export function loadVocabulary(knowledgeDir: string): Vocabulary {
  const file = path.join(knowledgeDir, 'vocabulary.json');
  if (!fs.existsSync(file)) return EMPTY_VOCABULARY;
  return VocabularySchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Citizens' names for each procedure code (synonym phrases and canonical names that list the code). */
export function aliasesByCode(v: Vocabulary): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of v.synonyms) {
    for (const code of s.codes ?? []) {
      const list = out.get(code) ?? [];
      for (const p of [s.canonical, ...s.phrases]) if (!list.includes(p)) list.push(p);
      out.set(code, list);
    }
  }
  return out;
}
