import { MAX_QUERY_CHARS } from '../../retrieval/query.ts';
import type { ConversationState } from '../../storage/conversation-store.ts';
import { PII_NOTICE } from '../guardrails/pii.ts';
import type { Step, TurnContext } from './context.ts';
import { STATUSES } from './status.ts';

const PII_NOTICE_EN = 'Please do not send ID numbers, phone numbers, emails or bank accounts in chat; I have removed them.';

/**
 * Always runs last: the notice about removed personal data, the conversation's memory, and one turn record
 * (redacted text, status, label, codes, scores, timings). A failed turn record does not cost the citizen the answer.
 */
export const record: Step = {
  name: 'record',
  async run(ctx) {
    if (ctx.personalData.length) ctx.messages.unshift({ text: ctx.language === 'vi' ? PII_NOTICE : PII_NOTICE_EN });
    await ctx.deps.conversations.save(nextState(ctx));
    const totalMs = Object.values(ctx.timings).reduce((a, b) => a + (b ?? 0), 0);
    try {
      ctx.turnId = await ctx.deps.turns.record({
        conversationId: ctx.input.conversationId,
        channel: ctx.input.channel,
        textRedacted: ctx.input.choice ? `[chọn] ${ctx.input.choice}` : ctx.text.slice(0, MAX_QUERY_CHARS * 2),
        label: ctx.label,
        outcome: STATUSES[ctx.status ?? 'error'].outcome,
        aspect: ctx.aspect,
        language: ctx.language,
        procedureCodes: ctx.procedures.slice(0, 10),
        retrievalScores: (ctx.search?.hits ?? []).slice(0, 5).map((h) => Number(h.score.toFixed(4))),
        confidence: ctx.search ? Number(ctx.search.confidence.toFixed(4)) : null,
        personalData: ctx.personalData,
        latencyMs: Math.round(totalMs),
        llmUsed: ctx.llmUsed,
        llmFallback: ctx.llmFallback,
      });
    } catch (err) {
      ctx.deps.logger.error({ err, conversationId: ctx.input.conversationId }, 'turn record failed');
    }
    return 'stop';
  },
};

/** What the conversation remembers after this turn. */
function nextState(ctx: TurnContext): ConversationState {
  const { decision, outcome } = STATUSES[ctx.status ?? 'error'];
  const next: ConversationState = { ...ctx.state, language: ctx.language };
  if (decision === 'answer' && ctx.procedures[0]) {
    next.currentProcedure = ctx.procedures[0];
    next.lastAspect = ctx.aspect;
    next.pendingChoices = ctx.messages.at(-1)?.choices ?? [];
  } else if (decision === 'clarify') {
    next.pendingChoices = ctx.messages.at(-1)?.choices ?? [];
    if (ctx.aspect) next.lastAspect = ctx.aspect;
  } else if (outcome !== 'error') {
    next.pendingChoices = [];
  }
  return next;
}
