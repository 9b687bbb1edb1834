import type { Logger } from 'pino';
import type { Procedure } from '../knowledge/procedure.ts';
import type { CasePhrases } from '../knowledge/case-phrases.ts';
import type { CommuneProfile } from '../knowledge/commune-profile.ts';
import type { Intents } from '../knowledge/intents.ts';
import type { ProcedureSearch } from '../retrieval/search.ts';
import type { ConversationStore } from '../storage/conversation-store.ts';
import type { ProcedureStore } from '../storage/procedure-store.ts';
import type { TurnLog } from '../storage/turn-log.ts';
import type { LlmAnswerStep } from './llm-step.ts';
import type { LlmRouter } from './llm/llm-router.ts';
import type { RouterTables, SmallTalkKind } from './router/rules.ts';
import type { StepName, TurnContext } from './steps/context.ts';
import { runPipeline } from './steps/pipeline.ts';
import { type Status, STATUSES } from './steps/status.ts';
import type { Aspect, Decision, Label, Language, Outcome, ReplyMessage } from '../domain/types.ts';

/** A citizen's message as the conversation engine hands it over: channel-neutral. */
export interface AssistantInput {
  conversationId: string;
  channel: string;
  /** What the citizen typed; absent for a button press. */
  text?: string;
  /** Id of a choice the citizen picked ("proc:1.001193", "aspect:fee"). */
  choice?: string;
}

export interface AssistantReply {
  decision: Decision;
  label: Label;
  outcome: Outcome;
  aspect: Aspect | null;
  language: Language;
  /** Procedure codes the answer is about (or offers), best first. */
  procedures: string[];
  /**
   * What retrieval ranked for this message (up to 10, best first) with the procedure the answer is about first;
   * the answer's procedures alone when retrieval did not run.
   */
  ranked: string[];
  messages: ReplyMessage[];
  llmUsed: boolean;
  turnId: number | null;
  /** The status the pipeline ended with (decision and outcome derive from it). */
  status: Status;
  /** For small talk, its kind: thanks and goodbye end an episode. */
  smallTalk?: SmallTalkKind;
  /** The citizen said they want to do the procedure under discussion ("tôi muốn làm thủ tục này"): the guide may start. */
  wishToAct?: boolean;
  /** The record the answer is about, as this turn read it (the flows need not read it again). */
  record?: Procedure;
  /** Milliseconds spent in each step. */
  timings: Partial<Record<StepName, number>>;
}

export interface AssistantDeps {
  /** The search, or a wrapper of it (src/admin/local-overrides.ts excludingSearch leaves out excluded procedures). */
  search: Pick<ProcedureSearch, 'search' | 'analyse'>;
  procedures: ProcedureStore;
  conversations: ConversationStore;
  turns: TurnLog;
  profile: CommuneProfile;
  /** Citizens' words for the cases records state (knowledge/case-phrases.json). */
  casePhrases?: CasePhrases;
  /** What citizens say they want to do (knowledge/intents.json). */
  intents?: Intents;
  /**
   * The centre's note per procedure (an admin's local override), shown with answers about it, and whether an admin
   * excluded it from answers (a button offered before the exclusion must not open it).
   */
  localNotes?: { localNote(code: string): string | null; isExcluded?(code: string): boolean };
  /** Staff-written local answers (src/admin/vocabulary/local-answers.ts), given when a message nearly repeats an example. */
  localAnswers?: { match(text: string): { answer: string } | null };
  /** The router's phrase lists in force when an admin edited them (src/admin/language/); undefined: the shipped ones. */
  routerTables?: () => RouterTables | undefined;
  logger: Logger;
  /** The clock ("is the centre open now"); default: the system's. */
  now?: () => Date;
  /** LLM mode, when configured: a second router and an answer writer whose output is checked. */
  llm?: { router: LlmRouter; answer: LlmAnswerStep };
}

/**
 * The assistant: one context object through the steps of `steps/pipeline.ts` (redact → emergency → injection →
 * pending choice → route → retrieve → clarify → compose → check → record), the same for every channel.
 */
export class Assistant {
  constructor(private readonly deps: AssistantDeps) {}

  async handle(input: AssistantInput): Promise<AssistantReply> {
    const state = await this.deps.conversations.load(input.conversationId, input.channel);
    const ctx: TurnContext = {
      input,
      deps: this.deps,
      routerTables: this.deps.routerTables?.(),
      state,
      language: state.language,
      text: '',
      personalData: [],
      folded: '',
      label: 'procedure',
      aspect: null,
      records: [],
      question: '',
      fullDocuments: false,
      extraChoices: [],
      messages: [],
      procedures: [],
      llmUsed: false,
      llmFallback: null,
      timings: {},
      turnId: null,
    };
    await runPipeline(ctx);
    const status = ctx.status ?? 'error';
    return {
      decision: STATUSES[status].decision,
      label: ctx.label,
      outcome: STATUSES[status].outcome,
      aspect: ctx.aspect,
      language: ctx.language,
      procedures: ctx.procedures,
      ranked: rankedList(ctx, STATUSES[status].decision),
      messages: ctx.messages,
      llmUsed: ctx.llmUsed,
      turnId: ctx.turnId,
      status,
      smallTalk: ctx.smallTalk,
      wishToAct: ctx.wishToAct,
      record: ctx.record,
      timings: ctx.timings,
    };
  }
}

/** The ranked list `npm run eval` reports: the answer's procedure first, then what retrieval ranked. */
function rankedList(ctx: TurnContext, decision: Decision): string[] {
  const fromSearch = ctx.ranked ?? ctx.search?.hits.map((h) => h.code) ?? [];
  if (!fromSearch.length) return ctx.procedures.slice(0, 10);
  const head = decision === 'answer' ? ctx.procedures.slice(0, 1) : [];
  return [...new Set([...head, ...fromSearch])].slice(0, 10);
}
