import { QueryError } from '../../retrieval/query.ts';
import { fold } from '../../retrieval/text.ts';
import type { TurnContext } from './context.ts';

/** Folded, typos fixed: what the rules read (plain folding when the text is not a valid query). */
export function analyse(ctx: TurnContext, text: string): string {
  try {
    return ctx.deps.search.analyse(text).folded;
  } catch (err) {
    if (err instanceof QueryError) return fold(text);
    throw err;
  }
}
