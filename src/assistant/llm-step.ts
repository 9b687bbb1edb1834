import type { Logger } from 'pino';
import type { Procedure } from '../knowledge/procedure.ts';
import { MAX_MESSAGE_CHARS } from './answer/text-fit.ts';
import { NATIONAL_PORTAL } from './answer/replies.ts';
import { checkGroundedAnswer } from './guardrails/output-check.ts';
import { LlmError } from './llm/chat-model.ts';
import type { LlmAnswerer } from './llm/llm-answerer.ts';
import type { Aspect, Language, ReplyMessage } from '../domain/types.ts';

export interface LlmStepInput {
  /** Redacted: the LLM never sees personal data. */
  question: string;
  language: Language;
  aspect: Aspect;
  records: Procedure[];
  /** The citizen's earlier messages in this conversation (redacted), oldest first. */
  history?: string[];
  /** The offline composer's answer: sent instead whenever the LLM's cannot be trusted. */
  offline: ReplyMessage;
  /** The centre's note on the procedure ("Ghi chú của Trung tâm: …"), as the composer wrote it: kept in the answer. */
  localNote?: string | null;
}

export interface LlmStepResult {
  message: ReplyMessage;
  /** True when the LLM's text was sent. */
  used: boolean;
  /** Why the offline answer was sent instead, or null. */
  fallback: string | null;
}

export interface LlmAnswerStep {
  run(input: LlmStepInput): Promise<LlmStepResult>;
}

/**
 * LLM answers behind a deterministic check: every number, code and URL the answer states must appear in the
 * records it cites; an answer that fails, says it is incomplete ("none"), runs too long or does not arrive is
 * replaced by the offline composer's answer.
 */
export class CheckedLlmAnswer implements LlmAnswerStep {
  constructor(
    private readonly answerer: LlmAnswerer,
    private readonly logger: Logger,
  ) {}

  async run(input: LlmStepInput): Promise<LlmStepResult> {
    const fallback = (reason: string): LlmStepResult => {
      this.logger.info({ reason }, 'LLM answer replaced by the offline answer');
      return { message: input.offline, used: false, fallback: reason };
    };
    let out;
    try {
      out = await this.answerer.answer({ question: input.question, language: input.language, aspect: input.aspect, records: input.records, history: input.history });
    } catch (err) {
      return fallback(err instanceof LlmError ? `llm_error:${err.kind}` : 'llm_error');
    }
    if (out.completeness === 'none' || !out.answer.trim()) return fallback('completeness_none');
    const cited = input.records.filter((r) => out.sources_used.includes(r.code));
    if (!cited.length) return fallback('no_sources');
    const check = checkGroundedAnswer(out.answer, cited, { allowedUrls: [NATIONAL_PORTAL, `${NATIONAL_PORTAL}/`] });
    if (!check.ok) return fallback(`ungrounded:${check.violations.map((v) => `${v.kind}=${v.value}`).join(',').slice(0, 200)}`);
    const primary = cited[0]!;
    // Every answer closes with the official page, whatever the model wrote, and the centre's note right before it.
    const note = input.localNote && !out.answer.includes(input.localNote) ? `${input.localNote}\n` : '';
    const source = `${input.language === 'vi' ? 'Nguồn chính thức:' : 'Official source:'} ${primary.url}`;
    const text = out.answer.includes(primary.url) ? `${out.answer.trim()}${note ? `\n\n${note.trim()}` : ''}` : `${out.answer.trim()}\n\n${note}${source}`;
    if (text.length > MAX_MESSAGE_CHARS) return fallback('too_long');
    return { message: { ...input.offline, text, link: { url: primary.url, label: input.offline.link?.label ?? primary.url } }, used: true, fallback: null };
  }
}
