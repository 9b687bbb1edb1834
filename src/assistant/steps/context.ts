import type { Procedure } from '../../knowledge/procedure.ts';
import type { SearchResult } from '../../retrieval/search.ts';
import type { ConversationState } from '../../storage/conversation-store.ts';
import type { AssistantDeps, AssistantInput } from '../assistant.ts';
import type { PiiKind } from '../guardrails/pii.ts';
import type { Routing } from '../router/route.ts';
import type { RouterTables, SmallTalkKind } from '../router/rules.ts';
import type { Aspect, Choice, Label, Language, ReplyMessage } from '../../domain/types.ts';
import type { Status } from './status.ts';

/** The names of the steps, in pipeline order (timings are kept per step). */
export const STEP_NAMES = ['redact', 'emergency', 'injection', 'pendingChoice', 'localAnswer', 'route', 'retrieve', 'clarify', 'compose', 'check', 'record'] as const;
export type StepName = (typeof STEP_NAMES)[number];

/**
 * Everything one turn carries from step to step (GOV.UK Chat's context object): the input, what each step found,
 * and the reply being built. Steps read and write it; nothing else is shared between them.
 */
export interface TurnContext {
  readonly input: AssistantInput;
  readonly deps: AssistantDeps;
  /** The router's phrase lists for this turn, read once (undefined: the shipped ones). */
  readonly routerTables?: RouterTables;
  state: ConversationState;
  language: Language;
  /** The message redacted, NFC, trimmed; what every later step reads (and the LLM sees). */
  text: string;
  personalData: PiiKind[];
  /** `text` folded with typos fixed (what the rules read). */
  folded: string;
  routing?: Routing;
  label: Label;
  aspect: Aspect | null;
  /** The search this turn ran for the answer (its head: the hits the steps decide on). */
  search?: SearchResult;
  /** Everything that search ranked, for the eval's list and the turn log. */
  ranked?: string[];
  /** The procedure the answer is about, once a step has settled it. */
  record?: Procedure;
  /** Records the answer may draw on (the LLM is given these). */
  records: Procedure[];
  /** The message to answer from ('' for a button press: no case words, no LLM). */
  question: string;
  /** Every document and note, whole ("Xem đủ giấy tờ"). */
  fullDocuments: boolean;
  /** "Trường hợp khác" choices put ahead of the answer's own. */
  extraChoices: Choice[];
  /** For small talk: which kind ("thanks" and "bye" close an episode: the rating may be asked). */
  smallTalk?: SmallTalkKind;
  /** A wish to act on the procedure under discussion was recognised (route). */
  wishToAct?: boolean;
  status?: Status;
  messages: ReplyMessage[];
  procedures: string[];
  llmUsed: boolean;
  llmFallback: string | null;
  timings: Partial<Record<StepName, number>>;
  turnId: number | null;
}

export type StepResult = 'next' | 'stop';

/** One step of the pipeline: one file, one job. */
export interface Step {
  name: StepName;
  run(ctx: TurnContext): Promise<StepResult>;
}

/** Ends the turn with a fixed reply (a refusal, small talk, a handover notice…). */
export function finish(ctx: TurnContext, status: Status, label: Label, message: ReplyMessage): StepResult {
  ctx.status = status;
  ctx.label = label;
  ctx.aspect = null;
  ctx.messages = [message];
  return 'stop';
}
