/**
 * The rules' notation, shared by rules.ts and claims.ts: sources are written over a folded reading, with the words
 * of knowledge/injection.json put in as alternatives.
 */

/**
 * In rule sources a space is a word gap, which `compile` turns into one for the reading at hand: in the spaced
 * reading a gap may be empty ("ignoreallprevious…"). "_" is a gap that is never empty, for runs of any words
 * ("(?:_[a-z0-9]+){0,3}"), which would otherwise split a long word every possible way.
 */
export function compile(source: string, spaced = false): RegExp {
  const gap = spaced ? '[^a-z0-9]*' : '[^a-z0-9]+';
  const body = source.replace(/ /g, gap).replace(/_/g, '[^a-z0-9]+');
  return new RegExp(spaced ? body : `(?<![a-z0-9])(?:${body})(?![a-z0-9])`, 'g');
}

/** Alternatives, longest first, so "truoc do" is taken whole rather than "truoc" then a stray "do". */
export const alt = (...words: readonly string[]) => `(?:${[...words].sort((a, b) => b.length - a.length).join('|')})`;
