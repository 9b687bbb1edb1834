import type { Logger } from 'pino';
import { type CasePhrases, EMPTY_CASE_PHRASES } from '../knowledge/case-phrases.ts';
import type { CommuneProfile } from '../knowledge/commune-profile.ts';
import { EMPTY_INTENTS, type Intents, isWishToAct } from '../knowledge/intents.ts';
import type { Procedure } from '../knowledge/procedure.ts';
import { MAX_QUERY_CHARS, QueryError } from '../retrieval/query.ts';
import type { ProcedureSearch, SearchResult } from '../retrieval/search.ts';
import { contentTokens, fold } from '../retrieval/text.ts';
import type { ConversationState, ConversationStore } from '../storage/conversation-store.ts';
import type { ProcedureStore } from '../storage/procedure-store.ts';
import type { TurnLog } from '../storage/turn-log.ts';
import { alternatives, clarifyOptions, resolveChoice } from './answer/clarify.ts';
import { composeAnswer } from './answer/composer.ts';
import * as replies from './answer/replies.ts';
import { redactPersonalData, PII_NOTICE } from './guardrails/pii.ts';
import { detectInjection } from './guardrails/injection.ts';
import type { LlmAnswerStep } from './llm-step.ts';
import { detectLanguage } from './router/language.ts';
import { type Routing, routeByRules } from './router/route.ts';
import { hasSmallTalkMarker, isAbsurd, looksLikeProcedureQuestion, smallTalkKind } from './router/rules.ts';
import type { LlmRouter } from './llm/llm-router.ts';
import {
  type Aspect,
  AspectSchema,
  type Decision,
  type Label,
  type Language,
  type Outcome,
  type ReplyMessage,
} from './types.ts';

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
}

export interface AssistantDeps {
  search: ProcedureSearch;
  procedures: ProcedureStore;
  conversations: ConversationStore;
  turns: TurnLog;
  profile: CommuneProfile;
  /** Citizens' words for the cases records state (knowledge/case-phrases.json). */
  casePhrases?: CasePhrases;
  /** What citizens say they want to do (knowledge/intents.json). */
  intents?: Intents;
  logger: Logger;
  /** LLM mode, when configured: a second router and an answer writer whose output is checked. */
  llm?: { router: LlmRouter; answer: LlmAnswerStep };
}

/** Below this search confidence a message the rules called off-topic stays off-topic. */
const OFF_TOPIC_OVERRIDE = 0.8;

interface Draft {
  label: Label;
  decision: Decision;
  outcome: Outcome;
  aspect: Aspect | null;
  procedures: string[];
  messages: ReplyMessage[];
  llmUsed?: boolean;
  llmFallback?: string | null;
  result?: SearchResult;
  /** The full ranked list of that search (`result` may hold only its head). */
  ranked?: string[];
}

/**
 * The assistant pipeline: guardrails in (redaction, limits, injection), router, retrieval, answer (offline
 * composer, or an LLM answer that must pass the grounding check), conversation memory, and one turn record per
 * message. The same for every channel.
 */
export class Assistant {
  constructor(private readonly deps: AssistantDeps) {}

