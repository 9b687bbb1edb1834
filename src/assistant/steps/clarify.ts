import { choiceId } from '../../domain/types.ts';
import { contentTokens } from '../../retrieval/text.ts';
import { alternatives, clarifyOptions, resolveChoice } from '../answer/clarify.ts';
import * as replies from '../answer/replies.ts';
import { finish, type Step } from './context.ts';
import { THRESHOLDS } from './status.ts';

/**
 * Which of the found procedures: an age in the question picks among age variants ("cho con 15 tuổi"); a short
 * question that fits near-tied siblings gets one clarifying question; otherwise the best is answered, with close
 * relatives one tap away ("Trường hợp khác").
 */
export const clarify: Step = {
  name: 'clarify',
  async run(ctx) {
    if (ctx.record || !ctx.search) return 'next';
    const result = ctx.search;
    let hits = result.hits;
    let agePicked = false;
    if (/\b\d{1,3} (tuoi|thang tuoi)\b/.test(result.query.folded) && hits[0]) {
      const family = [hits[0], ...alternatives(hits, undefined, 0.6)];
      const picked = resolveChoice(result.query.folded, family.map((h) => ({ id: h.code, label: h.title })));
      if (picked) agePicked = true;
      if (picked && picked.id !== hits[0].code) hits = [hits.find((h) => h.code === picked.id)!, ...hits.filter((h) => h.code !== picked.id)];
    }
    const label = ctx.label === 'follow_up' ? 'follow_up' : 'procedure';
    const options = agePicked ? [] : clarifyOptions(hits, contentTokens(result.query.folded).length);
    if (options.length > 1) {
      const records = await ctx.deps.procedures.getMany(options.map((h) => h.code));
      const aspect = ctx.routing?.aspect ?? null;
      finish(ctx, 'clarification', label, replies.clarifyReply(records, ctx.language));
      ctx.aspect = aspect;
      ctx.procedures = records.map((r) => r.code);
      return 'stop';
    }
    const records = await ctx.deps.procedures.getMany(hits.slice(0, THRESHOLDS.contextRecords).map((h) => h.code));
    const top = records[0];
    if (!top) return finish(ctx, 'unanswerable_no_match', 'out_of_scope', replies.noAnswerReply(ctx.language, []));
    ctx.label = 'procedure';
    ctx.record = top;
    ctx.records = records;
    ctx.aspect = ctx.routing?.aspect ?? 'overview';
    const other = ctx.language === 'vi' ? 'Trường hợp khác' : 'Other case';
    ctx.extraChoices = alternatives(hits)
      .filter((h) => h.code !== top.code)
      .map((h) => ({ id: choiceId.procedure(h.code), label: `${other}: ${replies.shortTitle(h.title)}`.slice(0, 120) }));
    return 'next';
  },
};
