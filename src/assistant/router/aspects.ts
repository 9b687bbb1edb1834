import { z } from 'zod';
import { AspectSchema, type Aspect } from '../../domain/types.ts';
import { containsPhrase } from '../../retrieval/text.ts';
import { foldedPhrases, readPhraseFile, refineDisjoint, SHIPPED_KNOWLEDGE_DIR } from '../../knowledge/phrase-lists.ts';

/**
 * Which part of a procedure a question asks about, from the folded phrases of knowledge/aspects.json. Order
 * matters only for the primary aspect: the first listed match wins when a question names several ("giấy tờ và lệ
 * phí"). A phrase says one aspect only, so a phrase in two aspects is rejected at load like one listed twice.
 */
export const AspectPhrasesSchema = z.strictObject({
  _readme: z.string(),
  aspects: z
    .array(z.strictObject({ aspect: AspectSchema, phrases: foldedPhrases }))
    .superRefine((list, ctx) => {
      const seen = new Set<Aspect>();
      list.forEach((a, i) => {
        if (seen.has(a.aspect)) ctx.addIssue({ code: 'custom', message: `aspect "${a.aspect}" is listed twice`, path: [i, 'aspect'] });
        seen.add(a.aspect);
      });
      refineDisjoint(ctx, list.map((a, i) => ({ name: a.aspect, path: [i, 'phrases'], phrases: a.phrases })));
    }),
});
export type AspectPhrases = z.infer<typeof AspectPhrasesSchema>;

export function loadAspectPhrases(knowledgeDir: string): AspectPhrases {
  return readPhraseFile(knowledgeDir, 'aspects.json', AspectPhrasesSchema);
}

/** The phrases compiled for matching. */
export interface AspectTables {
  byAspect: readonly { aspect: Aspect; phrases: readonly string[] }[];
  /** Every phrase, longest first: the order in which they are taken out of a message. */
  longestFirst: readonly string[];
}

export function compileAspectPhrases(data: AspectPhrases): AspectTables {
  return { byAspect: data.aspects, longestFirst: data.aspects.flatMap((a) => a.phrases).sort((a, b) => b.length - a.length) };
}

/**
 * The phrases shipped with the product, read once at import from the committed file and never changed: these
 * functions are called without context from the router and its tests (as language.ts does with its cues).
 */
const SHIPPED: AspectTables = compileAspectPhrases(loadAspectPhrases(SHIPPED_KNOWLEDGE_DIR));

/** The aspects a folded question names, in priority order; empty when it names none. */
export function detectAspects(folded: string, t: AspectTables = SHIPPED): Aspect[] {
  const found: Aspect[] = [];
  for (const { aspect, phrases } of t.byAspect) {
    if (phrases.some((p) => containsPhrase(folded, p))) found.push(aspect);
  }
  return found;
}

/** The folded message with every aspect phrase taken out: what is left says whether it names a procedure. */
export function withoutAspectPhrases(folded: string, t: AspectTables = SHIPPED): string {
  let rest = ` ${folded} `;
  for (const p of t.longestFirst) rest = rest.split(` ${p} `).join(' ');
  return rest.trim();
}
