import type { Api } from 'grammy';
import type { CallbackQuery } from 'grammy/types';
import type { Logger } from 'pino';
import { cleanText } from '../../channels/clean-text.ts';
import { safeErr } from '../../channels/telegram/errors.ts';
import type { StaffUser } from '../../domain/staff.ts';
import type { DeskResult, HandoverDesk } from '../../services/handover/types.ts';
import type { TicketBoard } from './board.ts';
import { type CardAction, parseAction } from './callback-data.ts';
import { ALERTS } from './texts.ts';

export interface StaffDirectory {
  /** The active staff account linked to this Telegram user, or null. */
  byTelegramId(telegramId: string): Promise<StaffUser | null>;
  list(): Promise<StaffUser[]>;
}

export interface ButtonDeps {
  /** For answerCallbackQuery: best without auto-retry, since a late answer is useless. */
  answerApi: Api;
  desk: HandoverDesk;
  users: StaffDirectory;
  board: TicketBoard;
  logger: Logger;
  /** The change is in the event log: the notifier edits the card and posts the line now. */
  changed: () => void;
}

type Answer = { text?: string; show_alert?: boolean };
const alert = (text: string): Answer => ({ text, show_alert: true });
const toast = (text: string): Answer => ({ text });

/**
 * A button pressed on a card. Only a Telegram user linked to an active staff account may act; anyone else gets an
 * alert and nothing changes. The change itself goes through the handover desk (claiming is one conditional update
 * there: whoever loses is told who won); the card is edited by the notifier from the resulting event, so the card
 * and the console always show the same truth. Every press is answered exactly once, also when something failed.
 */
export async function handleButton(d: ButtonDeps, q: CallbackQuery): Promise<void> {
  let answer: Answer = {};
  try {
    answer = await act(d, q);
  } catch (err) {
    // The press is answered either way; the staff member can press again (nothing was half done: the desk's
    // changes are transactions).
    d.logger.error({ err: safeErr(err, d.answerApi.token) }, 'Telegram staff desk: a button press failed');
    answer = alert(ALERTS.failed);
  }
  try {
    await d.answerApi.answerCallbackQuery(q.id, answer);
  } catch (err) {
    d.logger.warn({ err: safeErr(err, d.answerApi.token) }, 'Telegram staff desk: answerCallbackQuery failed');
  }
}

async function act(d: ButtonDeps, q: CallbackQuery): Promise<Answer> {
  const action = parseAction(cleanText(q.data ?? '', 64));
  const messageId = q.message?.message_id;
  if (!action || messageId === undefined) return {};
  const user = await d.users.byTelegramId(String(q.from.id));
  if (!user) return alert(ALERTS.notStaff);
  const id = action.ticketId;
  switch (action.kind) {
    case 'claim': {
      const r = await d.desk.claim(id, user);
      if (r.ok) {
        // the callback number goes only to the one who will call, in an alert nobody else sees (never in the group)
        const phone = r.ticket.callbackRequested ? await d.desk.callbackPhone(id) : null;
        return done(d, phone ? alert(ALERTS.claimedWithCallback(id, phone)) : toast(ALERTS.claimed(id)));
      }
      // A press delivered twice (or a double tap) finds the ticket already ours.
      if (r.reason === 'taken' && (await d.desk.getTicket(id))?.ownerId === user.id) return toast(ALERTS.alreadyYours);
      return refused(d, action, messageId, r);
    }
    case 'to_queue': {
      const r = await d.desk.release(id, user);
      return r.ok ? done(d, toast(ALERTS.released(id))) : refused(d, action, messageId, r);
    }
    case 'transfer': {
      const r = await d.desk.release(id, user, action.toUserId);
      return r.ok ? done(d, toast(ALERTS.transferred(id, r.ticket.ownerName ?? ''))) : refused(d, action, messageId, r);
    }
    case 'close': {
      const r = await d.desk.close(id, user, action.endStatus);
      return r.ok ? done(d, toast(ALERTS.closedAs(id, action.endStatus))) : refused(d, action, messageId, r);
    }
    case 'transfer_menu':
    case 'close_menu':
    case 'back': {
      const t = await d.desk.getTicket(id);
      if (!t) return alert(ALERTS.notFound);
      if (t.status === 'closed') return alert(ALERTS.closed);
      if (action.kind === 'back') {
        await d.board.showMenu(t, messageId, 'none');
        return {};
      }
      if (action.kind === 'close_menu') {
        await d.board.showMenu(t, messageId, 'close');
        return {};
      }
      const colleagues = (await d.users.list()).filter((u) => u.active && u.id !== user.id);
      if (!colleagues.length && t.status !== 'with_staff') return toast(ALERTS.noColleague);
      await d.board.showMenu(t, messageId, 'transfer', colleagues);
      return {};
    }
  }
}

function done(d: ButtonDeps, answer: Answer): Answer {
  d.changed();
  return answer;
}

/** A refused change: the alert says why, and the card's buttons go back to the ticket's state. */
async function refused(d: ButtonDeps, action: CardAction, messageId: number, r: Extract<DeskResult, { ok: false }>): Promise<Answer> {
  const t = await d.desk.getTicket(action.ticketId);
  if (t && action.kind !== 'claim') await d.board.showMenu(t, messageId, 'none');
  switch (r.reason) {
    case 'taken':
      return alert(ALERTS.taken(r.ownerName));
    case 'not_owner':
      return alert(ALERTS.notOwner);
    case 'closed':
      return alert(ALERTS.closed);
    case 'bad_target':
      return alert(ALERTS.badTarget);
    case 'not_found':
      return alert(ALERTS.notFound);
  }
}
