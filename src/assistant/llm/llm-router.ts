import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { z } from 'zod';
import { AspectSchema, LabelSchema, LanguageSchema } from '../../domain/types.ts';
import { LlmError, toLlmError } from './chat-model.ts';
import { escapeDelimiters, fillPrompt, loadPromptPair, type PromptPair } from './prompts.ts';
import { clip } from './record-text.ts';

/** Nullable rather than optional: OpenAI's strict json_schema mode requires every property to be present. */
export const LlmRouteSchema = z.object({
  label: LabelSchema,
  aspect: AspectSchema.nullable(),
  language: LanguageSchema,
});
export type LlmRoute = z.infer<typeof LlmRouteSchema>;

export interface RouteContext {
  currentProcedureTitle?: string;
}

/** Labels a message when the rules are unsure; any failure is an LlmError so the caller keeps the rule result. */
export class LlmRouter {
  private readonly structured: Runnable<(SystemMessage | HumanMessage)[], LlmRoute>;

  constructor(
    model: BaseChatModel,
    private readonly prompts: PromptPair = loadPromptPair('router'),
  ) {
    this.structured = model.withStructuredOutput(LlmRouteSchema, { name: 'route_message' });
  }

  async classify(text: string, context: RouteContext = {}): Promise<LlmRoute> {
    const user = fillPrompt(this.prompts.user, {
      current_procedure: context.currentProcedureTitle ? escapeDelimiters(clip(context.currentProcedureTitle, 300)) : '(none)',
      message: escapeDelimiters(clip(text, 2000)),
    });
    let raw: unknown;
    try {
      raw = await this.structured.invoke([new SystemMessage(this.prompts.system), new HumanMessage(user)]);
    } catch (e) {
      throw toLlmError(e, 'router');
    }
    const parsed = LlmRouteSchema.safeParse(raw);
    if (!parsed.success) throw new LlmError('invalid_output', 'router: output did not match the schema');
    const route = parsed.data;
    // An aspect only means something for procedure questions; a stray one would mislead the answerer.
    const hasAspect = route.label === 'procedure' || route.label === 'follow_up';
    return { ...route, aspect: hasAspect ? route.aspect : null };
  }
}