  async handle(input: AssistantInput): Promise<AssistantReply> {
    const t0 = performance.now();
    const state = await this.deps.conversations.load(input.conversationId, input.channel);
    const raw = (input.text ?? '').normalize('NFC');
    const pii = redactPersonalData(raw);
    const redacted = pii.text;
    let language: Language = redacted.trim() ? detectLanguage(redacted, state.language) : state.language;
    let draft: Draft;
    try {
      draft = input.choice ? await this.choose(input.choice, state, language) : await this.respond(redacted, state);
    } catch (err) {
      this.deps.logger.error({ err, conversationId: input.conversationId }, 'assistant failed to answer');
      draft = { label: 'procedure', decision: 'no_answer', outcome: 'error', aspect: null, procedures: [], messages: [replies.errorReply(language)] };
    }
    if (pii.found.length) draft.messages.unshift({ text: language === 'vi' ? PII_NOTICE : 'Please do not send ID numbers, phone numbers, emails or bank accounts in chat; I have removed them.' });

    await this.deps.conversations.save(nextState(state, draft, language));
    const latencyMs = Math.round(performance.now() - t0);
    let turnId: number | null = null;
    try {
      turnId = await this.deps.turns.record({
        conversationId: input.conversationId,
        channel: input.channel,
        textRedacted: input.choice ? `[chọn] ${input.choice}` : redacted.slice(0, MAX_QUERY_CHARS * 2),
        label: draft.label,
        outcome: draft.outcome,
        aspect: draft.aspect,
        language,
        procedureCodes: draft.procedures.slice(0, 10),
        retrievalScores: (draft.result?.hits ?? []).slice(0, 5).map((h) => Number(h.score.toFixed(4))),
        confidence: draft.result ? Number(draft.result.confidence.toFixed(4)) : null,
        personalData: pii.found,
        latencyMs,
        llmUsed: draft.llmUsed ?? false,
        llmFallback: draft.llmFallback ?? null,
      });
    } catch (err) {
      // The citizen still gets the answer; the missing row is visible in the log.
      this.deps.logger.error({ err, conversationId: input.conversationId }, 'turn record failed');
    }
    return {
      decision: draft.decision,
      label: draft.label,
      outcome: draft.outcome,
      aspect: draft.aspect,
      language,
      procedures: draft.procedures,
      ranked: rankedList(draft),
      messages: draft.messages,
      llmUsed: draft.llmUsed ?? false,
      turnId,
    };
  }

  private async respond(text: string, state: ConversationState): Promise<Draft> {
    const language = text.trim() ? detectLanguage(text, state.language) : state.language;
    const trimmed = text.trim();
    if (!trimmed || !fold(trimmed)) {
      return this.fixed('out_of_scope', 'no_answer', 'no_answer', replies.emptyReply(language));
    }
    if (trimmed.length > MAX_QUERY_CHARS) {
      return this.fixed('out_of_scope', 'no_answer', 'guardrail_blocked', replies.tooLongReply(language, MAX_QUERY_CHARS));
    }

    // Emergencies first, on the whole message, before anything can talk the router out of it.
    const analysed = this.analyse(trimmed);
    let routing = routeByRules(trimmed, analysed, { hasCurrentProcedure: !!state.currentProcedure, pendingChoices: state.pendingChoices.length });
    if (routing.label === 'emergency' && routing.emergency) {
      const e = routing.emergency;
      return { label: 'emergency', decision: 'emergency', outcome: 'emergency', aspect: null, procedures: [], messages: [replies.emergencyReply(e.kind, e.also, language)] };
    }

    // An injection's instructions and claims are dropped; what is left, if anything, is answered as usual.
    const injection = detectInjection(trimmed);
    let working = trimmed;
    if (injection.injection) {
      working = injection.remainder.trim();
      const folded = working ? this.analyse(working) : '';
      if (!folded || !this.hasSubstance(folded)) {
        return this.blocked(language);
      }
      routing = routeByRules(working, folded, { hasCurrentProcedure: !!state.currentProcedure, pendingChoices: state.pendingChoices.length });
      // an attack wrapped around something we would not answer anyway is an attack
      if (routing.label === 'out_of_scope' || routing.label === 'injection') {
        return this.blocked(language);
      }
    }

    // A typed answer to the clarifying question just asked ("cháu mới 10 tuổi").
    const offered = state.pendingChoices.filter((c) => c.id.startsWith('proc:'));
    if (routing.label === 'procedure' && offered.length && state.currentProcedure && !offered.some((c) => c.id === `proc:${state.currentProcedure}`)) {
      // after an answer with "Trường hợp khác" options, the answered procedure is one of the cases too
      const current = await this.deps.procedures.get(state.currentProcedure);
      if (current) offered.unshift({ id: `proc:${current.code}`, label: current.title });
    }
    if (routing.label === 'procedure' && offered.length > 1) {
      const picked = resolveChoice(this.analyse(working), offered);
      if (picked) return this.choose(picked.id, { ...state, lastAspect: routing.aspect ?? state.lastAspect }, language);
    }

    // "tôi muốn làm thủ tục này" after a procedure was discussed: how to submit that one, not a new search.
    if (state.currentProcedure && ['procedure', 'follow_up', 'greeting'].includes(routing.label) && isWishToAct(working, this.deps.intents ?? EMPTY_INTENTS)) {
      const acted = await this.wishToAct(working, state, language);
      if (acted) return acted;
    }

    if (this.deps.llm && routing.label === 'procedure') routing = await this.llmRoute(working, routing, state);

    switch (routing.label) {
      case 'injection':
        return this.blocked(language);
      case 'greeting':
        return this.fixed('greeting', 'answer', 'answered', replies.greetingReply(routing.smallTalk ?? 'hello', language, this.deps.profile));
      case 'human':
        return this.fixed('human', 'handoff', 'handover_requested', replies.handoffReply(language, this.deps.profile));
      case 'case_status':
        return this.fixed('case_status', 'handoff', 'handover_requested', replies.caseStatusReply(language, this.deps.profile));
      case 'follow_up':
        return this.followUp(working, routing, state, language);
      case 'out_of_scope':
        return this.offTopic(working, routing, state, language);
      default:
        return this.procedureQuestion(working, routing, state, language);
    }
  }

