import type { Assistant } from '../../assistant/assistant.ts';
import type { Flow, FlowOutcome, FlowTurn } from './types.ts';

/**
 * The default flow: every message goes through the assistant's steps, which keep the procedure under discussion,
 * resolve follow-ups against it, and answer a wish to act with how to submit it.
 */
export class AnsweringFlow implements Flow {
  readonly name = 'answering' as const;
  constructor(private readonly assistant: Assistant | Promise<Assistant>) {}

  async handle(turn: FlowTurn): Promise<FlowOutcome> {
    const assistant = await this.assistant;
    const reply = await assistant.handle({ conversationId: turn.conversationId, channel: turn.channel, text: turn.text, choice: turn.choice });
    return { replies: reply.messages };
  }
}
