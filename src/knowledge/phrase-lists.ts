import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { fold } from '../retrieval/text.ts';

/**
 * Shared pieces of the phrase-list files in knowledge/ (router rules, emergency cues, aspects, injection words):
 * a list in which every entry appears once, entries in folded form, and a loader whose error names the file, the
 * list and the entry ("router-rules.json: smallTalk.markers: "cam on" is listed twice").
 */

/** The knowledge/ folder committed with the code: where the product's own phrase lists live. */
export const SHIPPED_KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge', import.meta.url));

/** A list in which no entry is listed twice (entries compared as written). */
export function uniqueList<T extends z.ZodType<string>>(entry: T) {
  return z.array(entry).superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p)) ctx.addIssue({ code: 'custom', message: `"${p}" is listed twice`, path: [i] });
      seen.add(p);
    });
  });
}

/**
 * A phrase as the router compares it: folded (lowercase, no diacritics, words separated by one space). A phrase
 * written any other way would never match, so it is an error rather than dead data.
 */
export const foldedPhrase = z
  .string()
  .min(1)
  .refine((p) => fold(p) === p, {
    error: (issue) => `"${String(issue.input)}" is not in folded form (write "${fold(String(issue.input))}")`,
  });

/** A list of distinct folded phrases. */
export const foldedPhrases = uniqueList(foldedPhrase);

/**
 * Checks that no phrase is in two of `lists`: where the code matches their union, or where a phrase must say one
 * thing only (one aspect), a phrase in two lists is a mistake. Reported on the later list, naming both.
 */
export function refineDisjoint(
  ctx: z.RefinementCtx,
  lists: readonly { name: string; path: readonly (string | number)[]; phrases: readonly string[] }[],
): void {
  const owner = new Map<string, string>();
  for (const list of lists) {
    list.phrases.forEach((p, i) => {
      const before = owner.get(p);
      if (before !== undefined && before !== list.name) {
        ctx.addIssue({ code: 'custom', message: `"${p}" is listed twice (in ${before} and ${list.name})`, path: [...list.path, i] });
      }
      if (before === undefined) owner.set(p, list.name);
    });
  }
}

/** "smallTalk.markers" for the path ['smallTalk', 'markers', 12]: the list, without the entry's index. */
function listName(issuePath: readonly PropertyKey[]): string {
  const names = issuePath.filter((p) => typeof p !== 'number').map(String);
  return names.length ? names.join('.') : '(top level)';
}

/** Reads knowledge/`name` from `dir` and validates it; any problem is thrown as one message naming the file. */
export function readPhraseFile<S extends z.ZodType>(dir: string, name: string, schema: S): z.output<S> {
  const file = path.join(dir, name);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${name}: cannot be read as JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${name}: ${parsed.error.issues.map((i) => `${listName(i.path)}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