  /**
   * How to submit the procedure under discussion (online channel, official page, where): unless the message
   * clearly names another procedure ("tôi muốn đăng ký kết hôn"), which is then answered instead.
   */
  private async wishToAct(text: string, state: ConversationState, language: Language): Promise<Draft | null> {
    const result = await this.deps.search.search(text, { limit: 5 });
    const top = result.hits[0];
    if (!result.noMatch && top && top.code !== state.currentProcedure && result.confidence >= 0.8) return null;
    const record = await this.deps.procedures.get(state.currentProcedure!);
    if (!record) return null;
    return this.answer(text, 'follow_up', record, 'online', language, [record]);
  }

  /** Folded, typos fixed: what the rules read. */
  private analyse(text: string): string {
    try {
      return this.deps.search.analyse(text).folded;
    } catch (err) {
      if (err instanceof QueryError) return fold(text);
      throw err;
    }
  }

  private hasSubstance(folded: string): boolean {
    return folded.split(' ').filter((w) => w.length > 1).length >= 2;
  }

  /** An injection (or a request for other people's data): refused, recorded as blocked. */
  private blocked(language: Language): Draft {
    return this.fixed('injection', 'out_of_scope', 'guardrail_blocked', replies.injectionReply(language));
  }

  private fixed(label: Label, decision: Decision, outcome: Outcome, message: ReplyMessage): Draft {
    return { label, decision, outcome, aspect: null, procedures: [], messages: [message] };
  }

  /** The LLM router may re-label what the rules passed to retrieval; it never overrides a rule's firm label. */
  private async llmRoute(text: string, routing: Routing, state: ConversationState): Promise<Routing> {
    try {
      const current = state.currentProcedure ? await this.deps.procedures.get(state.currentProcedure) : null;
      const r = await this.deps.llm!.router.classify(text, { currentProcedureTitle: current?.title });
      // Emergencies and injections are for the rules to call; the LLM may only add precision elsewhere.
      if (r.label === 'emergency' || r.label === 'injection') return routing;
      return { ...routing, label: r.label, aspect: routing.aspect ?? r.aspect, aspects: routing.aspects.length ? routing.aspects : r.aspect ? [r.aspect] : [] };
    } catch (err) {
      this.deps.logger.warn({ err: String(err) }, 'LLM router failed; rules decide');
      return routing;
    }
  }

