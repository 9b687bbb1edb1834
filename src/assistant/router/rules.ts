import { z } from 'zod';
import { containsPhrase, fold } from '../../retrieval/text.ts';
import {
  foldedPhrase,
  foldedPhrases,
  readPhraseFile,
  refineDisjoint,
  SHIPPED_KNOWLEDGE_DIR,
  uniqueList,
} from '../../knowledge/phrase-lists.ts';

/**
 * The deterministic part of the router: phrase rules over the folded message, with the phrases in
 * knowledge/router-rules.json (emergencies: emergency.ts). Hand-written matching on purpose: it must work offline,
 * decide in microseconds, and stay the safety net when an LLM router is configured. Retrieval decides between a
 * procedure question, a follow-up and an unknown procedure (see route.ts).
 */

export { detectEmergency, type EmergencyMatch } from './emergency.ts';

/** Groups of subjects out of scope; their union is matched, so a phrase belongs to one group only. */
const OutOfScopeSchema = z.record(z.string().min(1), foldedPhrases).superRefine((groups, ctx) => {
  refineDisjoint(ctx, Object.entries(groups).map(([name, phrases]) => ({ name: `outOfScope.${name}`, path: [name], phrases })));
});

/** The days a question about the centre's hours may name, as centreInfo lists them. */
const CENTRE_DAYS = ['saturday', 'sunday', 'weekend', 'weekdays', 'today', 'tomorrow', 'lunch', 'holiday'] as const;
export type CentreDay = (typeof CENTRE_DAYS)[number];
const CENTRE_FACTS = ['hours', 'phone', 'address', 'email', 'portal'] as const;
export type CentreFact = (typeof CENTRE_FACTS)[number];

const CentreInfoSchema = z
  .strictObject({
    /** Asking the hours in general ("giờ làm việc"): one phrase is enough. */
    hours: foldedPhrases,
    /** Whether it is open ("có làm việc không"), counted with a day, a "when" phrase or the centre named. */
    open: foldedPhrases,
    when: foldedPhrases,
    place: foldedPhrases,
    ...(Object.fromEntries(CENTRE_DAYS.map((d) => [d, foldedPhrases])) as Record<CentreDay, typeof foldedPhrases>),
    phone: foldedPhrases,
    address: foldedPhrases,
    email: foldedPhrases,
    portal: foldedPhrases,
  })
  .superRefine((c, ctx) => {
    // a phrase names one day or one fact only
    refineDisjoint(ctx, CENTRE_DAYS.map((d) => ({ name: `centreInfo.${d}`, path: [d], phrases: c[d] })));
    refineDisjoint(ctx, CENTRE_FACTS.map((f) => ({ name: `centreInfo.${f}`, path: [f], phrases: c[f] })));
  });

const oneWord = foldedPhrase.refine((w) => !w.includes(' '), { error: (issue) => `"${String(issue.input)}" is not one word` });

export const RouterRulesSchema = z.strictObject({
  _readme: z.string(),
  smallTalk: z.strictObject({
    /** Words of small talk and politeness; with a marker and no other content, a message is small talk. */
    words: uniqueList(oneWord),
    markers: foldedPhrases,
    /** Which kind of small talk a message is, checked in this order (else a greeting). */
    thanks: foldedPhrases,
    bye: foldedPhrases,
    capabilities: foldedPhrases,
  }),
  human: z.strictObject({
    phrases: foldedPhrases,
    /** An explicit request for staff, which small-talk words around it do not soften. */
    strongly: foldedPhrases,
  }),
  caseStatus: z.strictObject({
    phrases: foldedPhrases,
    /** A dossier already filed ("nộp … rồi", "tuần trước nộp") that the citizen is waiting for ("chưa thấy", "xong chưa"). */
    filed: foldedPhrases,
    past: foldedPhrases,
    waiting: foldedPhrases,
    /** "đang xử lý hoài" about a "hồ sơ". */
    stillProcessing: foldedPhrases,
    dossier: foldedPhrases,
  }),
  outOfScope: OutOfScopeSchema,
  /** Things no procedure can be about: never overridden by a confident retrieval hit ("sổ đỏ trên mặt trăng"). */
  absurd: foldedPhrases,
  /** Forgery, bribery, evasion: never answered, whatever procedure they mention. */
  forbidden: foldedPhrases,
  /**
   * Asking for other people's data or a staff decision the bot cannot give ("danh sách số CCCD người dân",
   * "đóng vai cán bộ xác nhận hồ sơ đã duyệt"): treated like an injection, never answered from retrieval.
   */
  othersData: foldedPhrases,
  /** Words that say a message is about paperwork with the state, even when retrieval finds no procedure. */
  procedureMarkers: foldedPhrases,
  /** Words that point back at the procedure already discussed. */
  backReference: foldedPhrases,
  /**
   * Questions about the centre itself, answered from the commune profile (src/assistant/steps/centre-info.ts).
   * Optional so that a revision an admin saved before the list existed still loads; the shipped list serves then.
   */
  centreInfo: CentreInfoSchema.optional(),
});
export type RouterRules = z.infer<typeof RouterRulesSchema>;

export function loadRouterRules(knowledgeDir: string): RouterRules {
  return readPhraseFile(knowledgeDir, 'router-rules.json', RouterRulesSchema);
}

/** The rules compiled for matching. */
export interface RouterTables {
  rules: RouterRules;
  smallTalkWords: ReadonlySet<string>;
  outOfScope: readonly string[];
}

