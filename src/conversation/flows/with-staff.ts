import type { Flow, FlowOutcome } from './types.ts';

/**
 * A staff member owns the conversation: the bot says nothing (the handover service relays messages both ways).
 * Checked before every bot message, including replies recovered after a restart.
 */
export class WithStaffFlow implements Flow {
  readonly name = 'with_staff' as const;
  async handle(): Promise<FlowOutcome> {
    return { replies: [] };
  }
}
