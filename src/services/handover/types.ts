import type { EndStatus, StaffUser, Ticket, TicketEvent, TicketStatus } from '../../domain/staff.ts';

/**
 * What the staff desks (the Telegram staff group, the web console) and the reports ask of the handover service.
 * Every change is stored (with its ticket event and, where the citizen is told, its outbox message, in one
 * transaction) before the call resolves; the citizen's messages reach the desks as `citizen_message` events.
 */
export type DeskResult =
  | { ok: true; ticket: Ticket }
  | {
      ok: false;
      /**
       * not_found; taken (someone else owns it: `ownerName`); not_owner (only the owner may reply or close; an
       * admin may release or close any); closed (already closed); bad_target (transfer to an unknown or inactive
       * account).
       */
      reason: 'not_found' | 'taken' | 'not_owner' | 'closed' | 'bad_target';
      ownerName?: string | null;
    };

export interface TicketWithQueue extends Ticket {
  /** 1 for the first in the queue; null unless waiting. */
  position: number | null;
  /** Estimated wait in minutes from recent handling times; null when too few to estimate or not waiting. */
  estimatedWaitMinutes: number | null;
}

export interface TicketFilter {
  /** 'open' = waiting or with_staff (the default). */
  status?: TicketStatus | 'open' | 'all';
  /** Only tickets this user owns. */
  ownerId?: number;
  /** Only flagged ones (a low rating). */
  flagged?: boolean;
  limit?: number;
}

export interface HandoverDesk {
  listTickets(filter?: TicketFilter): Promise<TicketWithQueue[]>;
  getTicket(id: number): Promise<TicketWithQueue | null>;
  /** The ticket's log, oldest first (transcript and changes). */
  ticketEvents(ticketId: number, afterId?: number): Promise<TicketEvent[]>;
  /** All tickets' events after `afterId`, oldest first: for live updates and the Telegram desk. */
  eventsAfter(afterId: number, limit?: number): Promise<TicketEvent[]>;
  /** Race-safe: one conditional update; the loser gets `taken` with the owner's name. */
  claim(ticketId: number, user: StaffUser): Promise<DeskResult>;
  /** Back to the queue, or to a colleague (`toUserId`): they own it at once. */
  release(ticketId: number, user: StaffUser, toUserId?: number): Promise<DeskResult>;
  close(ticketId: number, user: StaffUser, endStatus: EndStatus): Promise<DeskResult>;
  /**
   * The owner's message to the citizen, through the same outbox as bot replies. `sourceKey` (the Telegram update
   * id, the console's message id) makes a retried call store it once.
   */
  reply(ticketId: number, user: StaffUser, text: string, sourceKey: string): Promise<DeskResult>;
  /** The Telegram desk records the forum topic and card it posted (or null them when the topic is gone). */
  setTelegramTopic(ticketId: number, threadId: number | null, cardMessageId: number | null): Promise<void>;
  /** The ticket whose Telegram topic (or card message, in a group without topics) this is. */
  ticketByTelegram(ref: { threadId?: number; cardMessageId?: number }): Promise<Ticket | null>;
  /** The callback number, for the staff who own the ticket (never logged). */
  callbackPhone(ticketId: number): Promise<string | null>;
}
