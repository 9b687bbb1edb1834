import type { Api } from 'grammy';
import type { Logger } from 'pino';
import { splitText } from '../../channels/split-text.ts';
import { safeErr } from '../../channels/telegram/errors.ts';
import type { StaffUser, Ticket } from '../../domain/staff.ts';
import type { HandoverDesk } from '../../services/handover/types.ts';
import { isMessageGone, isNotForum, isNotModified, isThreadGone, isTopicClosed, transience } from './api-errors.ts';
import { type CardMenu, cardKeyboard, renderCard, TELEGRAM_TEXT_LIMIT, ticketTag, topicName } from './card.ts';

export interface BoardDeps {
  api: Api;
  chatId: string;
  desk: HandoverDesk;
  /** The procedure's title for the topic name and the card (the knowledge base's records). */
  procedures?: { get(code: string): Promise<{ title: string } | null> };
  logger: Logger;
}

/**
 * Where tickets live in the staff group: each in its own forum topic, opened by its card; or, in a group without
 * topics, a card in the group that everything about the ticket replies to. This is the only place that talks to
 * Telegram about topics and cards, and it heals what staff undid: a deleted topic is created again with a fresh
 * card, a closed one reopened, a deleted card posted again. Every id it gets from Telegram is recorded with
 * `desk.setTelegramTopic` before the next call, so a restart carries on in the same topic.
 */
export class TicketBoard {
  /** Learnt from the first createForumTopic: null until then. A group can be switched to topics later: a restart asks again. */
  private forum: boolean | null = null;

  constructor(private readonly d: BoardDeps) {}

  /** The ticket's card, posted first if it has none: the card shows the transcript up to event `upTo`. */
  async ensureCard(t: Ticket, upTo: number): Promise<Ticket> {
    if (t.telegramCardMessageId !== null) return t;
    if (t.telegramThreadId !== null) {
      // The topic was created but the card not posted (a crash or an error in between): post it there.
      try {
        return await this.recordCard(t, t.telegramThreadId, await this.sendCard(t, t.telegramThreadId, upTo));
      } catch (err) {
        if (!isThreadGone(err) && !isTopicClosed(err)) throw err;
        const healed = await this.recover(t, err, upTo);
        if (healed.telegramCardMessageId !== null) return healed;
        return this.recordCard(healed, healed.telegramThreadId, await this.sendCard(healed, healed.telegramThreadId, upTo));
      }
    }
    return this.newCard(t, upTo);
  }

  /** A line about the ticket: in its topic, or as a reply to its card; long texts in several messages. */
  async postLine(t: Ticket, text: string, upTo: number): Promise<Ticket> {
    let placed = await this.ensureCard(t, upTo);
    for (const part of splitText(text, TELEGRAM_TEXT_LIMIT - 24)) {
      try {
        await this.send(placed, part);
      } catch (err) {
        if (!isThreadGone(err) && !isTopicClosed(err)) throw err;
        placed = await this.recover(placed, err, upTo);
        await this.send(placed, part);
      }
    }
    return placed;
  }

  /** The card edited to the ticket's state (owner, buttons); a card that was deleted is posted again. */
  async refreshCard(t: Ticket, upTo: number): Promise<Ticket> {
    if (t.telegramCardMessageId === null) return this.ensureCard(t, upTo);
    try {
      await this.d.api.editMessageText(this.d.chatId, t.telegramCardMessageId, await this.cardText(t, upTo), { reply_markup: cardKeyboard(t) });
      return t;
    } catch (err) {
      // Already shows this (the event is posted again after a restart): nothing to do.
      if (isNotModified(err)) return t;
      if (!isMessageGone(err) && !isThreadGone(err)) throw err;
    }
    this.d.logger.info({ ticketId: t.id }, 'Telegram staff desk: the card was deleted; posting it again');
    const gone = { ...t, telegramCardMessageId: null };
    if (gone.telegramThreadId === null) return this.recordCard(gone, null, await this.sendCard(gone, null, upTo));
    return this.ensureCard(gone, upTo);
  }

  /** After the ticket closed: its topic is closed too (best effort: the card already says it is closed). */
  async closeTopic(t: Ticket): Promise<void> {
    if (t.telegramThreadId === null) return;
    try {
      await this.d.api.closeForumTopic(this.d.chatId, t.telegramThreadId);
    } catch (err) {
      if (transience(err).transient) throw err;
      if (!isNotModified(err)) this.d.logger.info({ ticketId: t.id, err: safeErr(err, this.d.api.token) }, 'Telegram staff desk: could not close the topic');
    }
  }

