import { STOPWORDS } from '../../retrieval/text.ts';
import type { Aspect, Label, Language } from '../../domain/types.ts';
import { detectAspects, withoutAspectPhrases } from './aspects.ts';
import { detectLanguage } from './language.ts';
import {
  asksCaseStatus,
  asksForOthersData,
  type CentreQuestion,
  centreQuestion,
  detectEmergency,
  type EmergencyMatch,
  isOffTopic,
  isSmallTalk,
  numberedChoice,
  refersBack,
  type RouterTables,
  type SmallTalkKind,
  smallTalkKind,
  wantsHuman,
  wantsHumanStrongly,
} from './rules.ts';

/** What the deterministic router decided before retrieval; `procedure` means "let retrieval decide". */
export interface Routing {
  label: Label;
  aspect: Aspect | null;
  /** Every aspect the message names, primary first. */
  aspects: Aspect[];
  language: Language;
  emergency?: EmergencyMatch;
  smallTalk?: SmallTalkKind;
  /** A question about the centre itself (label `greeting`): answered from the commune profile, not from retrieval. */
  centre?: CentreQuestion;
  /** 1-based pick among the conversation's pending choices. */
  choice?: number;
  /** Nothing but aspect and back-reference words: about the procedure already under discussion, if any. */
  aspectOnly: boolean;
}

export interface RouteContext {
  hasCurrentProcedure: boolean;
  pendingChoices: number;
  /** The phrase lists in force when an admin edited them (src/admin/language/); else the shipped ones. */
  tables?: RouterTables;
}

/** Filler of follow-ups that STOPWORDS (tuned for retrieval) keeps. */
const FOLLOW_FILLER = new Set(
  'the about and it this that do does can sao vay nao thi con oi nua them gi co nhu la bao nhieu may so there also xong ca vay z ha ne tien phi ngay lau'.split(' '),
);

/** Aspects only a procedure has: a message naming one is a procedure question even when it names the centre. */
const PROCEDURE_ASPECTS: ReadonlySet<Aspect> = new Set(['documents', 'fee', 'conditions', 'steps', 'result', 'legal']);

/**
 * Rules in order of precedence: an emergency first (answered at once), then a pick among offered choices, a
 * question about the centre itself (its hours, phone, address, email, portal), a request for a person, a dossier
 * status question, small talk, clear off-topic subjects, and an aspect-only follow-up; everything else is a
 * procedure question for retrieval to settle.
 */
export function routeByRules(raw: string, folded: string, ctx: RouteContext): Routing {
  const t = ctx.tables;
  const language = detectLanguage(raw);
  const aspects = detectAspects(folded);
  const base = { aspect: aspects[0] ?? null, aspects, language, aspectOnly: false };
  const emergency = detectEmergency(folded);
  if (emergency) return { ...base, label: 'emergency', emergency };

  if (asksForOthersData(folded, t)) return { ...base, label: 'injection' };

  const choice = numberedChoice(folded);
  if (choice !== null && ctx.pendingChoices && choice >= 1 && choice <= ctx.pendingChoices) {
    return { ...base, label: 'follow_up', choice };
  }
  // "thứ bảy trung tâm có làm việc không": the centre's own facts, unless a person is asked for in so many words or
  // the message asks a procedure's papers, fee, conditions, steps, result or legal basis ("… trung tâm cần gì")
  const centre = centreQuestion(folded, t);
  if (centre && !wantsHumanStrongly(folded, t) && !aspects.some((a) => PROCEDURE_ASPECTS.has(a))) return { ...base, label: 'greeting', centre };
  // "bạn là người thật hay máy?" asks about the bot, it does not ask for a person
  if (isSmallTalk(folded, t) && !wantsHumanStrongly(folded, t)) return { ...base, label: 'greeting', smallTalk: smallTalkKind(folded, t) };
  if (wantsHuman(folded, t)) return { ...base, label: 'human' };
  if (asksCaseStatus(raw, folded, t)) return { ...base, label: 'case_status' };
  if (isSmallTalk(folded, t)) return { ...base, label: 'greeting', smallTalk: smallTalkKind(folded, t) };

  const rest = withoutAspectPhrases(folded)
    .split(' ')
    .filter((w) => w && !STOPWORDS.has(w) && !FOLLOW_FILLER.has(w));
  const aspectOnly = (aspects.length > 0 || refersBack(folded, t)) && rest.length === 0;
  if (aspectOnly) return { ...base, label: 'follow_up', aspectOnly: true };
  if (isOffTopic(folded, t)) return { ...base, label: 'out_of_scope' };
  return { ...base, label: 'procedure' };
}
