import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readPhraseFile } from './phrase-lists.ts';
import { fold } from '../retrieval/text.ts';

/**
 * Citizens' words for the cases records state (knowledge/case-phrases.json): "sinh ở nhà" is the record's
 * "không có Giấy chứng sinh", "nhờ người đi nộp" its "ủy quyền". Data, so that an admin can add to it; validated at
 * load, a phrase listed twice is an error.
 */
export const CasePhrasesSchema = z
  .object({
    phrases: z.array(z.object({ means: z.string().min(2), phrases: z.array(z.string().min(2)).min(1) })),
  })
  .superRefine((v, ctx) => {
    const seen = new Map<string, string>();
    for (const entry of v.phrases) {
      for (const p of entry.phrases) {
        const key = fold(p);
        const before = seen.get(key);
        if (before !== undefined) ctx.addIssue({ code: 'custom', message: `phrase "${p}" is listed twice (for "${before}" and "${entry.means}")` });
        seen.set(key, entry.means);
      }
    }
  });
export type CasePhrases = z.infer<typeof CasePhrasesSchema>;

export const EMPTY_CASE_PHRASES: CasePhrases = { phrases: [] };

export function loadCasePhrases(knowledgeDir: string): CasePhrases {
  if (!fs.existsSync(path.join(knowledgeDir, 'case-phrases.json'))) return EMPTY_CASE_PHRASES;
  return readPhraseFile(knowledgeDir, 'case-phrases.json', CasePhrasesSchema);
}
