import { z } from 'zod';
import type { ReplyMessage } from '../../domain/types.ts';
import type { ConversationState } from '../../storage/conversation-store.ts';

/**
 * A conversation is in one flow at a time, and the flow decides what the next message means: `answering`
 * (questions about procedures, the default), `guide` (guided submission), `waiting_staff` and `with_staff` (a
 * handover), `rating` (the satisfaction question). The engine asks the current flow; a flow may hand over to
 * another by naming it in its outcome. New flows are added here and in the registry, nothing else changes.
 */
export const FlowNameSchema = z.enum(['answering', 'guide', 'waiting_staff', 'with_staff', 'rating']);
export type FlowName = z.infer<typeof FlowNameSchema>;

/** What the conversation stores about its flow (conversations.flow, JSON). */
export const FlowStateSchema = z.looseObject({
  name: FlowNameSchema.default('answering'),
  /** When the flow started (ISO), for resuming ("continue the guide from last week?"). */
  since: z.string().optional(),
  /** The flow's own data (the guide's answers, the ticket id…). */
  data: z.record(z.string(), z.unknown()).default({}),
});
export type FlowState = z.infer<typeof FlowStateSchema>;

/** One citizen message, channel-neutral, as a flow receives it. */
export interface FlowTurn {
  conversationId: string;
  channel: string;
  /** Where replies go on the channel (for notices sent later, e.g. by the handover). */
  chatId?: string;
  /** The platform update this turn answers: a flow storing something per message keys it on this (stored once). */
  updateKey?: string;
  /** What the citizen typed; absent for a pressed button. */
  text?: string;
  /** A command the flow answers itself (`/canbo`, `/bot`), without the slash. */
  command?: string;
  /** A sticker, photo or anything else the bot cannot read. */
  unsupported?: boolean;
  /** Id of the choice pressed ("proc:1.001193", "aspect:fee"). */
  choice?: string;
  state: ConversationState;
  flow: FlowState;
}

export interface FlowOutcome {
  replies: ReplyMessage[];
  /** Hand the conversation to another flow, or keep this one with new data (stored before the replies are sent). */
  next?: { name: FlowName; data?: Record<string, unknown> };
  /**
   * The message is not this flow's ("what about the fee?" while a rating is asked): the flow named in `next` takes
   * it as if it had been current, and its replies follow this flow's.
   */
  pass?: boolean;
}

export interface Flow {
  readonly name: FlowName;
  handle(turn: FlowTurn): Promise<FlowOutcome>;
}

/** The flow a stored state names; an unknown or missing one is `answering`. A staff owner (older rows) is `with_staff`. */
export function flowOf(state: ConversationState): FlowState {
  const raw = state.flow ?? {};
  if (raw.owner === 'staff' && !raw.name) return { name: 'with_staff', data: {} };
  const parsed = FlowStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : { name: 'answering', data: {} };
}
