import { z } from 'zod';

/**
 * The product's shared domain types: what a message is, the reply and its choices, the conversation's state.
 * Channels, the engine, the assistant and storage all import them from here (storage imports nothing from the
 * assistant). Channel-neutral: nothing here knows which platform a message came from.
 */

/** What a message is, decided before anything else. */
export const LabelSchema = z.enum([
  'greeting', // hello / thanks / what can you do
  'procedure', // a question about an administrative procedure
  'follow_up', // a question about the procedure already under discussion
  'case_status', // where is my dossier (mã hồ sơ)
  'human', // wants a person, or complains the bot does not help
  'emergency', // fire, medical, crime or violence: answered at once
  'out_of_scope', // weather, prices, politics, personal advice, homework, procedures that do not exist
  'injection', // prompt injection or jailbreak attempt with nothing else to answer
]);
export type Label = z.infer<typeof LabelSchema>;

/** Which part of a procedure the citizen asks about. */
export const AspectSchema = z.enum([
  'overview', // nothing specific: a short summary
  'documents', // giấy tờ, hồ sơ
  'fee', // lệ phí, phí
  'time', // bao lâu, thời hạn
  'where', // nộp ở đâu, cơ quan nào
  'online', // làm online được không
  'steps', // trình tự, các bước
  'conditions', // điều kiện, yêu cầu
  'result', // nhận được gì
  'legal', // căn cứ pháp lý
]);
export type Aspect = z.infer<typeof AspectSchema>;

/** The decision reported by `npm run eval` and `npm run ask --json`. */
export const DecisionSchema = z.enum(['answer', 'clarify', 'no_answer', 'out_of_scope', 'emergency', 'handoff']);
export type Decision = z.infer<typeof DecisionSchema>;

