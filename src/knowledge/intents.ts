import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readPhraseFile } from './phrase-lists.ts';
import { containsPhrase, fold } from '../retrieval/text.ts';

/** knowledge/intents.json: what a citizen wants to do with the procedure under discussion, as data. */
export const IntentsSchema = z.object({
  wishToAct: z.array(z.string().min(2)).refine((a) => new Set(a.map(fold)).size === a.length, { message: 'a phrase is listed twice' }),
});
export type Intents = z.infer<typeof IntentsSchema>;

export const EMPTY_INTENTS: Intents = { wishToAct: [] };

export function loadIntents(knowledgeDir: string): Intents {
  if (!fs.existsSync(path.join(knowledgeDir, 'intents.json'))) return EMPTY_INTENTS;
  return readPhraseFile(knowledgeDir, 'intents.json', IntentsSchema);
}

/** "tôi muốn làm thủ tục này", "giup toi dang ky": the citizen wants to carry out the procedure now. */
export function isWishToAct(message: string, intents: Intents): boolean {
  const folded = fold(message);
  return intents.wishToAct.some((p) => containsPhrase(folded, fold(p)));
}
