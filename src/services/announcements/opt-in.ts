import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { AnnouncementStore } from '../../storage/announcement-store.ts';
import { canPush, declinedMessage, noPushMessage, OPT_IN_CHOICE, OPT_OUT_CHOICE, offerMessage, optedInMessage, optedOutMessage } from './messages.ts';

export interface OptInContext {
  conversationId: string;
  channel: string;
  chatId: string;
  lang: Language;
}

/**
 * Citizens opting in and out of announcements: `/dangky`, `/huy`, and the choice offered once per conversation
 * (after a good rating or at /start). Nobody is subscribed without saying yes; an opt-out is stored at once, and a
 * send in progress checks it before each message. Web chat has no push channel: nothing is offered there.
 */
export class AnnouncementOptIn {
  constructor(private readonly store: AnnouncementStore) {}

  async command(command: 'dangky' | 'huy', ctx: OptInContext): Promise<ReplyMessage[]> {
    if (!canPush(ctx.channel)) return [noPushMessage(ctx.lang)];
    return [command === 'dangky' ? await this.optIn(ctx) : await this.optOut(ctx)];
  }

  /** A pressed "announce:yes" / "announce:no"; null for any other choice. */
  async choice(choice: string, ctx: OptInContext): Promise<ReplyMessage[] | null> {
    if (choice !== OPT_IN_CHOICE && choice !== OPT_OUT_CHOICE) return null;
    if (!canPush(ctx.channel)) return [noPushMessage(ctx.lang)];
    if (choice === OPT_IN_CHOICE) return [await this.optIn(ctx)];
    const before = await this.store.setSubscribed(ctx, false);
    return [before?.subscribed ? optedOutMessage(ctx.lang) : declinedMessage(ctx.lang)];
  }

  /** The offer, the first time only for this conversation (a conversation that already chose is never asked). */
  async offer(ctx: OptInContext): Promise<ReplyMessage | null> {
    if (!canPush(ctx.channel)) return null;
    return (await this.store.markOffered(ctx)) ? offerMessage(ctx.channel, ctx.lang) : null;
  }

  /** `offer` for a conversation flow's turn (the rating flow's `offerAfterGoodRating`). */
  offerForTurn(turn: { conversationId: string; channel: string; chatId?: string; state: { language: Language } }): Promise<ReplyMessage | null> {
    const chatId = turn.chatId ?? turn.conversationId.slice(turn.channel.length + 1);
    return this.offer({ conversationId: turn.conversationId, channel: turn.channel, chatId, lang: turn.state.language });
  }

  private async optIn(ctx: OptInContext): Promise<ReplyMessage> {
    const before = await this.store.setSubscribed(ctx, true);
    return optedInMessage(ctx.lang, !!before?.subscribed && !before.blocked);
  }

  private async optOut(ctx: OptInContext): Promise<ReplyMessage> {
    await this.store.setSubscribed(ctx, false);
    return optedOutMessage(ctx.lang);
  }
}
