import { EMPTY_INTENTS, isWishToAct } from '../../knowledge/intents.ts';
import * as replies from '../answer/replies.ts';
import type { Routing } from '../router/route.ts';
import { hasSmallTalkMarker, isAbsurd, looksLikeProcedureQuestion, smallTalkKind } from '../router/rules.ts';
import { centreInfoReply } from './centre-info.ts';
import { finish, type Step, type StepResult, type TurnContext } from './context.ts';
import { settle } from './pending-choice.ts';
import { THRESHOLDS } from './status.ts';

/**
 * What the message is, and what that means in this conversation: a wish to act on the procedure under
 * discussion, a question about the centre itself (answered from the commune profile), small talk, a request for a
 * person or a dossier's status (fixed replies), a follow-up on the procedure under discussion, an off-topic message
 * (unless it hides a real procedure question), or a question for retrieval. With an LLM configured, it may re-label what the rules passed to retrieval, never an emergency or an
 * injection.
 */
export const route: Step = {
  name: 'route',
  async run(ctx) {
    if (ctx.record || ctx.status) return 'next';
    let routing = ctx.routing!;
    const current = ctx.state.currentProcedure;
    // "tôi muốn làm thủ tục này" after a procedure was discussed: how to submit that one, not a new search.
    if (current && !routing.centre && ['procedure', 'follow_up', 'greeting'].includes(routing.label) && isWishToAct(ctx.text, ctx.deps.intents ?? EMPTY_INTENTS)) {
      const result = await ctx.deps.search.search(ctx.text, { limit: THRESHOLDS.decide });
      const top = result.hits[0];
      const other = !result.noMatch && top && top.code !== current && result.confidence >= THRESHOLDS.namesAnother;
      const record = other ? null : await ctx.deps.procedures.get(current);
      if (record) {
        ctx.label = 'follow_up';
        ctx.wishToAct = true;
        return settle(ctx, record, 'online');
      }
    }
    if (ctx.deps.llm && routing.label === 'procedure') routing = ctx.routing = await llmRoute(ctx, routing);
    ctx.label = routing.label;
    ctx.aspect = routing.aspect;
    const lang = ctx.language;
    switch (routing.label) {
      case 'injection':
        return finish(ctx, 'guardrails_injection', 'injection', replies.injectionReply(lang));
      case 'greeting':
        // "thứ bảy trung tâm có làm việc không": the commune profile's answer, as /lienhe gives it
        if (routing.centre) return finish(ctx, 'centre_info', 'greeting', centreInfoReply(routing.centre, ctx.deps.profile, lang, ctx.deps.now?.() ?? new Date()));
        ctx.smallTalk = routing.smallTalk ?? 'hello';
        return finish(ctx, 'small_talk', 'greeting', replies.greetingReply(ctx.smallTalk, lang, ctx.deps.profile));
      case 'human':
        return finish(ctx, 'handover_person', 'human', replies.handoffReply(lang, ctx.deps.profile));
      case 'case_status':
        return finish(ctx, 'handover_case_status', 'case_status', replies.caseStatusReply(lang, ctx.deps.profile));
      case 'follow_up':
        return followUp(ctx, routing);
      case 'out_of_scope':
        return offTopic(ctx);
      default:
        return 'next';
    }
  },
};

async function llmRoute(ctx: TurnContext, routing: Routing): Promise<Routing> {
  try {
    const current = ctx.state.currentProcedure ? await ctx.deps.procedures.get(ctx.state.currentProcedure) : null;
    const r = await ctx.deps.llm!.router.classify(ctx.text, { currentProcedureTitle: current?.title });
    if (r.label === 'emergency' || r.label === 'injection') return routing;
    return { ...routing, label: r.label, aspect: routing.aspect ?? r.aspect, aspects: routing.aspects.length ? routing.aspects : r.aspect ? [r.aspect] : [] };
  } catch (err) {
    ctx.deps.logger.warn({ err: String(err) }, 'LLM router failed; rules decide');
    return routing;
  }
}

/** About the procedure under discussion, unless it clearly names another one ("còn đăng ký lại thì sao"). */
async function followUp(ctx: TurnContext, routing: Routing): Promise<StepResult> {
  const current = ctx.state.currentProcedure;
  if (!current) {
    if (routing.aspectOnly) {
      finish(ctx, 'clarification_no_context', 'follow_up', replies.followUpWithoutContextReply(ctx.language));
      ctx.aspect = routing.aspect;
      return 'stop';
    }
    ctx.label = 'procedure';
    return 'next';
  }
  if (!routing.aspectOnly) {
    const result = await ctx.deps.search.search(ctx.text, { limit: THRESHOLDS.decide });
    if (!result.noMatch && result.hits[0] && result.hits[0].code !== current && result.confidence >= THRESHOLDS.namesAnother) {
      ctx.label = 'procedure';
      ctx.search = result;
      return 'next';
    }
  }
  const record = await ctx.deps.procedures.get(current);
  if (!record) {
    ctx.label = 'procedure';
    return 'next';
  }
  return settle(ctx, record, routing.aspect ?? ctx.state.lastAspect ?? 'overview');
}

/** "cấp phép phổ biến phim": an off-topic word inside a real procedure question is still a procedure question. */
async function offTopic(ctx: TurnContext): Promise<StepResult> {
  const folded = ctx.folded;
  if (looksLikeProcedureQuestion(folded, ctx.routerTables) && !isAbsurd(folded, ctx.routerTables)) {
    const result = await ctx.deps.search.search(ctx.text, { limit: THRESHOLDS.decide });
    if (!result.noMatch && result.confidence >= THRESHOLDS.offTopicOverride) {
      ctx.label = 'procedure';
      ctx.search = result;
      return 'next';
    }
  }
  if (hasSmallTalkMarker(folded, ctx.routerTables) && !isAbsurd(folded, ctx.routerTables)) {
    ctx.smallTalk = smallTalkKind(folded, ctx.routerTables);
    return finish(ctx, 'small_talk', 'greeting', replies.greetingReply(ctx.smallTalk, ctx.language, ctx.deps.profile));
  }
  return finish(ctx, 'out_of_scope', 'out_of_scope', replies.outOfScopeReply(ctx.language));
}
