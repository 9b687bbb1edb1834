import { EMPTY_CASE_PHRASES } from '../../knowledge/case-phrases.ts';
import { composeAnswer } from '../answer/composer.ts';
import type { Step } from './context.ts';

/** The offline composer's answer from the settled record: the citizen's case first, then the aspect asked. */
export const compose: Step = {
  name: 'compose',
  async run(ctx) {
    if (!ctx.record) return 'next';
    ctx.messages = [
      composeAnswer(ctx.record, ctx.aspect ?? 'overview', {
        lang: ctx.language,
        profile: ctx.deps.profile,
        question: ctx.question,
        casePhrases: ctx.deps.casePhrases ?? EMPTY_CASE_PHRASES,
        full: ctx.fullDocuments,
        localNote: ctx.deps.localNotes?.localNote(ctx.record.code) ?? null,
      }),
    ];
    ctx.procedures = [ctx.record.code];
    return 'next';
  },
};
