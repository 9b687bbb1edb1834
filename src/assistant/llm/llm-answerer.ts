import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { z } from 'zod';
import type { Procedure } from '../../knowledge/procedure.ts';
import type { Aspect, Language } from '../../domain/types.ts';
import { LlmError, toLlmError } from './chat-model.ts';
import { escapeDelimiters, fillPrompt, loadPromptPair, type PromptPair } from './prompts.ts';
import { clip, serialiseRecords } from './record-text.ts';

export const LlmAnswerSchema = z.object({
  answer: z.string(),
  completeness: z.enum(['complete', 'partial', 'none']),
  sources_used: z.array(z.string()),
});
export type LlmAnswer = z.infer<typeof LlmAnswerSchema>;

export interface LlmAnswerInput {
  /** Already redacted: nothing personal may reach the API. */
  question: string;
  language: Language;
  aspect: Aspect;
  /** Ranked, best first; later ones are dropped when the prompt budget runs out. */
  records: Procedure[];
  /** Earlier turns, oldest first, already redacted. */
  history?: string[];
}

const LANGUAGE_NAMES: Record<Language, string> = { vi: 'vi (Vietnamese)', en: 'en (English)' };
const NOTHING = '(none)';

/** Writes a grounded answer from the given records only; any failure is an LlmError so the caller can fall back. */
export class LlmAnswerer {
  private readonly structured: Runnable<(SystemMessage | HumanMessage)[], LlmAnswer>;

  constructor(
    model: BaseChatModel,
    private readonly prompts: PromptPair = loadPromptPair('answer'),
  ) {
    this.structured = model.withStructuredOutput(LlmAnswerSchema, { name: 'grounded_answer' });
  }

  async answer(input: LlmAnswerInput): Promise<LlmAnswer> {
    // Without records there is nothing to ground on; asking the model would only invite it to improvise.
    if (!input.records.length) return { answer: '', completeness: 'none', sources_used: [] };
    const { text, codes } = serialiseRecords(input.records);
    const history = (input.history ?? []).slice(-6).map((h) => `- ${clip(h, 300)}`);
    const user = fillPrompt(this.prompts.user, {
      language: LANGUAGE_NAMES[input.language],
      aspect: input.aspect,
      history: escapeDelimiters(history.join('\n')) || NOTHING,
      records: escapeDelimiters(text),
      question: escapeDelimiters(clip(input.question, 2000)),
    });

    let raw: unknown;
    try {
      raw = await this.structured.invoke([new SystemMessage(this.prompts.system), new HumanMessage(user)]);
    } catch (e) {
      throw toLlmError(e, 'answer');
    }
    // Checked again here: the parser inside langchain depends on the model class, this contract does not.
    const parsed = LlmAnswerSchema.safeParse(raw);
    if (!parsed.success) throw new LlmError('invalid_output', 'answer: output did not match the schema');
    const out = parsed.data;
    if (out.completeness !== 'none' && !out.answer.trim()) {
      throw new LlmError('invalid_output', 'answer: empty answer claimed to be grounded');
    }
    // A code the model was never shown is a hallucinated citation; keep only what it could have read.
    return { ...out, sources_used: [...new Set(out.sources_used.map((c) => c.trim()).filter((c) => codes.includes(c)))] };
  }
}
