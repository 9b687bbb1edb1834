import type { Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { Logger } from 'pino';
import { cleanText } from '../../channels/clean-text.ts';
import { safeErr } from '../../channels/telegram/errors.ts';
import { INBOUND_TEXT_MAX } from '../../channels/types.ts';
import type { Ticket } from '../../domain/staff.ts';
import { formatLocalTime } from '../../services/handover/hours.ts';
import type { HandoverDesk } from '../../services/handover/types.ts';
import type { StaffDirectory } from './buttons.ts';
import { TELEGRAM_TEXT_LIMIT, taggedTicketId } from './card.ts';
import { channelLabel, QUEUE, REFUSALS } from './texts.ts';

export interface StaffMessageDeps {
  api: Api;
  chatId: string;
  /** The bot's own user id: a reply to one of its messages in a group without topics names the ticket. */
  botId: number;
  botUsername?: string;
  desk: HandoverDesk;
  users: StaffDirectory;
  logger: Logger;
}

/** Content a staff member may send that cannot be relayed to a citizen (yet). */
const NON_TEXT = ['photo', 'document', 'sticker', 'voice', 'audio', 'video', 'video_note', 'animation', 'location', 'contact', 'poll'] as const;
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)/;
const REFUSED_MEMORY = 1_000;

/**
 * What staff write in the group. A text in a ticket's topic, or a reply to one of the desk's messages about a
 * ticket in a group without topics, goes to the citizen through `desk.reply` (the same outbox as the bot's
 * replies; the update id as source key, so a redelivered update is relayed once) — only from the ticket's owner;
 * anyone else gets a short refusal in the topic. People not linked to an active staff account are never relayed
 * and are told once. Service messages (topic created or closed, members joining) and chatter outside tickets are
 * left alone. `/hangcho` lists the waiting tickets.
 */
export class StaffMessages {
  /** Telegram users already told they are not staff (this process: told again after a restart at most). */
  private readonly toldNotStaff = new Set<string>();

  constructor(private readonly d: StaffMessageDeps) {}

  async handle(m: Message, updateId: number): Promise<void> {
    if (!m.from || m.from.is_bot) return;
    const rawText = typeof m.text === 'string' ? m.text : null;
    const hasOther = NON_TEXT.some((k) => (m as unknown as Record<string, unknown>)[k] !== undefined);
    if (rawText === null && !hasOther) return; // a service message
    // Staff are not citizens, but what they type is relayed and stored all the same: cleaned at the boundary.
    const text = rawText === null ? '' : cleanText(rawText, INBOUND_TEXT_MAX).trim();
    const cmd = COMMAND.exec(text);
    if (cmd) {
      const addressee = cmd[2];
      if (addressee && this.d.botUsername && addressee.toLowerCase() !== this.d.botUsername.toLowerCase()) return;
      if (cmd[1]!.toLowerCase() === 'hangcho') await this.queue(m);
      return; // commands are for the bot, never for a citizen
    }
    const ticket = await this.ticketOf(m);
    if (!ticket) return; // staff talking among themselves
    const user = await this.d.users.byTelegramId(String(m.from.id));
    if (!user) {
      const who = String(m.from.id);
      if (this.toldNotStaff.has(who)) return;
      if (this.toldNotStaff.size >= REFUSED_MEMORY) this.toldNotStaff.clear();
      this.toldNotStaff.add(who);
      return this.say(m, REFUSALS.notStaff);
    }
    if (!text) return this.say(m, REFUSALS.textOnly);
    const r = await this.d.desk.reply(ticket.id, user, text, `tg:${updateId}`);
    if (r.ok) return;
    if (r.reason === 'closed') return this.say(m, REFUSALS.closed);
    if (r.reason === 'not_owner') return this.say(m, r.ownerName ? REFUSALS.otherOwner(r.ownerName) : REFUSALS.claimFirst);
  }

  /** The ticket this message belongs to: its topic, or (without topics) the desk's message it replies to. */
  private async ticketOf(m: Message): Promise<Ticket | null> {
    if (m.is_topic_message && m.message_thread_id !== undefined) return this.d.desk.ticketByTelegram({ threadId: m.message_thread_id });
    const replied = m.reply_to_message;
    if (!replied || replied.from?.id !== this.d.botId) return null;
    const byCard = await this.d.desk.ticketByTelegram({ cardMessageId: replied.message_id });
    if (byCard) return byCard;
    const id = taggedTicketId(replied.text);
    return id === null ? null : this.d.desk.getTicket(id);
  }

  private async queue(m: Message): Promise<void> {
    if (!m.from || !(await this.d.users.byTelegramId(String(m.from.id)))) return this.say(m, REFUSALS.notStaff);
    const waiting = await this.d.desk.listTickets({ status: 'waiting', limit: 30 });
    if (!waiting.length) return this.say(m, QUEUE.empty);
    const lines = waiting.map(
      (t) => `${t.position ?? '–'}. #${t.id} · ${channelLabel(t.channel)} · chờ từ ${formatLocalTime(new Date(t.createdAt))}${t.procedureCode ? ` · ${t.procedureCode}` : ''}`,
    );
    return this.say(m, [QUEUE.title(waiting.length), ...lines].join('\n').slice(0, TELEGRAM_TEXT_LIMIT));
  }

  /** A short answer under the staff member's message, in the same topic; failures are only logged. */
  private async say(m: Message, text: string): Promise<void> {
    try {
      await this.d.api.sendMessage(this.d.chatId, text, {
        ...(m.is_topic_message && m.message_thread_id !== undefined ? { message_thread_id: m.message_thread_id } : {}),
        reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true },
      });
    } catch (err) {
      this.d.logger.warn({ err: safeErr(err, this.d.api.token) }, 'Telegram staff desk: could not answer a staff message');
    }
  }
}
