import type { HandoverService } from '../../services/handover/service.ts';
import type { Flow, FlowOutcome, FlowTurn } from './types.ts';
import { WaitingStaffFlow } from './waiting-staff.ts';

/**
 * A staff member owns the conversation: the bot says nothing, and the citizen's words go into the ticket for the
 * staff desks to show; the citizen can go back to the bot at any time (the ticket closes as "citizen left"). The
 * same handling as waiting (the ticket, not the flow's name, decides: a ticket handed back to the queue is waiting
 * again). The engine also checks ownership before every bot message it sends, including replies recovered after
 * a restart. Without a handover service (the engine tested alone) it is simply silent.
 */
export class WithStaffFlow implements Flow {
  readonly name = 'with_staff' as const;
  private readonly waiting: WaitingStaffFlow | null;
  constructor(handover?: HandoverService) {
    this.waiting = handover ? new WaitingStaffFlow(handover) : null;
  }

  async handle(turn: FlowTurn): Promise<FlowOutcome> {
    return this.waiting ? this.waiting.handle(turn) : { replies: [] };
  }
}
