import type { Logger } from 'pino';
import { redactPersonalData } from '../../assistant/guardrails/pii.ts';
import type { EndStatus, StaffUser, Ticket, TicketEvent, TicketReason, TicketStatus } from '../../domain/staff.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import { ConversationStore } from '../../storage/conversation-store.ts';
import type { Db, Queryable } from '../../storage/db.ts';
import * as tickets from '../../storage/ticket-store.ts';
import { ratingQuestion } from '../ratings/levels.ts';
import { openingAt, type Opening } from './hours.ts';
import * as say from './messages.ts';
import type { DeskResult, HandoverDesk, TicketFilter, TicketWithQueue } from './types.ts';

/** Writes one audit entry inside the caller's transaction (the accounts' audit log). */
export interface AuditWriter {
  record(entry: { userId: number | null; username: string | null; action: string; target?: string | null; details?: Record<string, unknown> }, q?: Queryable): Promise<void>;
}

export interface HandoverDeps {
  db: Db;
  profile: CommuneProfile;
  /** Days after closing before a callback number is erased. */
  retentionDays: number;
  logger: Logger;
  audit?: AuditWriter;
  now?: () => Date;
  /**
   * Called after a change put messages in a conversation's outbox (a staff reply, a queue notice): the engine
   * then delivers them, in order with the bot's replies. Late-bound because the engine is built after this service.
   */
  notify?: (conversationId: string) => void;
}

export interface OpenRequest {
  conversationId: string;
  channel: string;
  chatId: string;
  reason: TicketReason;
  procedureCode: string | null;
  language: Language;
}

/** Recent claims used for the wait estimate, and how many are needed before one is given. */
const WAIT_SAMPLE = 20;
const WAIT_MIN_SAMPLES = 3;
const SUMMARY_MAX = 300;
const TRANSCRIPT_LINES = 12;

/**
 * The handover: a citizen's request for a person becomes a ticket (waiting → with staff, one owner → closed, with an
 * end status), and the staff desks act on it. The ticket table is the truth about who the citizen is talking to;
 * the conversation's flow name follows it. Every change, its ticket event, the conversation's new flow and the
 * citizen's notice are written in one transaction before the call resolves, so a restart resumes exactly there.
 */
export class HandoverService implements HandoverDesk {
  private readonly now: () => Date;
  notify: (conversationId: string) => void;

  get profile(): CommuneProfile {
    return this.deps.profile;
  }

  get retentionDays(): number {
    return this.deps.retentionDays;
  }

  constructor(private readonly deps: HandoverDeps) {
    this.now = deps.now ?? (() => new Date());
    this.notify = deps.notify ?? (() => {});
  }

  opening(): Opening {
    return openingAt(this.deps.profile.hours, this.now());
  }

  // ——— the citizen's side (called by the conversation flows) ———

  /** Opens a ticket for the conversation (or reports the one already open) and says where the citizen stands. */
  async open(req: OpenRequest): Promise<{ ticket: Ticket; replies: ReplyMessage[]; created: boolean }> {
    const existing = await tickets.openTicketOf(this.deps.db, req.conversationId);
    if (existing) {
      const position = existing.status === 'waiting' ? await this.positionOf(existing.id) : null;
      return { ticket: existing, replies: [say.alreadyWaitingMessage(req.language, position)], created: false };
    }
    const opening = this.opening();
    const transcript = (await tickets.recentTranscript(this.deps.db, req.conversationId, TRANSCRIPT_LINES)).map((l) => ({ ...l, text: redactPersonalData(l.text).text }));
    const summary = clipSummary(transcript.filter((l) => l.who === 'citizen').map((l) => l.text));
    const id = await this.deps.db.transaction(async (tx) => {
      const ticketId = await tickets.insertTicket(tx, {
        conversationId: req.conversationId,
        channel: req.channel,
        chatId: req.chatId,
        reason: req.reason,
        procedureCode: req.procedureCode,
        summary,
        // only when the profile's hours say the centre is closed: with no hours set, nothing is claimed
        afterHours: opening.kind === 'closed',
      });
      if (ticketId === null) return null; // opened concurrently: the other one stands
      await tickets.insertTicketEvent(tx, { ticketId, kind: 'opened', data: { reason: req.reason, transcript, language: req.language } });
      return ticketId;
    });
    if (id === null) return this.open(req);
    const position = (await this.positionOf(id)) ?? 1;
    await tickets.setToldPosition(this.deps.db, id, position);
    const ticket = (await tickets.ticketById(this.deps.db, id))!;
    this.deps.logger.info({ ticketId: id, channel: req.channel, reason: req.reason, afterHours: ticket.afterHours }, 'handover: ticket opened');
    return {
      ticket,
      created: true,
      replies: [say.openedMessage(req.language, { position, waitMinutes: await this.estimateWait(position), opening, retentionDays: this.deps.retentionDays })],
    };
  }

