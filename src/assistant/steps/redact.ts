import { MAX_QUERY_CHARS } from '../../retrieval/query.ts';
import { fold } from '../../retrieval/text.ts';
import * as replies from '../answer/replies.ts';
import { redactPersonalData } from '../guardrails/pii.ts';
import { detectLanguage } from '../router/language.ts';
import { finish, type Step } from './context.ts';

/**
 * Personal data out first (nothing after this step, the log or the LLM sees it), then the language of the
 * message, then the limits: an empty message or one over the length limit gets a reply of its own.
 */
export const redact: Step = {
  name: 'redact',
  async run(ctx) {
    const raw = (ctx.input.text ?? '').normalize('NFC');
    const pii = redactPersonalData(raw);
    ctx.personalData = pii.found;
    ctx.text = pii.text.trim();
    ctx.question = ctx.text;
    if (ctx.text) ctx.language = detectLanguage(ctx.text, ctx.state.language);
    if (ctx.input.choice) return 'next'; // a pressed button: nothing typed to check
    if (!ctx.text || !fold(ctx.text)) return finish(ctx, 'unanswerable_empty', 'out_of_scope', replies.emptyReply(ctx.language));
    if (ctx.text.length > MAX_QUERY_CHARS) return finish(ctx, 'guardrails_too_long', 'out_of_scope', replies.tooLongReply(ctx.language, MAX_QUERY_CHARS));
    return 'next';
  },
};
