import { parseChoiceId } from '../../domain/types.ts';
import * as say from '../../services/handover/messages.ts';
import type { HandoverService } from '../../services/handover/service.ts';
import { sourceKeyOf, textForStaff, wantsBot } from './staff-turn.ts';
import type { Flow, FlowName, FlowOutcome, FlowTurn } from './types.ts';

interface WaitingData {
  /** Asking for the callback number (after the citizen chose to leave one). */
  stage?: 'phone';
  phoneTries?: number;
  /** The ticket whose first relayed message was acknowledged (later ones are relayed quietly). */
  acked?: number;
}

/**
 * A handover is open. While the ticket waits, the citizen's words go into it (the first one acknowledged), they
 * can ask for a callback (a number given after an explicit consent sentence, kept only in the ticket), keep waiting
 * or go back to the bot. Once a staff member owns it the bot is silent and only relays. The ticket decides which of
 * these applies, not the flow's name (a claim may land between two messages); a closed ticket sends the message on
 * to answering.
 */
export class WaitingStaffFlow implements Flow {
  readonly name: FlowName = 'waiting_staff';
  constructor(private readonly handover: HandoverService) {}

  async handle(turn: FlowTurn): Promise<FlowOutcome> {
    const h = this.handover;
    const lang = turn.state.language;
    if (wantsBot(turn)) {
      await h.citizenLeft(turn.conversationId);
      return { replies: [say.leftMessage(lang)], next: { name: 'answering', data: {} } };
    }
    const ticket = await h.openTicket(turn.conversationId);
    if (!ticket) return { replies: [], next: { name: 'answering', data: {} }, pass: true };
    const data = turn.flow.data as WaitingData;
    const stay = (d: WaitingData) => ({ name: turn.flow.name, data: d as Record<string, unknown> });
    const relay = async () => {
      const text = textForStaff(turn);
      if (text) await h.citizenMessage(turn.conversationId, text, sourceKeyOf(turn));
      return !!text;
    };

    if (ticket.status === 'with_staff') {
      await relay();
      return { replies: [] };
    }

    const picked = turn.choice ? parseChoiceId(turn.choice).kind : null;
    if (data.stage === 'phone') {
      if (picked === 'skip' || picked === 'wait') return { replies: [say.stillWaitingMessage(lang)], next: stay({ acked: data.acked }) };
      const phone = say.parsePhone(turn.text ?? '');
      if (phone) {
        await h.requestCallback(turn.conversationId, phone);
        return { replies: [say.phoneSavedMessage(lang, h.opening())], next: stay({ acked: data.acked }) };
      }
      if (!picked && (data.phoneTries ?? 0) < 1) return { replies: [say.badPhoneMessage(lang)], next: stay({ ...data, phoneTries: 1 }) };
      // a second message that is not a number is a message for staff
    }
    if (picked === 'callback') return { replies: [say.askPhoneMessage(lang, h.retentionDays)], next: stay({ acked: data.acked, stage: 'phone' }) };
    const position = async () => (await h.getTicket(ticket.id))?.position ?? null;
    if (picked === 'wait' || picked === 'staff' || turn.command === 'canbo') return { replies: [say.alreadyWaitingMessage(lang, await position())], next: stay({ acked: data.acked }) };
    if (turn.command) return { replies: [say.stillWaitingMessage(lang)] };
    if (picked) return { replies: [say.stillWaitingMessage(lang)] }; // an old button from before the handover

    const relayed = await relay();
    if (relayed && data.acked !== ticket.id) return { replies: [say.relayedMessage(lang)], next: stay({ acked: ticket.id }) };
    return { replies: [], ...(data.stage ? { next: stay({ acked: data.acked }) } : {}) };
  }
}