  openTicket(conversationId: string): Promise<Ticket | null> {
    return tickets.openTicketOf(this.deps.db, conversationId);
  }

  /** The citizen's message while waiting or with staff: into the ticket's log (redacted), stored once per update. */
  async citizenMessage(conversationId: string, text: string, sourceKey: string): Promise<Ticket | null> {
    const ticket = await tickets.openTicketOf(this.deps.db, conversationId);
    if (!ticket) return null;
    await tickets.insertTicketEvent(this.deps.db, { ticketId: ticket.id, kind: 'citizen_message', text: redactPersonalData(text).text.slice(0, 4000), sourceKey });
    return ticket;
  }

  /** The citizen went back to the bot: the ticket closes as `citizen_left`, and the queue moves up. */
  async citizenLeft(conversationId: string): Promise<boolean> {
    const ticket = await tickets.openTicketOf(this.deps.db, conversationId);
    if (!ticket) return false;
    const closed = await this.deps.db.transaction(async (tx) => {
      if (!(await tickets.closeTicket(tx, ticket.id, 'citizen_left', this.deps.retentionDays))) return false;
      await tickets.insertTicketEvent(tx, { ticketId: ticket.id, kind: 'closed', data: { endStatus: 'citizen_left' } });
      return true;
    });
    if (closed) await this.tellQueue();
    return closed;
  }

  /** The citizen asked to be called back; `phone` (already validated) is kept only in the ticket. */
  async requestCallback(conversationId: string, phone: string | null): Promise<Ticket | null> {
    const ticket = await tickets.openTicketOf(this.deps.db, conversationId);
    if (!ticket) return null;
    await this.deps.db.transaction(async (tx) => {
      await tickets.requestCallback(tx, ticket.id, phone);
      await tickets.insertTicketEvent(tx, { ticketId: ticket.id, kind: 'callback_requested', text: phone ? 'Người dân để lại số điện thoại để được gọi lại.' : 'Người dân muốn được gọi lại.' });
    });
    return tickets.ticketById(this.deps.db, ticket.id);
  }

  /** A rating of Không hài lòng or worse: the ticket it was about is flagged for the centre's lead, or, for an answered conversation, a closed flagged entry is made so the lead sees it. */
  async flagLowRating(r: { conversationId: string; channel: string; chatId: string; ticketId: number | null; procedureCode: string | null; level: number }): Promise<void> {
    if (r.ticketId !== null) {
      await tickets.flagTickets(this.deps.db, [r.ticketId]);
      return;
    }
    const transcript = await tickets.recentTranscript(this.deps.db, r.conversationId, TRANSCRIPT_LINES);
    await this.deps.db.transaction(async (tx) => {
      const id = await tickets.insertTicket(tx, {
        conversationId: r.conversationId,
        channel: r.channel,
        chatId: r.chatId,
        reason: 'low_rating',
        procedureCode: r.procedureCode,
        summary: clipSummary(transcript.filter((l) => l.who === 'citizen').map((l) => redactPersonalData(l.text).text)),
        afterHours: false,
        status: 'closed',
        flagged: true,
      });
      if (id !== null) await tickets.insertTicketEvent(tx, { ticketId: id, kind: 'opened', data: { reason: 'low_rating', level: r.level, transcript } });
    });
  }

