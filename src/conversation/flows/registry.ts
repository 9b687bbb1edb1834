import type { ConversationStore } from '../../storage/conversation-store.ts';
import { type Flow, type FlowName, type FlowOutcome, type FlowTurn, flowOf } from './types.ts';

/**
 * The flows a conversation can be in, and the one place that asks the current flow and stores a hand-over.
 * A flow named in a stored state but not registered here (an older or newer version) falls back to `answering`.
 */
export class Flows {
  private readonly byName = new Map<FlowName, Flow>();

  constructor(
    flows: Flow[],
    private readonly conversations: ConversationStore,
  ) {
    for (const f of flows) this.byName.set(f.name, f);
    if (!this.byName.has('answering')) throw new Error('the answering flow is required');
  }

  /** Runs the conversation's current flow on one message; a hand-over is stored before the replies go out. */
  async handle(turn: Omit<FlowTurn, 'flow'>): Promise<FlowOutcome> {
    const state = flowOf(turn.state);
    const flow = this.byName.get(state.name) ?? this.byName.get('answering')!;
    const outcome = await flow.handle({ ...turn, flow: state });
    if (outcome.next) {
      await this.conversations.setFlow(turn.conversationId, turn.state.channel, {
        name: outcome.next.name,
        since: new Date().toISOString(),
        data: outcome.next.data ?? {},
      });
    }
    return outcome;
  }
}
