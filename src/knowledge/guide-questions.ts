import { z } from 'zod';
import { readPhraseFile, uniqueList } from './phrase-lists.ts';
import { ChannelSchema } from './procedure.ts';

/**
 * The guided submission's language data (knowledge/guide-questions.json): how a record's case label becomes a
 * short question ("không có Giấy chứng sinh" → "Bé có Giấy chứng sinh không?", the answer inverted), which labels
 * are never asked (legal references, how the dossier is sent), how a fee cell reads, and the date of our copy of
 * each source. Validated at load: a pattern that does not compile, or is listed twice, is an error.
 */

export const GUIDE_QUESTIONS_FILE = 'guide-questions.json';

const regex = z.string().min(1).refine(
  (p) => {
    try {
      new RegExp(p, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { error: (issue) => `"${String(issue.input)}" is not a valid regular expression` },
);

const choiceLabels = z.object({ yes: z.string().min(1), no: z.string().min(1), unknown: z.string().min(1) });

export const GuideQuestionPhrasesSchema = z
  .object({
    questions: z.array(z.object({ pattern: regex, text: z.string().min(3), inverted: z.boolean() })),
    fallback: z.object({ vi: z.string().includes('{label}'), en: z.string().includes('{label}') }),
    choices: z.object({ vi: choiceLabels, en: choiceLabels }),
    skip: uniqueList(regex),
    channelCases: z.object({
      pattern: regex,
      channels: z.array(z.object({ words: z.string().min(2), channel: ChannelSchema })).min(1),
    }),
    notNeeded: regex,
    fees: z.object({ free: regex, notExact: regex, exemption: regex }),
    listingCopies: z.array(
      z.object({
        origin: z.enum(['listing', 'portal', 'bqp', 'local']),
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        note: z.string().min(1),
      }),
    ),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.questions.forEach((q, i) => {
      if (seen.has(q.pattern)) ctx.addIssue({ code: 'custom', message: `"${q.pattern}" is listed twice`, path: ['questions', i] });
      seen.add(q.pattern);
      if (/\{1\}/.test(q.text) && !/\((?!\?)/.test(q.pattern)) {
        ctx.addIssue({ code: 'custom', message: `"${q.text}" uses {1} but "${q.pattern}" has no group`, path: ['questions', i] });
      }
    });
  });
export type GuideQuestionPhrases = z.infer<typeof GuideQuestionPhrasesSchema>;

export function loadGuideQuestions(knowledgeDir: string): GuideQuestionPhrases {
  return readPhraseFile(knowledgeDir, GUIDE_QUESTIONS_FILE, GuideQuestionPhrasesSchema);
}