/** Outcome status recorded for each turn. */
export const OutcomeSchema = z.enum([
  'answered',
  'clarified',
  'no_answer',
  'out_of_scope',
  'emergency',
  'handover_requested',
  'guardrail_blocked',
  'error',
]);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const LanguageSchema = z.enum(['vi', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

/**
 * The ids a choice can carry, typed by kind: a procedure, an aspect of the current one, every document of it,
 * a life-event menu entry. Built and read only through `choiceId` and `parseChoiceId`, never by string slicing.
 */
export type ChoiceId = `proc:${string}` | `aspect:${Aspect}` | 'docs:all' | `event:${string}` | `rate:${number}` | 'done' | 'skip' | 'staff' | 'bot' | 'callback' | 'wait' | `guide:${string}`;
export type ParsedChoice =
  | { kind: 'proc'; code: string }
  | { kind: 'aspect'; aspect: Aspect }
  | { kind: 'docs' }
  | { kind: 'event'; id: string }
  | { kind: 'rate'; level: number }
  | { kind: 'done' }
  | { kind: 'skip' }
  /** Talk to a person (opens a handover ticket). */
  | { kind: 'staff' }
  /** Back to the virtual assistant (ends a handover). */
  | { kind: 'bot' }
  /** While waiting after hours: leave a number to be called back, or keep waiting. */
  | { kind: 'callback' }
  | { kind: 'wait' }
  /**
   * The guided submission: start it for a procedure, answer one of its case questions, pick online or in person,
   * continue or cancel, say it was submitted or paid.
   */
  | { kind: 'guide'; action: GuideAction; code?: string; caseId?: string; answer?: 'yes' | 'no' | 'unknown' }
  | { kind: 'unknown'; raw: string };

export type GuideAction = 'start' | 'answer' | 'online' | 'in_person' | 'continue' | 'restart' | 'cancel' | 'submitted' | 'transfer' | 'paid_portal' | 'transferred';

export const choiceId = {
  procedure: (code: string): ChoiceId => `proc:${code}`,
  aspect: (aspect: Aspect): ChoiceId => `aspect:${aspect}`,
  allDocuments: (): ChoiceId => 'docs:all',
  lifeEvent: (id: string): ChoiceId => `event:${id}`,
  /** A satisfaction level, 5 = Rất hài lòng … 1 = Rất không hài lòng. */
  rate: (level: number): ChoiceId => `rate:${level}`,
  done: (): ChoiceId => 'done',
  skip: (): ChoiceId => 'skip',
  staff: (): ChoiceId => 'staff',
  bot: (): ChoiceId => 'bot',
  callback: (): ChoiceId => 'callback',
  wait: (): ChoiceId => 'wait',
  guideStart: (code: string): ChoiceId => `guide:start:${code}`,
  guideAnswer: (caseId: string, answer: 'yes' | 'no' | 'unknown'): ChoiceId => `guide:a:${caseId}:${answer}`,
  guide: (action: Exclude<GuideAction, 'start' | 'answer'>): ChoiceId => `guide:${action}`,
};

const GUIDE_ACTIONS: readonly GuideAction[] = ['start', 'answer', 'online', 'in_person', 'continue', 'restart', 'cancel', 'submitted', 'transfer', 'paid_portal', 'transferred'];

export function parseChoiceId(raw: string): ParsedChoice {
  const at = raw.indexOf(':');
  const kind = at > 0 ? raw.slice(0, at) : raw;
  const value = at > 0 ? raw.slice(at + 1) : '';
  if (kind === 'proc' && value) return { kind: 'proc', code: value };
  if (kind === 'aspect') {
    const a = AspectSchema.safeParse(value);
    if (a.success) return { kind: 'aspect', aspect: a.data };
  }
  if (kind === 'docs') return { kind: 'docs' };
  if (kind === 'event' && value) return { kind: 'event', id: value };
  if (kind === 'rate' && /^[1-5]$/.test(value)) return { kind: 'rate', level: Number(value) };
  if (raw === 'done') return { kind: 'done' };
  if (raw === 'skip') return { kind: 'skip' };
  if (raw === 'staff' || raw === 'bot' || raw === 'callback' || raw === 'wait') return { kind: raw };
  if (kind === 'guide') {
    const [action, a, b] = value.split(':');
    if (action === 'start' && a) return { kind: 'guide', action: 'start', code: value.slice('start:'.length) };
    if (action === 'a' && a && (b === 'yes' || b === 'no' || b === 'unknown')) return { kind: 'guide', action: 'answer', caseId: a, answer: b };
    if (action && GUIDE_ACTIONS.includes(action as GuideAction) && action !== 'start' && action !== 'answer' && a === undefined) return { kind: 'guide', action: action as GuideAction };
  }
  return { kind: 'unknown', raw };
}

/** A choice the citizen can pick: a button on Telegram and the web, a numbered line on Zalo. */
export const ChoiceSchema = z.object({
  /** Value sent back when chosen (a `ChoiceId`, e.g. "proc:1.001193"). */
  id: z.string().min(1).max(60),
  label: z.string().min(1).max(120),
});
export type Choice = z.infer<typeof ChoiceSchema>;

/** One channel-neutral message; adapters render it within their platform's limits. */
export const ReplyMessageSchema = z.object({
  text: z.string().min(1),
  choices: z.array(ChoiceSchema).optional(),
  link: z.object({ url: z.string().url(), label: z.string() }).optional(),
  image: z.object({ url: z.string(), alt: z.string() }).optional(),
});
export type ReplyMessage = z.infer<typeof ReplyMessageSchema>;

export const EMERGENCY_NUMBERS = { fire: '114', medical: '115', police: '113' } as const;
export type EmergencyKind = keyof typeof EMERGENCY_NUMBERS;

/** What the assistant remembers of a conversation between two messages; lives in the database, not in memory. */
export const ConversationStateSchema = z.object({
  id: z.string().min(1),
  channel: z.string().min(1),
  currentProcedure: z.string().nullable(),
  lastAspect: AspectSchema.nullable(),
  language: LanguageSchema,
  pendingChoices: z.array(ChoiceSchema),
  /** The conversation's flow (conversation/flows): its name, since when, and its own data. */
  flow: z.record(z.string(), z.unknown()),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;
