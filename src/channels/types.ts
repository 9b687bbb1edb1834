import { z } from 'zod';
import type { ReplyMessage } from '../assistant/types.ts';

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
