import type { Decision, Outcome } from '../../domain/types.ts';

/**
 * One status per turn, set by the step that decides it; the decision reported by `npm run eval` and the outcome
 * stored in the turn log derive from it in this one table. Prefixes group statuses as reports do.
 */
export const STATUSES = {
  answered: { decision: 'answer', outcome: 'answered' },
  small_talk: { decision: 'answer', outcome: 'answered' },
  /** A staff-written local answer (src/assistant/steps/local-answer.ts), cited as the commune's. */
  local_answer: { decision: 'answer', outcome: 'answered' },
  /** A question about the centre itself, answered from the commune profile (src/assistant/steps/centre-info.ts). */
  centre_info: { decision: 'answer', outcome: 'answered' },
  clarification: { decision: 'clarify', outcome: 'clarified' },
  clarification_no_context: { decision: 'clarify', outcome: 'clarified' },
  unanswerable_no_match: { decision: 'no_answer', outcome: 'no_answer' },
  unanswerable_empty: { decision: 'no_answer', outcome: 'no_answer' },
  out_of_scope: { decision: 'out_of_scope', outcome: 'out_of_scope' },
  emergency: { decision: 'emergency', outcome: 'emergency' },
  handover_person: { decision: 'handoff', outcome: 'handover_requested' },
  handover_case_status: { decision: 'handoff', outcome: 'handover_requested' },
  guardrails_too_long: { decision: 'no_answer', outcome: 'guardrail_blocked' },
  guardrails_injection: { decision: 'out_of_scope', outcome: 'guardrail_blocked' },
  error: { decision: 'no_answer', outcome: 'error' },
} as const satisfies Record<string, { decision: Decision; outcome: Outcome }>;

export type Status = keyof typeof STATUSES;

/** Thresholds the steps share, named in one place. */
export const THRESHOLDS = {
  /** Search confidence at which a message clearly names another procedure than the one under discussion. */
  namesAnother: 0.8,
  /** Below this search confidence a message the rules called off-topic stays off-topic. */
  offTopicOverride: 0.8,
  /** Hits retrieval ranks for the eval's list; the steps read the first `decide` of them. */
  ranked: 10,
  decide: 5,
  /** Procedures whose records the answer (and the LLM) may use: the best and its close relatives. */
  contextRecords: 3,
} as const;