  /** Shows or hides a menu (Chuyển, Đóng) under a card; a failure only leaves the buttons as they were. */
  async showMenu(t: Ticket, messageId: number, menu: CardMenu, colleagues: StaffUser[] = []): Promise<void> {
    try {
      await this.d.api.editMessageReplyMarkup(this.d.chatId, messageId, { reply_markup: cardKeyboard(t, menu, colleagues) });
    } catch (err) {
      if (!isNotModified(err)) this.d.logger.warn({ ticketId: t.id, err: safeErr(err, this.d.api.token) }, 'Telegram staff desk: could not change the card buttons');
    }
  }

  private async newCard(t: Ticket, upTo: number): Promise<Ticket> {
    let threadId: number | null = null;
    if (this.forum !== false) {
      try {
        const topic = await this.d.api.createForumTopic(this.d.chatId, topicName(t, await this.procedureTitle(t)));
        threadId = topic.message_thread_id;
        this.forum = true;
        // Recorded at once, so a failure before the card is posted does not leave an orphan topic behind.
        await this.d.desk.setTelegramTopic(t.id, threadId, null);
      } catch (err) {
        if (!isNotForum(err)) throw err;
        this.forum = false;
        this.d.logger.info('Telegram staff desk: the staff group has no topics; cards go in the group and staff reply to them');
      }
    }
    return this.recordCard({ ...t, telegramThreadId: threadId }, threadId, await this.sendCard({ ...t, telegramThreadId: threadId }, threadId, upTo));
  }

  private async recordCard(t: Ticket, threadId: number | null, cardId: number): Promise<Ticket> {
    await this.d.desk.setTelegramTopic(t.id, threadId, cardId);
    return { ...t, telegramThreadId: threadId, telegramCardMessageId: cardId };
  }

  /** Posting failed because staff closed or deleted the topic: reopen a closed one, else start a new topic. */
  private async recover(t: Ticket, err: unknown, upTo: number): Promise<Ticket> {
    if (isTopicClosed(err) && t.telegramThreadId !== null) {
      try {
        await this.d.api.reopenForumTopic(this.d.chatId, t.telegramThreadId);
        this.d.logger.info({ ticketId: t.id }, 'Telegram staff desk: the ticket’s topic was closed; reopened it');
        return t;
      } catch (reopenErr) {
        if (transience(reopenErr).transient) throw reopenErr;
        if (isNotModified(reopenErr)) return t; // reopened meanwhile
      }
    }
    this.d.logger.info({ ticketId: t.id }, 'Telegram staff desk: the ticket’s topic is gone; creating it again');
    await this.d.desk.setTelegramTopic(t.id, null, null);
    return this.newCard({ ...t, telegramThreadId: null, telegramCardMessageId: null }, upTo);
  }

  private async send(t: Ticket, text: string): Promise<void> {
    if (t.telegramThreadId !== null) {
      await this.d.api.sendMessage(this.d.chatId, text, { message_thread_id: t.telegramThreadId });
      return;
    }
    // Without topics every line names its ticket and replies to the card, so a reply to any of them finds it.
    await this.d.api.sendMessage(this.d.chatId, `${ticketTag(t.id)} · ${text}`, {
      ...(t.telegramCardMessageId !== null ? { reply_parameters: { message_id: t.telegramCardMessageId, allow_sending_without_reply: true } } : {}),
    });
  }

  private async sendCard(t: Ticket, threadId: number | null, upTo: number): Promise<number> {
    const m = await this.d.api.sendMessage(this.d.chatId, await this.cardText(t, upTo, threadId !== null), {
      ...(threadId !== null ? { message_thread_id: threadId } : {}),
      reply_markup: cardKeyboard(t),
    });
    return m.message_id;
  }

  private async cardText(t: Ticket, upTo: number, inTopic = t.telegramThreadId !== null): Promise<string> {
    const events = (await this.d.desk.ticketEvents(t.id)).filter((e) => e.id <= upTo);
    return renderCard(t, { procedureTitle: await this.procedureTitle(t), events, inTopic });
  }

  private async procedureTitle(t: Ticket): Promise<string | null> {
    if (!t.procedureCode || !this.d.procedures) return null;
    return (await this.d.procedures.get(t.procedureCode))?.title ?? null;
  }
}
