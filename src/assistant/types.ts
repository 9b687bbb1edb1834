import { z } from 'zod';

/**
 * The assistant's vocabulary of decisions, shared by the router, the answerers, the conversation memory, the turn
 * log and the channel layer. Channel-neutral: nothing here knows which platform a message came from.
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

/** A choice the citizen can pick: a button on Telegram and the web, a numbered line on Zalo. */
export const ChoiceSchema = z.object({
  /** Opaque value sent back when chosen (e.g. "proc:1.001193"). */
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
