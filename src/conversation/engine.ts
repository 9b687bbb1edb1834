import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Assistant } from '../assistant/assistant.ts';
import { errorReply } from '../assistant/answer/replies.ts';
import { redactPersonalData } from '../assistant/guardrails/pii.ts';
import type { ReplyMessage } from '../domain/types.ts';
import { type AcceptResult, type ChannelName, type ChannelSender, conversationIdOf, type EventSink, type InboundEvent, InboundEventSchema } from '../channels/types.ts';
import { fold } from '../retrieval/text.ts';
import type { ConversationStore } from '../storage/conversation-store.ts';
import { type Command, FLOW_COMMANDS, SUBSCRIPTION_COMMANDS } from '../domain/commands.ts';
import { type CommandReply, Commands } from './commands.ts';
import { AnsweringFlow } from './flows/answering.ts';
import { Flows } from './flows/registry.ts';
import { flowOf } from './flows/types.ts';
import { WithStaffFlow } from './flows/with-staff.ts';
import type { Inbox, StoredUpdate } from './inbox.ts';
import { Semaphore } from '../util/semaphore.ts';

export interface EngineDeps {
  inbox: Inbox;
  /** May still be loading (first start indexes the listing): updates are stored meanwhile and answered once it is. */
  assistant: Assistant | Promise<Assistant>;
  commands: Commands;
  conversations: ConversationStore;
  /** The conversation flows; by default answering (the assistant) and with staff (silent). */
  flows?: Flows;
  senders: Partial<Record<ChannelName, ChannelSender>>;
  logger: Logger;
  /**
   * True while a staff member owns the conversation: the bot's replies are then withheld, checked before each is
   * sent (a reply stored before a claim, or recovered after a restart, never reaches a citizen talking to a person).
   */
  ownedByStaff?: (conversationId: string) => Promise<boolean>;
  /** Identifies this process in conversation leases. */
  instanceId?: string;
  /** How long a conversation stays with this instance while it works on it. */
  leaseMs?: number;
  /** Attempts before an update or a reply is given up (the citizen then gets an apology). */
  maxAttempts?: number;
  /**
   * Conversations worked on at once. Answering is CPU and database work; bounding it keeps a connection and
   * event-loop time free for storing new updates, so webhooks stay fast under load (measured by `npm run bench`).
   */
  maxConcurrent?: number;
  /**
   * Messages one conversation may send per minute before the bot slows it down: the message over the limit gets a
   * polite request to slow down (and every tenth after it), the others are stored but not answered, so a flood
   * costs neither the assistant's time nor staff's attention, and the citizen is never met with silence alone.
   */
  floodLimitPerMinute?: number;
}

function slowDownReply(): ReplyMessage {
  return { text: 'Bạn đang gửi tin nhắn quá nhanh. Vui lòng chờ một phút rồi gửi lại câu hỏi của bạn.' };
}

/** The web channel answers in the HTTP response; an update that could not be processed there is an error. */
export class EngineBusyError extends Error {}

/**
 * The channel-neutral conversation engine. Every update is stored before anything else (`accept`), processed
 * exactly once and in order per conversation (the platform's order, `InboundEvent.sequence`; an in-process queue
 * per conversation, and a database lease so two instances never work on the same conversation at once), and its
 * replies are stored before they are sent, so a crash or restart resumes where it stopped. Conversations are
 * processed in parallel with each other.
 *
 * Each message goes to the conversation's current flow (`flows/`): answering runs the assistant; with staff the
 * bot is silent; the guided submission, the handover and the rating add their flows to the registry.
 */
export class ConversationEngine implements EventSink {
  private readonly queues = new Map<string, Promise<void>>();
  /** Stores under way in this process, per conversation (see `storesSettled`). */
  private readonly storing = new Map<string, Set<Promise<boolean>>>();
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly slots: Semaphore;
  private readonly flows: Flows;

  constructor(private readonly deps: EngineDeps) {
    this.owner = deps.instanceId ?? `engine-${randomUUID()}`;
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.maxAttempts = deps.maxAttempts ?? 5;
    this.slots = new Semaphore(deps.maxConcurrent ?? 2);
    this.flows = deps.flows ?? new Flows([new AnsweringFlow(deps.assistant), new WithStaffFlow()], deps.conversations);
  }

