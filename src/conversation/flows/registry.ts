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
    let current = flowOf(turn.state);
    const replies: FlowOutcome['replies'] = [];
    // a message passed on is handled by the next flow at most twice, so two flows can never pass it back and forth
    for (let hop = 0; hop < 3; hop++) {
      const flow = this.byName.get(current.name) ?? this.byName.get('answering')!;
      const outcome = await flow.handle({ ...turn, flow: current });
      replies.push(...outcome.replies);
      // the answering flow keeps its own numbered choices (the assistant stores them); another flow's last message
      // sets them, so a number typed on Zalo picks from what the citizen last saw
      const owner = outcome.next?.name ?? flow.name; // the flow that will read the next message
      const choices = owner !== 'answering' && outcome.replies.length ? (outcome.replies.at(-1)!.choices ?? []) : undefined;
      if (outcome.next) {
        current = { name: outcome.next.name, since: current.name === outcome.next.name ? current.since : new Date().toISOString(), data: outcome.next.data ?? {} };
        await this.conversations.setFlow(turn.conversationId, turn.state.channel, current, choices);
      } else if (choices) {
        await this.conversations.setPendingChoices(turn.conversationId, choices);
      }
      if (!outcome.pass || !outcome.next) return { replies, next: outcome.next };
    }
    return { replies };
  }
}
