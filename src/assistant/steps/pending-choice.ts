import { resolveChoice } from '../answer/clarify.ts';
import * as replies from '../answer/replies.ts';
import { parseChoiceId, choiceId } from '../../domain/types.ts';
import { analyse } from './analyse.ts';
import { finish, type Step, type StepResult, type TurnContext } from './context.ts';

/**
 * A pick among the choices the last reply offered: a pressed button ("proc:1.001193", "aspect:fee", "docs:all"),
 * its number typed, or a typed answer to the clarifying question ("cháu mới 10 tuổi").
 */
export const pendingChoice: Step = {
  name: 'pendingChoice',
  async run(ctx) {
    if (ctx.input.choice) return choose(ctx, ctx.input.choice);
    const routing = ctx.routing!;
    if (routing.label === 'follow_up' && routing.choice !== undefined) {
      const picked = ctx.state.pendingChoices[routing.choice - 1];
      if (picked) return choose(ctx, picked.id);
    }
    if (routing.label !== 'procedure') return 'next';
    const offered = ctx.state.pendingChoices.filter((c) => c.id.startsWith('proc:'));
    const current = ctx.state.currentProcedure;
    if (offered.length && current && !offered.some((c) => c.id === choiceId.procedure(current))) {
      // after an answer with "Trường hợp khác" options, the answered procedure is one of the cases too
      const record = await ctx.deps.procedures.get(current);
      if (record) offered.unshift({ id: choiceId.procedure(record.code), label: record.title });
    }
    if (offered.length > 1) {
      const picked = resolveChoice(analyse(ctx, ctx.text), offered);
      if (picked) {
        ctx.state = { ...ctx.state, lastAspect: routing.aspect ?? ctx.state.lastAspect };
        return choose(ctx, picked.id);
      }
    }
    return 'next';
  },
};

/** Settles the record and aspect a choice names; the answer is composed from it with no case words. */
async function choose(ctx: TurnContext, choice: string): Promise<StepResult> {
  const picked = parseChoiceId(choice);
  // a procedure an admin excluded since the button was offered (or since it was discussed) is not opened
  const usable = (code: string | null | undefined): code is string => !!code && !ctx.deps.localNotes?.isExcluded?.(code);
  const current = usable(ctx.state.currentProcedure) ? ctx.state.currentProcedure : null;
  ctx.label = 'follow_up';
  ctx.question = '';
  if (picked.kind === 'proc' && usable(picked.code)) {
    const record = await ctx.deps.procedures.get(picked.code);
    if (record) return settle(ctx, record, ctx.state.lastAspect ?? 'overview');
  }
  if (picked.kind === 'docs' && current) {
    const record = await ctx.deps.procedures.get(current);
    if (record) {
      ctx.fullDocuments = true;
      return settle(ctx, record, 'documents');
    }
  }
  if (picked.kind === 'aspect' && current) {
    const record = await ctx.deps.procedures.get(current);
    if (record) return settle(ctx, record, picked.aspect);
  }
  return finish(ctx, 'clarification_no_context', 'follow_up', replies.followUpWithoutContextReply(ctx.language));
}

export function settle(ctx: TurnContext, record: NonNullable<TurnContext['record']>, aspect: NonNullable<TurnContext['aspect']>): StepResult {
  ctx.record = record;
  ctx.records = [record];
  ctx.aspect = aspect;
  return 'next';
}
