import { choiceId, parseChoiceId } from '../../domain/types.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import { QueryError } from '../../retrieval/query.ts';
import type { SearchResult } from '../../retrieval/search.ts';
import { alternatives, resolveChoice } from '../answer/clarify.ts';
import * as replies from '../answer/replies.ts';
import { hasSmallTalkMarker, looksLikeProcedureQuestion, type RouterTables, smallTalkKind } from '../router/rules.ts';
import { analyse } from './analyse.ts';
import { finish, type Step, type StepResult, type TurnContext } from './context.ts';
import { settle } from './pending-choice.ts';
import { THRESHOLDS } from './status.ts';

/**
 * Retrieval, and what it means in this conversation: an aspect question stays on the procedure under discussion
 * unless it clearly names another; a detail may pick a sibling of that procedure ("cháu mới 10 tuổi"); nothing
 * found is small talk, out of scope, or the nearest procedures to pick from.
 */
export const retrieve: Step = {
  name: 'retrieve',
  async run(ctx) {
    if (ctx.record || ctx.search) return 'next';
    let full: SearchResult;
    try {
      full = await ctx.deps.search.search(ctx.text, { limit: THRESHOLDS.ranked });
    } catch (err) {
      if (err instanceof QueryError) return finish(ctx, 'unanswerable_empty', 'out_of_scope', replies.emptyReply(ctx.language));
      throw err;
    }
    ctx.ranked = full.hits.map((h) => h.code);
    const result: SearchResult = { ...full, hits: full.hits.slice(0, THRESHOLDS.decide) };
    ctx.search = result;
    const routing = ctx.routing!;
    const current = ctx.state.currentProcedure;
    const top = result.hits[0];
    // a life event told now ("vợ tôi vừa sinh") is a new subject, unless the procedure discussed is one of its own
    const tellsAnotherEvent = !!current && result.query.lifeEventCodes.length > 0 && !result.query.lifeEventCodes.includes(current);
    const namesAnother = (!result.noMatch && top && top.code !== current && result.confidence >= THRESHOLDS.namesAnother) || tellsAnotherEvent;
    // "hòa giải xong thì được giấy gì": an aspect question is about the procedure under discussion
    if (current && routing.aspects.length && !namesAnother) {
      const record = await ctx.deps.procedures.get(current);
      if (record) {
        ctx.label = 'follow_up';
        return settle(ctx, record, routing.aspect ?? ctx.state.lastAspect ?? 'overview');
      }
    }
    if (result.noMatch && current && !tellsAnotherEvent) {
      const refined = await refine(ctx, current);
      if (refined) {
        ctx.label = 'follow_up';
        return settle(ctx, refined, ctx.state.lastAspect ?? 'overview');
      }
    }
    if (answersLifeEvent(result, ctx.folded, routing.aspects, ctx.routerTables)) {
      return lifeEvent(ctx, result.query.lifeEventCodes);
    }
    if (result.noMatch) return nothingFound(ctx);
    return 'next';
  },
};

/**
 * Whether no title matched and a life event the message tells is answered instead: it counts only in a question
 * about papers or what to do ("mua xe máy hãng nào bền" is shopping), unless telling it alone is such a question.
 * The try boxes of the console read it too.
 */
export function answersLifeEvent(result: Pick<SearchResult, 'noMatch' | 'query'>, folded: string, aspects: readonly string[], tables?: RouterTables): boolean {
  if (!result.noMatch || !result.query.lifeEventCodes.length) return false;
  return result.query.lifeEventAlone || looksLikeProcedureQuestion(folded, tables) || aspects.length > 0;
}

/**
 * "bố tôi vừa mất thì phải làm gì": a life event said in everyday words that no title matches. Its first
 * procedure is answered and the ones that usually follow are offered ("Thường làm tiếp: …"), as the vocabulary's
 * life events list them.
 */
async function lifeEvent(ctx: TurnContext, codes: string[]): Promise<StepResult> {
  const records = await ctx.deps.procedures.getMany(codes.slice(0, THRESHOLDS.contextRecords));
  const first = records[0];
  if (!first) return nothingFound(ctx);
  ctx.label = 'procedure';
  const next = ctx.language === 'vi' ? 'Thường làm tiếp' : 'Often next';
  ctx.extraChoices = records.slice(1).map((r) => ({ id: choiceId.procedure(r.code), label: `${next}: ${replies.shortTitle(r.title)}`.slice(0, 120) }));
  settle(ctx, first, ctx.routing?.aspect ?? 'overview');
  ctx.records = records;
  return 'next';
}

async function nothingFound(ctx: TurnContext): Promise<StepResult> {
  const routing = ctx.routing!;
  if (routing.aspectOnly && !ctx.state.currentProcedure) {
    finish(ctx, 'clarification_no_context', 'follow_up', replies.followUpWithoutContextReply(ctx.language));
    ctx.aspect = routing.aspect;
    return 'stop';
  }
  const folded = analyse(ctx, ctx.text);
  // "Xin cám ơn cháu đã chỉ dẫn tận tình…": politeness with more words than the small-talk rule allows; but a
  // hello word in a message asking what papers, how long, where… is another word folded alike ("con tôi vừa chào
  // đời cần làm giấy gì"), while "chào cả nhà, phường mình có trợ lý này hay ghê" is still a greeting
  if (hasSmallTalkMarker(folded, ctx.routerTables)) {
    const kind = smallTalkKind(folded, ctx.routerTables);
    if (kind !== 'hello' || !routing.aspects.length) {
      ctx.smallTalk = kind;
      return finish(ctx, 'small_talk', 'greeting', replies.greetingReply(kind, ctx.language, ctx.deps.profile));
    }
  }
  // not found: a question about papers or with an aspect ("mất bao lâu") gets the nearest procedures to pick
  if (!looksLikeProcedureQuestion(folded, ctx.routerTables) && !routing.aspects.length) return finish(ctx, 'out_of_scope', 'out_of_scope', replies.outOfScopeReply(ctx.language));
  const nearest = await ctx.deps.procedures.getMany(ctx.search!.hits.slice(0, THRESHOLDS.contextRecords).map((h) => h.code));
  finish(ctx, 'unanswerable_no_match', 'out_of_scope', replies.noAnswerReply(ctx.language, nearest));
  ctx.aspect = routing.aspect;
  return 'stop';
}

/** The sibling of the current procedure (same family of titles) that a detail in the message points at. */
async function refine(ctx: TurnContext, currentCode: string): Promise<Procedure | null> {
  const current = await ctx.deps.procedures.get(currentCode);
  if (!current) return null;
  const family = await ctx.deps.search.search(current.title, { limit: 6 });
  const siblings = alternatives(family.hits, undefined, 0.6).filter((h) => h.code !== currentCode);
  if (!siblings.length) return null;
  const options = [{ id: choiceId.procedure(current.code), label: current.title }, ...siblings.map((h) => ({ id: choiceId.procedure(h.code), label: h.title }))];
  const picked = resolveChoice(analyse(ctx, ctx.text), options);
  const chosen = picked ? parseChoiceId(picked.id) : null;
  return chosen?.kind === 'proc' && chosen.code !== currentCode ? ctx.deps.procedures.get(chosen.code) : null;
}
