import { z } from 'zod';
import type { ReplyMessage } from '../domain/types.ts';

/**
 * The seam between platforms and the conversation engine. An adapter turns a platform update into an
 * `InboundEvent`, every string from outside passed through `cleanText` (./clean-text.ts) so that no content can make
 * storing it fail, and hands it to the engine's `accept`; the engine answers through the adapter's `ChannelSender`,
 * which renders channel-neutral `ReplyMessage`s within the platform's limits. Nothing below this seam knows which
 * platform a conversation is on.
 */
export const ChannelNameSchema = z.enum(['telegram', 'zalo', 'web']);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

/** The longest text and choice an event carries; adapters cut longer ones (`cleanText(raw, INBOUND_TEXT_MAX)`). */
export const INBOUND_TEXT_MAX = 20_000;
export const INBOUND_CHOICE_MAX = 200;

export const InboundEventSchema = z.object({
  channel: ChannelNameSchema,
  /** Unique per platform update, for exactly-once processing: Telegram update_id, Zalo event_name:message_id. */
  updateKey: z.string().min(1).max(200),
  /**
   * The platform's own order of this update within its conversation: Telegram's update_id, Zalo's message time
   * (ms), the web page's message counter. The engine answers a conversation's pending updates lowest first, so
   * messages delivered concurrently (Telegram webhooks are) are answered in the order they were sent, not in the
   * order their requests happened to be stored. Compared only among the pending updates of one conversation (so of
   * one channel), never with processed ones: a late update is not dropped, and Telegram choosing a random update_id
   * after a week without updates does no harm. Absent when the platform gave none; then arrival order decides.
   */
  sequence: z.number().int().optional(),
  /** Where replies go (Telegram chat id, Zalo chat id, web conversation id). */
  chatId: z.string().min(1).max(200),
  userId: z.string().max(200).nullable(),
  /** text: typed words; choice: a pressed button (its id); command: /start, /help, /menu, /lienhe; unsupported: stickers, photos, … */
  kind: z.enum(['text', 'choice', 'command', 'unsupported']),
  text: z.string().max(INBOUND_TEXT_MAX).optional(),
  choice: z.string().max(INBOUND_CHOICE_MAX).optional(),
  /** Without the slash, lowercase: "start", "help", "menu", "lienhe". */
  command: z.string().max(64).optional(),
  receivedAt: z.coerce.date(),
});
export type InboundEvent = z.infer<typeof InboundEventSchema>;

/** What `accept` says about an update: stored for processing, or already seen (a platform retry). */
export type AcceptResult = 'accepted' | 'duplicate';

/** The engine as an adapter sees it. `accept` stores the event before resolving; it throws when it cannot. */
export interface EventSink {
  accept(event: InboundEvent): Promise<AcceptResult>;
}

/** Sending replies on one platform. */
export interface ChannelSender {
  readonly channel: ChannelName;
  /** Sends one message, split at sentence or line boundaries when the platform limit requires it. */
  send(chatId: string, message: ReplyMessage): Promise<void>;
  /** Shows "typing…" while the answer is being prepared; best effort. */
  typing?(chatId: string): Promise<void>;
}

export const conversationIdOf = (e: Pick<InboundEvent, 'channel' | 'chatId'>) => `${e.channel}:${e.chatId}`;