  private async followUp(text: string, routing: Routing, state: ConversationState, language: Language): Promise<Draft> {
    if (routing.choice !== undefined) {
      const picked = state.pendingChoices[routing.choice - 1];
      if (picked) return this.choose(picked.id, state, language);
    }
    if (!state.currentProcedure) {
      if (routing.aspectOnly) {
        return { label: 'follow_up', decision: 'clarify', outcome: 'clarified', aspect: routing.aspect, procedures: [], messages: [replies.followUpWithoutContextReply(language)] };
      }
      return this.procedureQuestion(text, { ...routing, label: 'procedure' }, state, language);
    }
    if (!routing.aspectOnly) {
      // "còn đăng ký lại thì sao": a new procedure may be named; retrieval decides whether it is the same one.
      const result = await this.deps.search.search(text, { limit: 5 });
      if (!result.noMatch && result.hits[0] && result.hits[0].code !== state.currentProcedure && result.confidence >= 0.8) {
        return this.answerFromResult(text, { ...routing, label: 'procedure' }, result, language);
      }
    }
    const record = await this.deps.procedures.get(state.currentProcedure);
    if (!record) return this.procedureQuestion(text, { ...routing, label: 'procedure' }, state, language);
    const aspect = routing.aspect ?? state.lastAspect ?? 'overview';
    return this.answer(text, 'follow_up', record, aspect, language, [record]);
  }

  private async offTopic(text: string, routing: Routing, _state: ConversationState, language: Language): Promise<Draft> {
    // "cấp phép phổ biến phim": an off-topic word inside a real procedure question.
    const folded = this.analyse(text);
    if (looksLikeProcedureQuestion(folded) && !isAbsurd(folded)) {
      const result = await this.deps.search.search(text, { limit: 5 });
      if (!result.noMatch && result.confidence >= OFF_TOPIC_OVERRIDE) return this.answerFromResult(text, { ...routing, label: 'procedure' }, result, language);
    }
    if (hasSmallTalkMarker(folded) && !isAbsurd(folded)) {
      return this.fixed('greeting', 'answer', 'answered', replies.greetingReply(smallTalkKind(folded), language, this.deps.profile));
    }
    return this.fixed('out_of_scope', 'out_of_scope', 'out_of_scope', replies.outOfScopeReply(language));
  }

  private async procedureQuestion(text: string, routing: Routing, state: ConversationState, language: Language): Promise<Draft> {
    let full: SearchResult;
    try {
      full = await this.deps.search.search(text, { limit: 10 });
    } catch (err) {
      if (err instanceof QueryError) return this.fixed('out_of_scope', 'no_answer', 'no_answer', replies.emptyReply(language));
      throw err;
    }
    const draft = await this.fromSearch(text, routing, state, language, { ...full, hits: full.hits.slice(0, 5) });
    return { ...draft, ranked: full.hits.map((h) => h.code) };
  }