  /** Erases callback numbers past their retention; run at start and then hourly. */
  async eraseExpiredPhones(): Promise<number> {
    const n = await tickets.eraseExpiredCallbackPhones(this.deps.db, this.now());
    if (n) this.deps.logger.info({ erased: n }, 'handover: callback numbers erased after retention');
    return n;
  }

  // ——— the staff desks' side ———

  async listTickets(filter: TicketFilter = {}): Promise<TicketWithQueue[]> {
    const statuses: TicketStatus[] =
      !filter.status || filter.status === 'open' ? ['waiting', 'with_staff'] : filter.status === 'all' ? ['waiting', 'with_staff', 'closed'] : [filter.status];
    const list = await tickets.listTickets(this.deps.db, { statuses, ownerId: filter.ownerId, flagged: filter.flagged, limit: Math.min(filter.limit ?? 200, 500) });
    const queue = (await tickets.waitingQueue(this.deps.db)).map((t) => t.id);
    const perPosition = await this.waitPerPosition();
    return list.map((t) => withQueue(t, queue, perPosition));
  }

  async getTicket(id: number): Promise<TicketWithQueue | null> {
    const t = await tickets.ticketById(this.deps.db, id);
    if (!t) return null;
    return withQueue(t, (await tickets.waitingQueue(this.deps.db)).map((w) => w.id), await this.waitPerPosition());
  }

  ticketEvents(ticketId: number, afterId = 0): Promise<TicketEvent[]> {
    return tickets.ticketEvents(this.deps.db, ticketId, afterId);
  }

  eventsAfter(afterId: number, limit = 100): Promise<TicketEvent[]> {
    return tickets.eventsAfter(this.deps.db, afterId, limit);
  }

  async claim(ticketId: number, user: StaffUser): Promise<DeskResult> {
    const won = await this.deps.db.transaction(async (tx) => {
      if (!(await tickets.claimTicket(tx, ticketId, user.id))) return null;
      const t = (await tickets.ticketById(tx, ticketId))!;
      await tickets.insertTicketEvent(tx, { ticketId, kind: 'claimed', actorId: user.id });
      await new ConversationStore(tx).setFlow(t.conversationId, t.channel, { name: 'with_staff', since: this.now().toISOString(), data: { ticketId } });
      await this.tell(tx, t, 'system', say.claimedMessage(await this.languageOf(tx, t), user.displayName));
      await this.audit(tx, user, 'ticket.claim', ticketId);
      return t;
    });
    if (!won) return this.failure(ticketId, 'taken');
    this.notify(won.conversationId);
    await this.tellQueue();
    return { ok: true, ticket: (await tickets.ticketById(this.deps.db, ticketId))! };
  }

  async release(ticketId: number, user: StaffUser, toUserId?: number): Promise<DeskResult> {
    const t = await tickets.ticketById(this.deps.db, ticketId);
    if (!t) return { ok: false, reason: 'not_found' };
    if (t.status === 'closed') return { ok: false, reason: 'closed' };
    if (t.status !== 'with_staff' || (t.ownerId !== user.id && user.role !== 'admin')) return { ok: false, reason: 'not_owner', ownerName: t.ownerName };
    let target: { id: number; displayName: string } | null = null;
    if (toUserId !== undefined) {
      target = await tickets.activeStaffMember(this.deps.db, toUserId);
      if (!target) return { ok: false, reason: 'bad_target' };
    }
    const done = await this.deps.db.transaction(async (tx) => {
      if (!(await tickets.releaseTicket(tx, ticketId, target?.id ?? null))) return false;
      const lang = await this.languageOf(tx, t);
      await tickets.insertTicketEvent(tx, { ticketId, kind: target ? 'transferred' : 'released', actorId: user.id, data: target ? { toId: target.id, toName: target.displayName } : {} });
      await new ConversationStore(tx).setFlow(t.conversationId, t.channel, { name: target ? 'with_staff' : 'waiting_staff', since: this.now().toISOString(), data: { ticketId } });
      await this.tell(tx, t, 'system', target ? say.transferredMessage(lang, target.displayName) : say.releasedMessage(lang));
      await this.audit(tx, user, target ? 'ticket.transfer' : 'ticket.release', ticketId, target ? { toId: target.id } : {});
      return true;
    });
    if (!done) return this.failure(ticketId, 'not_owner');
    this.notify(t.conversationId);
    await this.tellQueue();
    return { ok: true, ticket: (await tickets.ticketById(this.deps.db, ticketId))! };
  }

