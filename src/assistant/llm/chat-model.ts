import { ChatOpenAI } from '@langchain/openai';

/** What the LLM mode needs to reach an OpenAI-compatible chat API. */
export interface LlmSettings {
  apiKey: string;
  /** OpenAI-compatible endpoint; the official API when absent. */
  baseUrl?: string;
  /** Model that writes answers. */
  model: string;
  /** Cheaper model for classification; `model` when absent. */
  routerModel?: string;
  /** Per attempt; with one retry, a failing call can take about twice this plus a 1–2 s back-off. */
  timeoutMs: number;
}

export type ChatModelPurpose = 'answer' | 'router';

/**
 * Reasoning models (o1, o3, gpt-5 except gpt-5-chat) reject any temperature but the default, so sending 0 would
 * turn every call into a 400 and the whole LLM mode into a silent fallback.
 */
function acceptsTemperature(model: string): boolean {
  if (/^o\d/.test(model)) return false;
  return !(model.startsWith('gpt-5') && !model.startsWith('gpt-5-chat'));
}

export function createChatModel(settings: LlmSettings, purpose: ChatModelPurpose = 'answer'): ChatOpenAI {
  const model = purpose === 'router' ? (settings.routerModel ?? settings.model) : settings.model;
  return new ChatOpenAI({
    model,
    apiKey: settings.apiKey,
    configuration: settings.baseUrl ? { baseURL: settings.baseUrl } : undefined,
    // Deterministic answers are easier to audit against the records they cite.
    ...(acceptsTemperature(model) ? { temperature: 0 } : {}),
    // One retry only: a citizen is waiting and the offline pipeline is a good fallback.
    maxRetries: 1,
    timeout: settings.timeoutMs,
  });
}

export type LlmErrorKind = 'timeout' | 'http' | 'invalid_output' | 'other';

/** Any failure of an LLM call, so the caller can fall back to the offline pipeline with one `instanceof`. */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    /** HTTP status when the API answered with an error. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Parser and validation failures from langchain, zod and the openai SDK (truncated or refused output). */
const INVALID_OUTPUT_ERRORS = new Set([
  'OutputParserException',
  'ZodError',
  '$ZodError',
  'LengthFinishReasonError',
  'ContentFilterFinishReasonError',
]);

/**
 * Maps whatever langchain/openai threw to an LlmError. Only the error's class and status go into the message:
 * provider error messages can quote the request, and the request carries the citizen's words.
 */
export function toLlmError(e: unknown, task: string): LlmError {
  if (e instanceof LlmError) return e;
  const err = e as { name?: unknown; status?: unknown; constructor?: { name?: unknown } } | null;
  const name = typeof err?.name === 'string' ? err.name : '';
  const ctor = typeof err?.constructor?.name === 'string' ? err.constructor.name : '';
  const status = typeof err?.status === 'number' ? err.status : undefined;
  const opts = { cause: e };
  if (name === 'TimeoutError' || name === 'AbortError' || ctor === 'APIConnectionTimeoutError') {
    return new LlmError('timeout', `${task}: the model did not answer in time`, undefined, opts);
  }
  if (status !== undefined) return new LlmError('http', `${task}: the API answered HTTP ${status}`, status, opts);
  if (e instanceof SyntaxError || INVALID_OUTPUT_ERRORS.has(name) || INVALID_OUTPUT_ERRORS.has(ctor)) {
    return new LlmError('invalid_output', `${task}: the model's output did not match the schema`, undefined, opts);
  }
  return new LlmError('other', `${task}: ${name || ctor || 'unknown error'}`, undefined, opts);
}