  private async fromSearch(text: string, routing: Routing, state: ConversationState, language: Language, result: SearchResult): Promise<Draft> {
    // An aspect question in a conversation is about the procedure under discussion unless it clearly names
    // another one ("hòa giải xong thì được giấy gì", "co can dieu kien dien tich nha ko").
    const top = result.hits[0];
    const namesAnother = !result.noMatch && top && top.code !== state.currentProcedure && result.confidence >= 0.8;
    if (state.currentProcedure && routing.aspects.length && !namesAnother) {
      const record = await this.deps.procedures.get(state.currentProcedure);
      if (record) return { ...(await this.answer(text, 'follow_up', record, routing.aspect ?? state.lastAspect ?? 'overview', language, [record])), result };
    }
    if (result.noMatch && state.currentProcedure) {
      // "cháu mới 10 tuổi": a detail that picks a sibling of the procedure under discussion
      const refined = await this.refine(text, state.currentProcedure);
      if (refined) return { ...(await this.answer(text, 'follow_up', refined, state.lastAspect ?? 'overview', language, [refined])), result };
    }
    if (result.noMatch) {
      if (routing.aspectOnly && !state.currentProcedure) {
        return { ...this.fixed('follow_up', 'clarify', 'clarified', replies.followUpWithoutContextReply(language)), aspect: routing.aspect, result };
      }
      const folded = this.analyse(text);
      // "Xin cám ơn cháu đã chỉ dẫn tận tình…": politeness with more words than the small-talk rule allows
      if (hasSmallTalkMarker(folded)) {
        return { ...this.fixed('greeting', 'answer', 'answered', replies.greetingReply(smallTalkKind(folded), language, this.deps.profile)), result };
      }
      // not found: a question about papers or with an aspect ("mất bao lâu") gets the nearest procedures to pick
      if (!looksLikeProcedureQuestion(folded) && !routing.aspects.length) {
        return { ...this.fixed('out_of_scope', 'out_of_scope', 'out_of_scope', replies.outOfScopeReply(language)), result };
      }
      const nearest = await this.deps.procedures.getMany(result.hits.slice(0, 3).map((h) => h.code));
      return { label: 'out_of_scope', decision: 'no_answer', outcome: 'no_answer', aspect: routing.aspect, procedures: [], messages: [replies.noAnswerReply(language, nearest)], result };
    }
    return this.answerFromResult(text, routing, result, language);
  }

  /** The sibling of the current procedure (same family of titles) that a detail in the message points at. */
  private async refine(text: string, currentCode: string): Promise<Procedure | null> {
    const current = await this.deps.procedures.get(currentCode);
    if (!current) return null;
    const family = await this.deps.search.search(current.title, { limit: 6 });
    const siblings = alternatives(family.hits, undefined, 0.6).filter((h) => h.code !== currentCode);
    if (!siblings.length) return null;
    const options = [{ id: `proc:${current.code}`, label: current.title }, ...siblings.map((h) => ({ id: `proc:${h.code}`, label: h.title }))];
    const picked = resolveChoice(this.analyse(text), options);
    return picked && picked.id !== `proc:${currentCode}` ? this.deps.procedures.get(picked.id.slice(5)) : null;
  }

  private async answerFromResult(text: string, routing: Routing, result: SearchResult, language: Language): Promise<Draft> {
    let hits = result.hits;
    let agePicked = false;
    // "cho con 15 tuổi": an age in the question picks among variants by age ("dưới 14 tuổi", "từ đủ 14 tuổi")
    if (/\b\d{1,3} (tuoi|thang tuoi)\b/.test(result.query.folded) && hits[0]) {
      const family = [hits[0], ...alternatives(hits, undefined, 0.6)];
      const picked = resolveChoice(result.query.folded, family.map((h) => ({ id: h.code, label: h.title })));
      if (picked) agePicked = true;
      if (picked && picked.id !== hits[0].code) hits = [hits.find((h) => h.code === picked.id)!, ...hits.filter((h) => h.code !== picked.id)];
    }
    const options = agePicked ? [] : clarifyOptions(hits, contentTokens(result.query.folded).length);
    if (options.length > 1) {
      const records = await this.deps.procedures.getMany(options.map((h) => h.code));
      return {
        label: routing.label === 'follow_up' ? 'follow_up' : 'procedure',
        decision: 'clarify',
        outcome: 'clarified',
        aspect: routing.aspect,
        procedures: records.map((r) => r.code),
        messages: [replies.clarifyReply(records, language)],
        result,
      };
    }
    const records = await this.deps.procedures.getMany(hits.slice(0, 3).map((h) => h.code));
    const top = records[0];
    if (!top) return this.fixed('out_of_scope', 'no_answer', 'no_answer', replies.noAnswerReply(language, []));
    const draft = await this.answer(text, 'procedure', top, routing.aspect ?? 'overview', language, records);
    // Close relatives stay one tap away ("Trường hợp khác"), ahead of the aspect buttons.
    const others = alternatives(hits).filter((h) => h.code !== top.code);
    const last = draft.messages.at(-1);
    if (others.length && last) {
      const other = language === 'vi' ? 'Trường hợp khác' : 'Other case';
      const alt = others.map((h) => ({ id: `proc:${h.code}`, label: `${other}: ${replies.shortTitle(h.title)}`.slice(0, 120) }));
      last.choices = [...alt, ...(last.choices ?? [])].slice(0, 6);
    }
    return { ...draft, result };
  }