  async close(ticketId: number, user: StaffUser, endStatus: EndStatus): Promise<DeskResult> {
    const t = await tickets.ticketById(this.deps.db, ticketId);
    if (!t) return { ok: false, reason: 'not_found' };
    if (t.status === 'closed') return { ok: false, reason: 'closed' };
    // a waiting ticket may be closed by any staff member (abuse, a duplicate); an owned one by its owner or an admin
    if (t.status === 'with_staff' && t.ownerId !== user.id && user.role !== 'admin') return { ok: false, reason: 'not_owner', ownerName: t.ownerName };
    const done = await this.deps.db.transaction(async (tx) => {
      if (!(await tickets.closeTicket(tx, ticketId, endStatus, this.deps.retentionDays))) return false;
      const lang = await this.languageOf(tx, t);
      await tickets.insertTicketEvent(tx, { ticketId, kind: 'closed', actorId: user.id, data: { endStatus } });
      await this.tell(tx, t, 'system', say.closedMessage(lang));
      const conversations = new ConversationStore(tx);
      // the satisfaction question, once for this ticket; not after abuse, nor to someone who has gone
      if (endStatus !== 'abuse' && endStatus !== 'citizen_left') {
        const question = ratingQuestion(lang);
        const staff = t.ownerName ?? user.displayName;
        await conversations.setFlow(
          t.conversationId,
          t.channel,
          { name: 'rating', since: this.now().toISOString(), data: { episode: `ticket:${ticketId}`, ticketId, staff, procedure: t.procedureCode, stage: 'level', answering: {} } },
          question.choices ?? [],
        );
        await this.tell(tx, t, 'system', question);
      } else {
        await conversations.setFlow(t.conversationId, t.channel, { name: 'answering', since: this.now().toISOString(), data: {} });
      }
      await this.audit(tx, user, 'ticket.close', ticketId, { endStatus });
      return true;
    });
    if (!done) return this.failure(ticketId, 'closed');
    this.notify(t.conversationId);
    await this.tellQueue();
    return { ok: true, ticket: (await tickets.ticketById(this.deps.db, ticketId))! };
  }

  async reply(ticketId: number, user: StaffUser, text: string, sourceKey: string): Promise<DeskResult> {
    const t = await tickets.ticketById(this.deps.db, ticketId);
    if (!t) return { ok: false, reason: 'not_found' };
    if (t.status === 'closed') return { ok: false, reason: 'closed' };
    if (t.status !== 'with_staff' || t.ownerId !== user.id) return { ok: false, reason: 'not_owner', ownerName: t.ownerName };
    const body = text.trim().slice(0, 4000);
    const stored = await this.deps.db.transaction(async (tx) => {
      // staff may write a citizen's own number back to them: the log keeps the redacted text, the citizen gets it whole
      const via = sourceKey.split(':')[0] ?? 'unknown'; // tg, console: the desks show each other's replies
      const eventId = await tickets.insertTicketEvent(tx, { ticketId, kind: 'staff_message', actorId: user.id, text: redactPersonalData(body).text, data: { via }, sourceKey });
      if (eventId === null) return false; // a retried request: stored the first time
      await this.tell(tx, t, 'staff', say.staffMessage(user.displayName, body), sourceKey);
      await this.audit(tx, user, 'ticket.reply', ticketId);
      return true;
    });
    if (stored) this.notify(t.conversationId);
    return { ok: true, ticket: t };
  }

  async setTelegramTopic(ticketId: number, threadId: number | null, cardMessageId: number | null): Promise<void> {
    await tickets.setTelegramTopic(this.deps.db, ticketId, threadId, cardMessageId);
  }