export function compileRouterRules(rules: RouterRules): RouterTables {
  return { rules, smallTalkWords: new Set(rules.smallTalk.words), outOfScope: Object.values(rules.outOfScope).flat() };
}

/**
 * The rules shipped with the product, read once at import from the committed file and never changed: these
 * functions are called without context from the pipeline, the router and their tests (as language.ts does with its
 * cues). Each takes other tables as its last argument.
 */
const SHIPPED: RouterTables = compileRouterRules(loadRouterRules(SHIPPED_KNOWLEDGE_DIR));

const has = (folded: string, phrases: readonly string[]) => phrases.some((p) => containsPhrase(folded, p));

// ---- small talk ---------------------------------------------------------------------------------------------

/** A message that is only a greeting, thanks, goodbye or "what can you do". */
export function isSmallTalk(folded: string, t: RouterTables = SHIPPED): boolean {
  const words = folded.split(' ').filter(Boolean);
  if (!words.length || words.length > 14) return false;
  if (!has(folded, t.rules.smallTalk.markers)) return false;
  const other = words.filter((w) => !t.smallTalkWords.has(w));
  return other.length <= 1;
}

/** A small-talk marker anywhere in the message; the pipeline uses it when nothing else matches. */
export function hasSmallTalkMarker(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.rules.smallTalk.markers);
}

export type SmallTalkKind = 'hello' | 'thanks' | 'bye' | 'capabilities';
export function smallTalkKind(folded: string, t: RouterTables = SHIPPED): SmallTalkKind {
  const { thanks, bye, capabilities } = t.rules.smallTalk;
  if (has(folded, thanks)) return 'thanks';
  if (has(folded, bye)) return 'bye';
  if (has(folded, capabilities)) return 'capabilities';
  return 'hello';
}

// ---- a person, a case ----------------------------------------------------------------------------------------

export function wantsHuman(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.rules.human.phrases);
}

/** An explicit request for staff, which small-talk words around it do not soften. */
export function wantsHumanStrongly(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.rules.human.strongly);
}

/**
 * Dossier (case) codes as the one-stop-shop systems print them on receipts: "H12.22-250101-0001",
 * "000.00.12.H12-250101-0001", "G22.99-241231-0042". Checked on the raw text (folding would split them).
 */
export const DOSSIER_CODE = /\b(?:[A-Z]\d{2}(?:\.\d{1,3})*|\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-\d{6}-\d{3,6}\b/i;

export function asksCaseStatus(raw: string, folded: string, t: RouterTables = SHIPPED): boolean {
  const c = t.rules.caseStatus;
  return (
    DOSSIER_CODE.test(raw) ||
    has(folded, c.phrases) ||
    (has(folded, c.filed) && has(folded, c.past) && has(folded, c.waiting)) ||
    (has(folded, c.stillProcessing) && has(folded, c.dossier))
  );
}

// ---- out of scope ---------------------------------------------------------------------------------------------

export function isOffTopic(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.outOfScope) || has(folded, t.rules.absurd) || has(folded, t.rules.forbidden);
}

/** Absurd or forbidden subjects: never answered, whatever procedure they mention. */
export function isAbsurd(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.rules.absurd) || has(folded, t.rules.forbidden);
}

/** Other people's data or a staff decision: treated like an injection, never answered from retrieval. */
export function asksForOthersData(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.rules.othersData);
}

/** Words of paperwork with the state, even when retrieval finds no procedure. */
export function looksLikeProcedureQuestion(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.rules.procedureMarkers);
}

// ---- the centre itself ----------------------------------------------------------------------------------------

/** What a message asks about the centre: the facts, and the days an hours question names (empty: none). */
export interface CentreQuestion {
  facts: CentreFact[];
  days: CentreDay[];
}

/**
 * "giờ làm việc của trung tâm", "thứ bảy trung tâm có làm việc không", "số điện thoại đường dây nóng", "trung tâm ở
 * đâu": the facts of the commune profile a message asks for; null when it asks none. A day counts only with an
 * "open" or "when" phrase ("thứ bảy có làm việc không", "trưa nghỉ mấy giờ"); an "open" phrase alone only with the
 * centre named ("xã có làm việc không").
 */
export function centreQuestion(folded: string, t: RouterTables = SHIPPED): CentreQuestion | null {
  const c = t.rules.centreInfo ?? SHIPPED.rules.centreInfo!;
  const days = CENTRE_DAYS.filter((d) => has(folded, c[d]));
  const open = has(folded, c.open);
  const asksHours = has(folded, c.hours) || (days.length > 0 && (open || has(folded, c.when))) || (open && (has(folded, c.when) || has(folded, c.place)));
  const facts = CENTRE_FACTS.filter((f) => (f === 'hours' ? asksHours : has(folded, c[f])));
  if (!facts.length) return null;
  return { facts, days: asksHours ? days : [] };
}

// ---- follow-ups and choices -----------------------------------------------------------------------------------

/** Words that point back at the procedure already discussed. */
export function refersBack(folded: string, t: RouterTables = SHIPPED): boolean {
  return has(folded, t.rules.backReference);
}

/** "1", "2.", "số 2", "chọn 3", "option 2": a numbered choice, 1-based; null otherwise. */
export function numberedChoice(folded: string): number | null {
  const m = /^(?:so |chon |option |lua chon |cau |tra loi )?(\d{1,2})$/.exec(folded);
  return m ? Number(m[1]) : null;
}

export { fold };