  /** A citizen's pick among offered choices: a procedure, or an aspect of the current one. */
  private async choose(choice: string, state: ConversationState, language: Language): Promise<Draft> {
    const [kind, value] = [choice.slice(0, choice.indexOf(':')), choice.slice(choice.indexOf(':') + 1)];
    if (kind === 'proc') {
      const record = await this.deps.procedures.get(value);
      if (record) return this.answer('', 'follow_up', record, state.lastAspect ?? 'overview', language, [record]);
    }
    if (kind === 'docs' && state.currentProcedure) {
      const record = await this.deps.procedures.get(state.currentProcedure);
      if (record) return this.answer('', 'follow_up', record, 'documents', language, [record], true);
    }
    if (kind === 'aspect' && AspectSchema.safeParse(value).success && state.currentProcedure) {
      const record = await this.deps.procedures.get(state.currentProcedure);
      if (record) return this.answer('', 'follow_up', record, AspectSchema.parse(value), language, [record]);
    }
    return { label: 'follow_up', decision: 'clarify', outcome: 'clarified', aspect: null, procedures: [], messages: [replies.followUpWithoutContextReply(language)] };
  }

  /** The offline composer's answer, or the LLM's when it is configured and passes the grounding check. */
  private async answer(question: string, label: Label, record: Procedure, aspect: Aspect, language: Language, context: Procedure[], full = false): Promise<Draft> {
    const offline = composeAnswer(record, aspect, { lang: language, profile: this.deps.profile, question, casePhrases: this.deps.casePhrases ?? EMPTY_CASE_PHRASES, full });
    const base: Draft = { label, decision: 'answer', outcome: 'answered', aspect, procedures: [record.code], messages: [offline] };
    if (!this.deps.llm || !question) return base;
    const llm = await this.deps.llm.answer.run({ question, language, aspect, records: context, offline });
    return { ...base, messages: [llm.message], llmUsed: llm.used, llmFallback: llm.fallback };
  }
}

/** The ranked list `npm run eval` reports: the answer's procedure first, then what retrieval ranked. */
function rankedList(draft: Draft): string[] {
  const fromSearch = draft.ranked ?? draft.result?.hits.map((h) => h.code) ?? [];
  if (!fromSearch.length) return draft.procedures.slice(0, 10);
  const head = draft.decision === 'answer' ? draft.procedures.slice(0, 1) : [];
  return [...new Set([...head, ...fromSearch])].slice(0, 10);
}

/** What the conversation remembers after this turn. */
function nextState(state: ConversationState, draft: Draft, language: Language): ConversationState {
  const next: ConversationState = { ...state, language };
  if (draft.decision === 'answer' && draft.procedures[0]) {
    next.currentProcedure = draft.procedures[0];
    next.lastAspect = draft.aspect;
    next.pendingChoices = draft.messages.at(-1)?.choices ?? [];
  } else if (draft.decision === 'clarify') {
    next.pendingChoices = draft.messages.at(-1)?.choices ?? [];
    if (draft.aspect) next.lastAspect = draft.aspect;
  } else if (draft.outcome !== 'error') {
    next.pendingChoices = [];
  }
  return next;
}
