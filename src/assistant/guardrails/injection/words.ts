import { z } from 'zod';
import { readPhraseFile, uniqueList } from '../../../knowledge/phrase-lists.ts';

/**
 * knowledge/injection.json: the word lists of the injection rules, as data so that a new phrasing of an attack is
 * a line in a file. The grammar that combines them (which list comes after which, lookarounds such as "cấu hình"
 * not followed by "máy") stays in code, in rules.ts and claims.ts: as data it would be a regex language of its own.
 */

/**
 * A folded word or phrase in the rules' notation: a space is a word gap, and the simple regex marks ? ( | ) [ ]
 * may make a letter or an ending optional ("instructions?", "polic(?:y|ies)", "authori[sz]e"). No lookarounds, no
 * wildcards: those belong to the grammar.
 */
const ruleWord = z
  .string()
  .regex(/^[a-z0-9?:()|[\]]+(?: [a-z0-9?:()|[\]]+)*$/, {
    error: (issue) => `"${String(issue.input)}" is not a folded word (lowercase a-z, 0-9, single spaces, ? ( | ) [ ])`,
  })
  .refine(
    (w) => {
      try {
        new RegExp(w);
        return true;
      } catch {
        return false;
      }
    },
    { error: (issue) => `"${String(issue.input)}" is not a valid pattern` },
  );
const words = uniqueList(ruleWord).refine((l) => l.length > 0, { error: 'the list is empty' });

/** A Vietnamese or English word as written (with diacritics), matched in the message itself. */
const writtenWords = uniqueList(
  z.string().regex(/^\p{Ll}+(?: \p{Ll}+)*$/u, { error: (issue) => `"${String(issue.input)}" is not a lowercase word` }),
);

const section = <T extends Record<string, typeof words>>(lists: T) => z.strictObject(lists);

export const InjectionWordsSchema = z.strictObject({
  _readme: z.string(),
  ignore: section({
    verbs: words, quantifiers: words, beforeNoun: words, instructionNouns: words, afterNoun: words, particles: words,
    /** Words that make "bỏ qua … hướng dẫn" an attack rather than "can I skip this guide" (with beforeNoun and afterNoun). */
    strongWords: words,
    soFarEn: words,
  }),
  roles: section({
    playVerbsVi: words,
    assistantNames: words,
    openersEn: words,
    answerVerbsEn: words,
    leaveVerbs: words,
    roleOwners: words,
    newWhatEn: words,
  }),
  jailbreak: section({
    switchOn: words,
    modesEn: words,
    modesVi: words,
    names: words,
    disableVerbs: words,
    filters: words,
    withoutWhat: words,
  }),
  encoded: section({ objects: words, obeyVerbs: words }),
  reveal: section({
    showVerbsVi: words, secretsVi: words, secretSuffixesVi: words, settingsYoursVi: words, settingsSystemVi: words, askWhatVi: words,
    programmedVi: words, programmedHowVi: words, trainedVi: words, rewriteVerbsVi: words, instructionsVi: words, rewriteFormsVi: words,
    showVerbsEn: words, secretOwnersEn: words, secretAdjectivesEn: words, secretNounsEn: words, promptNames: words,
  }),
  secrets: section({ showVerbs: words, names: words }),
  probe: section({ modelQuestionsEn: words, useVerbsVi: words, listVerbs: words, tools: words, callVerbs: words }),
  exfiltration: section({ askVerbs: words, data: words, people: words, actions: words }),
  grounding: section({ phrases: words, endings: words }),
  /** Say nothing on their own, but are part of the attack when another rule fired. */
  supporting: section({ everythingVi: words, limitsEn: words }),
  repeat: section({ verbsEn: words, whatEn: words, whereEn: words, verbsVi: words, textVi: words, aboveVi: words }),
  authority: section({ roles: words, orders: words, rolesClaimed: words, rolesAs: words, orderVerbs: words }),
  claims: section({
    sayVerbsVi: words,
    audienceVi: words,
    sayVerbsEn: words,
    audienceEn: words,
    questionWords: words,
    questionEndings: words,
  }),
  /** Words that may open a clause before an order ("please", "bây giờ"), and words that end one ("và", "cho tôi"). */
  clause: section({ openers: words, stops: words }),
  /** Joining words left dangling at either end of the remainder, and order words left with nothing to order. */
  remainder: z.strictObject({ connectors: writtenWords, dangling: writtenWords }),
});
export type InjectionWords = z.infer<typeof InjectionWordsSchema>;

export function loadInjectionWords(knowledgeDir: string): InjectionWords {
  return readPhraseFile(knowledgeDir, 'injection.json', InjectionWordsSchema);
}
