import { localNoteLine } from '../answer/composer.ts';
import type { Step } from './context.ts';

/**
 * In LLM mode the LLM writes the answer from the same records and model, and a deterministic check requires every
 * number, code and link it states to be in the records it cites; otherwise the composer's answer stays. Then the
 * "Trường hợp khác" choices go ahead of the answer's own.
 */
export const check: Step = {
  name: 'check',
  async run(ctx) {
    if (!ctx.record) return 'next';
    const offline = ctx.messages[0]!;
    if (ctx.deps.llm && ctx.question) {
      // the turn of this message is recorded after this step, so these are the earlier ones
      const history = await ctx.deps.turns.recentMessages(ctx.input.conversationId, 6).catch(() => []);
      const localNote = localNoteLine(ctx.deps.localNotes?.localNote(ctx.record.code), ctx.language);
      const llm = await ctx.deps.llm.answer.run({ question: ctx.question, language: ctx.language, aspect: ctx.aspect ?? 'overview', records: ctx.records, history, offline, localNote });
      ctx.messages = [llm.message];
      ctx.llmUsed = llm.used;
      ctx.llmFallback = llm.fallback;
    }
    const last = ctx.messages.at(-1);
    if (ctx.extraChoices.length && last) last.choices = [...ctx.extraChoices, ...(last.choices ?? [])].slice(0, 6);
    ctx.status = 'answered';
    return 'stop';
  },
};