  /** Stores the update; processing follows in the background. Throws when it cannot be stored. */
  async accept(raw: InboundEvent): Promise<AcceptResult> {
    const event = InboundEventSchema.parse(raw);
    if (!(await this.store(event))) return 'duplicate';
    void this.run(conversationIdOf(event));
    return 'accepted';
  }

  /** The web chat's synchronous path: store, process everything pending in this conversation, return the replies. */
  async converse(raw: InboundEvent): Promise<ReplyMessage[]> {
    const event = InboundEventSchema.parse(raw);
    await this.store(event);
    await this.run(conversationIdOf(event));
    const status = await this.deps.inbox.statusOf(event.channel, event.updateKey);
    if (status !== 'done') throw new EngineBusyError(`update ${status ?? 'missing'}`);
    return this.deps.inbox.repliesFor(event.channel, event.updateKey);
  }

  /** Picks up work left by a crash, a restart or an outage, now and then every `intervalMs`. */
  startRecovery(intervalMs = 5_000): void {
    const tick = () =>
      this.recover().catch((err) => this.deps.logger.warn({ err: String(err) }, 'recovery pass failed; will retry'));
    void tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** Delivers what a conversation's outbox holds (a staff message, a handover notice), in order with its replies. */
  deliverPending(conversationId: string): Promise<void> {
    return this.run(conversationId);
  }

  async recover(): Promise<void> {
    for (const id of await this.deps.inbox.conversationsWithWork(200)) void this.run(id);
  }

  /** Stops recovery and waits for the work in hand. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.queues.values()]);
  }

  /** `inbox.store`, known to `storesSettled` while it runs. */
  private async store(event: InboundEvent): Promise<boolean> {
    const id = conversationIdOf(event);
    const stored = this.deps.inbox.store(event);
    let inFlight = this.storing.get(id);
    if (!inFlight) this.storing.set(id, (inFlight = new Set()));
    inFlight.add(stored);
    try {
      return await stored;
    } finally {
      inFlight.delete(stored);
      if (inFlight.size === 0 && this.storing.get(id) === inFlight) this.storing.delete(id);
    }
  }

  /**
   * Waits for the updates of this conversation that this process is storing right now. Concurrent deliveries (a
   * person's three messages on three Telegram webhooks at once) are stored in any order; the first one stored starts
   * a drain, which must not pick the next update before its siblings are in the inbox, or the lowest sequence would
   * be chosen among one. An update that reaches the server after the pick is a late one: processed next.
   */
  private async storesSettled(conversationId: string): Promise<void> {
    const inFlight = this.storing.get(conversationId);
    if (inFlight?.size) await Promise.allSettled([...inFlight]);
  }

  /** Queues a drain of one conversation behind any drain already running for it. */
  private run(conversationId: string): Promise<void> {
    const prev = this.queues.get(conversationId) ?? Promise.resolve();
    const next = prev
      .then(() => this.slots.use(() => this.drain(conversationId)))
      .catch((err) => this.deps.logger.error({ err, conversationId }, 'conversation drain failed'));
    this.queues.set(conversationId, next);
    void next.finally(() => {
      if (this.queues.get(conversationId) === next) this.queues.delete(conversationId);
    });
    return next;
  }

  private async drain(conversationId: string): Promise<void> {
    const { inbox } = this.deps;
    if (!(await inbox.lease(conversationId, this.owner, this.leaseMs))) return; // another instance has it
    try {
      for (;;) {
        await this.storesSettled(conversationId);
        const update = await inbox.nextPending(conversationId);
        if (!update) break;
        if (!(await this.process(update))) break; // keep the order: later updates wait for this one
      }
      await this.deliver(conversationId);
    } finally {
      await inbox.release(conversationId, this.owner).catch(() => {});
    }
  }

  private async process(update: StoredUpdate): Promise<boolean> {
    const { event } = update;
    const sender = this.deps.senders[event.channel];
    if (sender?.typing) sender.typing(event.chatId).catch(() => {});
    try {
      const replies = await this.respond(update);
      const redacted = event.text === undefined ? null : redactPersonalData(event.text).text;
      await this.deps.inbox.complete(update, redacted, replies, event.channel === 'web');
      return true;
    } catch (err) {
      this.deps.logger.error({ err, conversationId: update.conversationId, updateId: update.id }, 'processing an update failed');
      await this.deps.inbox.failAttempt(update.id, String(err), this.maxAttempts).catch(() => {});
      if (update.attempts + 1 >= this.maxAttempts && sender) {
        await sender.send(event.chatId, errorReply('vi')).catch(() => {});
      }
      return false;
    }
  }

  private async respond(update: StoredUpdate): Promise<ReplyMessage[]> {
    const { event, conversationId } = update;
    const limit = this.deps.floodLimitPerMinute ?? 20;
    const recent = await this.deps.inbox.recentCount(conversationId, 60);
    if (recent > limit) return (recent - limit - 1) % 10 === 0 ? [slowDownReply()] : [];

    const state = await this.deps.conversations.load(conversationId, event.channel);
    const command = event.kind === 'command' ? event.command : Commands.parse(event.text) ?? undefined;
    const who = { conversationId, channel: event.channel, chatId: event.chatId, lang: state.language };
    // opting in and out of announcements is answered in every flow; so is the offer's choice
    if (command && SUBSCRIPTION_COMMANDS.includes(command as Command)) return (await this.deps.commands.runFor(command as Command, who)).messages;
    if (event.kind === 'choice' && event.choice) {
      const subscribed = await this.deps.commands.subscriptionChoice(event.choice, who);
      if (subscribed) return subscribed;
    }
    const turn = {
      conversationId,
      channel: event.channel,
      chatId: event.chatId,
      updateKey: event.updateKey,
      text: event.kind === 'choice' ? undefined : command && event.kind !== 'command' ? undefined : (event.text ?? ''),
      choice: event.kind === 'choice' ? event.choice : undefined,
      command,
      unsupported: event.kind === 'unsupported',
      state,
    };
    // Outside the default flow the flow decides everything, commands included: with a staff member the bot is
    // silent (checked here before every bot message, also for updates recovered after a restart). A number typed
    // on a channel without buttons is the choice it stands for.
    if (flowOf(state).name !== 'answering') {
      const typed = /^\s*(\d{1,2})\s*$/.exec(turn.text ?? '');
      const picked = typed ? state.pendingChoices[Number(typed[1]) - 1] : undefined;
      return (await this.flows.handle(picked ? { ...turn, text: undefined, choice: picked.id } : turn)).replies;
    }

    if (command && FLOW_COMMANDS.includes(command as Command)) return (await this.flows.handle(turn)).replies;
    if (command && this.deps.commands.isCommand(command)) {
      return this.withChoices(await this.deps.commands.runFor(command, who), state);
    }
    // A menu pick: a pressed button, or its number typed on a channel without buttons.
    const typedPick = /^\s*(\d{1,2})\s*$/.exec(fold(event.text ?? ''));
    const menuPick = event.kind === 'choice' ? event.choice : typedPick ? state.pendingChoices[Number(typedPick[1]) - 1]?.id : undefined;
    if (menuPick?.startsWith('event:')) {
      const reply = await this.deps.commands.lifeEvent(menuPick, state.language);
      if (reply) return this.withChoices(reply, state);
    }

    return (await this.flows.handle(turn)).replies;
  }

  private async withChoices(reply: CommandReply, state: Awaited<ReturnType<ConversationStore['load']>>): Promise<ReplyMessage[]> {
    await this.deps.conversations.save({ ...state, pendingChoices: reply.pendingChoices });
    return reply.messages;
  }

  private async deliver(conversationId: string): Promise<void> {
    const pending = await this.deps.inbox.pendingReplies(conversationId);
    const owned = pending.some((r) => r.kind === 'bot') && (await this.deps.ownedByStaff?.(conversationId));
    for (const reply of pending) {
      if (owned && reply.kind === 'bot') {
        await this.deps.inbox.markWithheld(reply.id);
        continue;
      }
      const sender = this.deps.senders[reply.channel as ChannelName];
      if (!sender) continue; // the channel is off in this process (or web: the page fetches it); sent later
      try {
        await sender.send(reply.chatId, reply.message);
        await this.deps.inbox.markSent(reply.id);
      } catch (err) {
        this.deps.logger.warn({ err: String(err), conversationId }, 'sending a reply failed; will retry');
        await this.deps.inbox.failDelivery(reply.id, String(err), this.maxAttempts).catch(() => {});
        break; // keep the order of replies
      }
    }
  }
}
