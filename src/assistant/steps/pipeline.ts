import * as replies from '../answer/replies.ts';
import { check } from './check.ts';
import { clarify } from './clarify.ts';
import { compose } from './compose.ts';
import type { Step, TurnContext } from './context.ts';
import { emergency } from './emergency.ts';
import { injection } from './injection.ts';
import { localAnswer } from './local-answer.ts';
import { pendingChoice } from './pending-choice.ts';
import { record } from './record.ts';
import { redact } from './redact.ts';
import { retrieve } from './retrieve.ts';
import { route } from './route.ts';

/**
 * The assistant's answer pipeline, in order: redact → emergency → injection → pending choice → local answer →
 * route → retrieve → clarify → compose → check; any step may end the turn. `record` always runs last. A step that
 * throws ends the turn with an apology (status `error`), and the turn is still recorded.
 */
export const STEPS: readonly Step[] = [redact, emergency, injection, pendingChoice, localAnswer, route, retrieve, clarify, compose, check];

export async function runPipeline(ctx: TurnContext, steps: readonly Step[] = STEPS): Promise<void> {
  try {
    for (const step of steps) {
      const t0 = performance.now();
      const r = await step.run(ctx);
      ctx.timings[step.name] = (ctx.timings[step.name] ?? 0) + (performance.now() - t0);
      if (r === 'stop') break;
    }
    if (!ctx.status) throw new Error('the pipeline ended without a status');
  } catch (err) {
    ctx.deps.logger.error({ err, conversationId: ctx.input.conversationId }, 'assistant failed to answer');
    ctx.status = 'error';
    ctx.label = 'procedure';
    ctx.aspect = null;
    ctx.procedures = [];
    ctx.messages = [replies.errorReply(ctx.language)];
  }
  const t0 = performance.now();
  await record.run(ctx);
  ctx.timings.record = performance.now() - t0;
}