  ticketByTelegram(ref: { threadId?: number; cardMessageId?: number }): Promise<Ticket | null> {
    return tickets.ticketByTelegram(this.deps.db, ref);
  }

  callbackPhone(ticketId: number): Promise<string | null> {
    return tickets.callbackPhoneOf(this.deps.db, ticketId);
  }

  // ——— helpers ———

  private async failure(ticketId: number, fallback: 'taken' | 'not_owner' | 'closed'): Promise<DeskResult> {
    const t = await tickets.ticketById(this.deps.db, ticketId);
    if (!t) return { ok: false, reason: 'not_found' };
    if (t.status === 'closed') return { ok: false, reason: 'closed' };
    return { ok: false, reason: fallback, ownerName: t.ownerName };
  }

  private async tell(q: Queryable, t: Ticket, kind: 'staff' | 'system', message: ReplyMessage, sourceKey?: string): Promise<void> {
    await tickets.enqueueOutbound(q, { conversationId: t.conversationId, channel: t.channel, chatId: t.chatId, kind, message, sourceKey: sourceKey ?? null });
  }

  private async languageOf(q: Queryable, t: Ticket): Promise<Language> {
    return (await new ConversationStore(q).load(t.conversationId, t.channel)).language;
  }

  private async audit(q: Queryable, user: StaffUser, action: string, ticketId: number, details: Record<string, unknown> = {}): Promise<void> {
    await this.deps.audit?.record({ userId: user.id, username: user.username, action, target: `ticket:${ticketId}`, details }, q);
  }

  private async positionOf(ticketId: number): Promise<number | null> {
    const i = (await tickets.waitingQueue(this.deps.db)).findIndex((t) => t.id === ticketId);
    return i < 0 ? null : i + 1;
  }

  /**
   * Minutes of wait per place in the queue: the median time from opening to claim of recent tickets. A rough
   * estimate, given only when there are enough recent claims.
   */
  private async waitPerPosition(): Promise<number | null> {
    const waits = (await tickets.recentWaits(this.deps.db, WAIT_SAMPLE)).sort((a, b) => a - b);
    if (waits.length < WAIT_MIN_SAMPLES) return null;
    return Math.max(1, waits[Math.floor(waits.length / 2)]!);
  }

  private async estimateWait(position: number): Promise<number | null> {
    const per = await this.waitPerPosition();
    return per === null ? null : Math.ceil(per * position);
  }

  /** Tells every waiting citizen whose place in the queue changed (moved up, or back in the queue), once per change. */
  private async tellQueue(): Promise<void> {
    const queue = await tickets.waitingQueue(this.deps.db);
    const per = await this.waitPerPosition();
    for (const [i, w] of queue.entries()) {
      const position = i + 1;
      if (w.toldPosition === position) continue;
      const ticket = await tickets.ticketById(this.deps.db, w.id);
      if (!ticket) continue;
      await this.deps.db.transaction(async (tx) => {
        await tickets.setToldPosition(tx, w.id, position);
        await this.tell(tx, ticket, 'system', say.positionMessage(await this.languageOf(tx, ticket), position, per === null ? null : Math.ceil(per * position)));
      });
      this.notify(w.conversationId);
    }
  }
}

function withQueue(t: Ticket, queue: number[], perPosition: number | null): TicketWithQueue {
  const i = t.status === 'waiting' ? queue.indexOf(t.id) : -1;
  const position = i < 0 ? null : i + 1;
  return { ...t, position, estimatedWaitMinutes: position !== null && perPosition !== null ? Math.ceil(perPosition * position) : null };
}

/** The citizen's last messages, newest kept, within the summary's length (whole messages only). */
function clipSummary(texts: string[]): string {
  const kept: string[] = [];
  let size = 0;
  for (const t of [...texts].reverse()) {
    const line = t.replace(/\s+/g, ' ').trim();
    if (!line || line.startsWith('[chọn]')) continue;
    if (size + line.length > SUMMARY_MAX && kept.length) break;
    kept.unshift(line.length > SUMMARY_MAX ? `${line.slice(0, SUMMARY_MAX - 1)}…` : line);
    size += line.length;
  }
  return kept.join(' / ');
}
