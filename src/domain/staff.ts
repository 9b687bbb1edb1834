import { z } from 'zod';

/**
 * The staff side of the product, channel-neutral: accounts and their roles, handover tickets and what happens to
 * them. The handover service, the staff desks (Telegram group, web console), the reports and storage all import
 * these from here.
 */

/** `staff`: tickets, replies (dossier status later). `admin`: everything, users, knowledge, reports. */
export const RoleSchema = z.enum(['staff', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** A signed-in staff member or admin, as routes and services see them (never the password hash). */
export const StaffUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  telegramId: z.string().nullable(),
  active: z.boolean(),
});
export type StaffUser = z.infer<typeof StaffUserSchema>;

/** bot → waiting → with_staff (one owner) → closed. */
export const TicketStatusSchema = z.enum(['waiting', 'with_staff', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

/** How a ticket ended (Bürokratt's end statuses). */
export const EndStatusSchema = z.enum(['resolved', 'referred', 'citizen_left', 'callback_arranged', 'no_answer', 'abuse']);
export type EndStatus = z.infer<typeof EndStatusSchema>;

/** The end statuses in Vietnamese, as staff pick them and reports show them. */
export const END_STATUS_LABELS: Record<EndStatus, string> = {
  resolved: 'Đã giải quyết',
  referred: 'Chuyển nơi khác',
  citizen_left: 'Người dân rời đi',
  callback_arranged: 'Đã hẹn gọi lại',
  no_answer: 'Người dân không trả lời',
  abuse: 'Lạm dụng',
};

/** Why the ticket was opened. */
/** low_rating: not a request, a closed entry flagged for the centre's lead after a poor rating of a bot answer. */
export const TicketReasonSchema = z.enum(['asked_for_person', 'no_answer', 'case_status', 'choice', 'low_rating']);
export type TicketReason = z.infer<typeof TicketReasonSchema>;

export interface Ticket {
  id: number;
  conversationId: string;
  /** The citizen's channel: telegram, zalo, web. */
  channel: string;
  chatId: string;
  status: TicketStatus;
  reason: TicketReason;
  /** The procedure under discussion when the ticket opened, if any. */
  procedureCode: string | null;
  /** A short, redacted summary of what the citizen wants (their last messages). */
  summary: string;
  ownerId: number | null;
  /** The owner's display name, joined from users. */
  ownerName: string | null;
  endStatus: EndStatus | null;
  /** Opened outside working hours. */
  afterHours: boolean;
  /** The citizen asked to be called back (the number itself is only in `TicketStore.callbackPhone`). */
  callbackRequested: boolean;
  /** A rating of Không hài lòng or worse was given for this ticket or its conversation: for the centre's lead. */
  flagged: boolean;
  createdAt: string;
  claimedAt: string | null;
  closedAt: string | null;
  /** Telegram staff desk: the forum topic and the card message, once posted. */
  telegramThreadId: number | null;
  telegramCardMessageId: number | null;
}

/**
 * What happens to a ticket, in order: the transcript (citizen and staff messages, redacted) and every change.
 * The staff desks read this log after their stored cursor, so nothing is posted twice or lost across a restart.
 */
export const TicketEventKindSchema = z.enum([
  'opened',
  'citizen_message',
  'staff_message',
  'bot_message',
  'claimed',
  'released',
  'transferred',
  'closed',
  'callback_requested',
]);
export type TicketEventKind = z.infer<typeof TicketEventKindSchema>;

export interface TicketEvent {
  id: number;
  ticketId: number;
  kind: TicketEventKind;
  /** Staff member who acted, if any. */
  actorId: number | null;
  actorName: string | null;
  /** Redacted message text, or a short description of the change. */
  text: string | null;
  /** transferred: { toId }; closed: { endStatus }; … */
  data: Record<string, unknown>;
  createdAt: string;
}
