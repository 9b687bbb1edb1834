import type { Logger } from 'pino';
import {
  DOSSIER_CODE,
  type Dossier,
  type DossierStatus,
  type PaymentMethod,
  type PaymentStatus,
  type SubmittedVia,
} from '../../domain/dossier.ts';
import type { StaffUser } from '../../domain/staff.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import type { Channel, Procedure } from '../../knowledge/procedure.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import { ConversationStore } from '../../storage/conversation-store.ts';
import type { Db, Queryable } from '../../storage/db.ts';
import * as store from '../../storage/dossier-store.ts';
import type { DossierEvent, DossierEventKind, DossierRow } from '../../storage/dossier-store.ts';
import { ProcedureStore } from '../../storage/procedure-store.ts';
import { enqueueOutbound, openTicketOf } from '../../storage/ticket-store.ts';
import { ratingQuestion } from '../ratings/levels.ts';
import { dueDate } from './due-date.ts';
import { NATIONAL_TRACKING_URL, paymentDecisionMessage, renderMine, statusMessage } from './messages.ts';

/** The statuses staff set (`PATCH /api/dossiers/{code}`). */
export type StaffDossierStatus = Exclude<DossierStatus, 'submitted'>;

/** Where a dossier stands against its due date, for the console's highlighting. */
export type DueState = 'overdue' | 'soon' | null;

export interface DossierDeps {
  db: Db;
  profile: CommuneProfile;
  logger: Logger;
  /** Called after a change put a message in the conversation's outbox; late-bound like HandoverService.notify. */
  notify?: (conversationId: string) => void;
  now?: () => Date;
  /** The page where citizens look a dossier up; else the province portal (profile), else the national one. */
  portalTrackingUrl?: string;
}

export const OPEN_STATUSES: DossierStatus[] = ['submitted', 'received', 'processing', 'supplement'];
const ALL_STATUSES: DossierStatus[] = [...OPEN_STATUSES, 'done', 'returned'];
/** "Close to due": due within this many hours. */
export const DUE_SOON_HOURS = 48;
export const MAX_NOTE = 1000;
const LIST_LIMIT = 200;

/** The record's channel whose time applies: how it was submitted, else in person, else the first with a time. */
const CHANNEL_OF: Record<SubmittedVia, Channel> = { online: 'truc_tuyen', in_person: 'truc_tiep' };

export interface RegisterInput {
  code: string;
  conversationId: string;
  channel: string;
  chatId: string;
  procedure: Procedure | null;
  submittedVia: SubmittedVia | null;
  feeCharged: boolean | null;
  guideId?: string | null;
}
export type RegisterResult = { ok: true; dossier: Dossier; created: boolean } | { ok: false; reason: 'invalid' | 'taken' };
type StatusResult = { ok: true; dossier: Dossier } | { ok: false; reason: 'not_found' | 'bad_note' };
type DecisionResult = { ok: true; dossier: Dossier } | { ok: false; reason: 'not_found' | 'not_claimed' };

/**
 * Dossier tracking: the citizen gives the code the one-stop system issued (the bot never submits), staff change
 * its status, and each change reaches the citizen on their channel through the outbox. A change, its event, the
 * citizen's message (and after "done" the rating question) and the audit entry are written in one transaction;
 * the message's source key (`dossier:<id>:<event id>`) keeps it to one delivery across retries and restarts.
 */
export class DossierService {
  notify: (conversationId: string) => void;
  private readonly now: () => Date;
  private readonly audit: AuditLog;
  private readonly procedures: ProcedureStore;

  constructor(private readonly deps: DossierDeps) {
    this.notify = deps.notify ?? (() => {});
    this.now = deps.now ?? (() => new Date());
    this.audit = new AuditLog(deps.db);
    this.procedures = new ProcedureStore(deps.db);
  }

  get trackingUrl(): string {
    return this.deps.portalTrackingUrl ?? this.deps.profile.provincePortalUrl ?? NATIONAL_TRACKING_URL;
  }

  /**
   * The citizen gives a code (typed, or at the end of the guide): stored with procedure, channel, how submitted; due
   * date from the record's time. 'invalid' when it does not look like a code; an existing code of another
   * conversation → 'taken' (never reveal it).
   */
  async register(input: RegisterInput): Promise<RegisterResult> {
    const code = input.code.trim();
    if (!DOSSIER_CODE.test(code)) return { ok: false, reason: 'invalid' };
    const existing = await store.dossierByCode(this.deps.db, code);
    if (existing) return existing.conversationId === input.conversationId ? { ok: true, dossier: existing, created: false } : { ok: false, reason: 'taken' };
    const now = this.now();
    const terms = input.procedure ? termsFor(input.procedure, input.submittedVia) : null;
    const due = terms ? dueDate(now, { value: terms.timeValue, unit: terms.timeUnit }, this.deps.profile.hours) : null;
    const id = await this.deps.db.transaction(async (tx) => {
      const inserted = await store.insertDossier(tx, {
        code,
        conversationId: input.conversationId,
        channel: input.channel,
        chatId: input.chatId,
        procedureCode: input.procedure?.code ?? null,
        submittedVia: input.submittedVia,
        feeCharged: input.feeCharged,
        dueAt: due,
        guideId: input.guideId ?? null,
        createdAt: now,
      });
      if (inserted !== null) await store.insertDossierEvent(tx, { dossierId: inserted, kind: 'created', status: 'submitted', at: now });
      return inserted;
    });
    if (id === null) return this.register(input); // the same code stored concurrently: answer as for a stored one
    this.deps.logger.info({ dossierId: id, channel: input.channel, procedure: input.procedure?.code ?? null }, 'dossier: code registered');
    return { ok: true, dossier: (await store.dossierById(this.deps.db, id))!, created: true };
  }

  /** The conversation's dossiers, newest first, with their procedures' titles. */
  mine(conversationId: string): Promise<DossierRow[]> {
    return store.dossiersOfConversation(this.deps.db, conversationId);
  }

  /** "Hồ sơ của tôi" as a message (renderMine with this service's tracking page). */
  async mineMessage(conversationId: string, lang: Language): Promise<ReplyMessage> {
    return renderMine(await this.mine(conversationId), lang, this.trackingUrl);
  }

  byCode(code: string): Promise<DossierRow | null> {
    return store.dossierByCode(this.deps.db, code.trim());
  }

  /** For staff: open ones by default, the soonest due first; `due` narrows to close to due or overdue. */
  async list(filter: { status?: DossierStatus | 'open' | 'all'; due?: 'soon' | 'overdue'; limit?: number } = {}): Promise<(DossierRow & { dueState: DueState })[]> {
    const status = filter.status ?? 'open';
    const statuses = status === 'open' ? OPEN_STATUSES : status === 'all' ? ALL_STATUSES : [status];
    const now = this.now();
    const soon = new Date(now.getTime() + DUE_SOON_HOURS * 3600_000);
    const rows = await store.listDossiers(this.deps.db, {
      statuses: filter.due ? statuses.filter((s) => OPEN_STATUSES.includes(s)) : statuses,
      dueBefore: filter.due === 'overdue' ? now : filter.due === 'soon' ? soon : undefined,
      dueFrom: filter.due === 'soon' ? now : undefined,
      limit: Math.min(Math.max(filter.limit ?? LIST_LIMIT, 1), 500),
    });
    return rows.map((d) => ({ ...d, dueState: dueStateOf(d, now) }));
  }

  dueState(d: Dossier): DueState {
    return dueStateOf(d, this.now());
  }

  events(dossierId: number): Promise<DossierEvent[]> {
    return store.dossierEvents(this.deps.db, dossierId);
  }

  /**
   * Staff change the status (with a note: what is missing for supplement; where/how to collect for done): stored
   * with its event and the citizen's message in one transaction, then pushed through the outbox (exactly once:
   * source key dossier:<id>:<event id>). The same status with the same note again (a retried request) changes
   * nothing and sends nothing.
   */
  async setStatus(code: string, user: StaffUser, status: StaffDossierStatus, note: string | null): Promise<StatusResult> {
    const text = note?.trim() || null;
    if ((status === 'supplement' && !text) || (text && text.length > MAX_NOTE)) return { ok: false, reason: 'bad_note' };
    const d = await this.byCode(code);
    if (!d) return { ok: false, reason: 'not_found' };
    if (d.status === status) {
      const last = (await this.events(d.id)).filter((e) => e.kind === 'status').at(-1);
      if (last && last.status === status && last.note === text) return { ok: true, dossier: d };
    }
    const procedure = d.procedureCode ? await this.procedures.get(d.procedureCode) : null;
    const at = this.now();
    await this.deps.db.transaction(async (tx) => {
      await store.updateDossierStatus(tx, d.id, status, at);
      const eventId = (await store.insertDossierEvent(tx, { dossierId: d.id, kind: 'status', status, note: text, actorId: user.id, at }))!;
      const conversations = new ConversationStore(tx);
      const state = await conversations.load(d.conversationId, d.channel);
      const updated = (await store.dossierById(tx, d.id))!;
      const message = statusMessage(state.language, { dossier: updated, procedure, status, note: text, profile: this.deps.profile, trackingUrl: this.trackingUrl });
      await this.tell(tx, d, message, `dossier:${d.id}:${eventId}`);
      if (status === 'done') await this.askRating(tx, d, state, `dossier:${d.id}:${eventId}:rating`);
      await this.audit.record({ userId: user.id, username: user.username, action: 'dossier.status', target: `dossier:${d.code}`, details: { status } }, tx);
    });
    this.deps.logger.info({ dossierId: d.id, status }, 'dossier: status changed');
    this.notify(d.conversationId);
    return { ok: true, dossier: (await store.dossierById(this.deps.db, d.id))! };
  }

  /** Records how the dossier was paid and where the payment stands (an event; audited when staff do it). */
  async setPayment(code: string, patch: { method?: PaymentMethod; status?: PaymentStatus }, actor: StaffUser | null): Promise<Dossier | null> {
    const d = await this.byCode(code);
    if (!d) return null;
    await this.deps.db.transaction((tx) => this.applyPayment(tx, d, patch, actor));
    return store.dossierById(this.deps.db, d.id);
  }

  /**
   * Staff confirm or reject a transfer the citizen said they made ("Tôi đã chuyển khoản"); the citizen is told
   * either way through the outbox, once.
   */
  async decideTransfer(code: string, user: StaffUser, decision: 'confirm' | 'reject', reason: string | null = null): Promise<DecisionResult> {
    const d = await this.byCode(code);
    if (!d) return { ok: false, reason: 'not_found' };
    if (d.paymentStatus !== 'claimed') return { ok: false, reason: 'not_claimed' };
    await this.deps.db.transaction(async (tx) => {
      const eventId = await this.applyPayment(tx, d, { method: d.paymentMethod ?? 'transfer', status: decision === 'confirm' ? 'confirmed' : 'rejected' }, user, reason);
      const lang = (await new ConversationStore(tx).load(d.conversationId, d.channel)).language;
      await this.tell(tx, d, paymentDecisionMessage(lang, d, decision, this.trackingUrl, reason), `dossier:${d.id}:${eventId}`);
    });
    this.notify(d.conversationId);
    return { ok: true, dossier: (await store.dossierById(this.deps.db, d.id))! };
  }

  // ——— helpers ———

  private async applyPayment(tx: Queryable, d: Dossier, patch: { method?: PaymentMethod; status?: PaymentStatus }, actor: StaffUser | null, note: string | null = null): Promise<number> {
    const at = this.now();
    await store.updateDossierPayment(tx, d.id, patch, at);
    const kind: DossierEventKind = patch.status ? (`payment_${patch.status}` as DossierEventKind) : 'payment';
    const eventId = (await store.insertDossierEvent(tx, { dossierId: d.id, kind, note: [patch.method, note?.trim()].filter(Boolean).join(': ') || null, actorId: actor?.id ?? null, at }))!;
    if (actor) {
      await this.audit.record({ userId: actor.id, username: actor.username, action: 'dossier.payment', target: `dossier:${d.code}`, details: { ...patch } }, tx);
    }
    return eventId;
  }

  private async tell(q: Queryable, d: Dossier, message: ReplyMessage, sourceKey: string): Promise<void> {
    await enqueueOutbound(q, { conversationId: d.conversationId, channel: d.channel, chatId: d.chatId, kind: 'system', message, sourceKey });
  }

  /**
   * After "done", the satisfaction question for this dossier, as HandoverService.close asks it after a ticket: not
   * while the conversation is with staff or waiting for them (that flow owns it), nor in the middle of another
   * flow (a guide), which it would end.
   */
  private async askRating(tx: Queryable, d: Dossier, state: Awaited<ReturnType<ConversationStore['load']>>, sourceKey: string): Promise<void> {
    const flow = state.flow as { name?: string; data?: Record<string, unknown> };
    if (await openTicketOf(tx, d.conversationId)) return;
    if (flow.name !== undefined && flow.name !== 'answering' && flow.name !== 'rating') {
      this.deps.logger.info({ dossierId: d.id, flow: flow.name }, 'dossier: done, rating not asked during another flow');
      return;
    }
    const question = ratingQuestion(state.language);
    const answering = flow.name === 'answering' ? (flow.data ?? {}) : ((flow.data?.answering as Record<string, unknown> | undefined) ?? {});
    await new ConversationStore(tx).setFlow(
      d.conversationId,
      d.channel,
      { name: 'rating', since: this.now().toISOString(), data: { episode: `dossier:${d.id}`, procedure: d.procedureCode, stage: 'level', answering } },
      question.choices ?? [],
    );
    await this.tell(tx, d, question, sourceKey);
  }
}

function termsFor(p: Procedure, via: SubmittedVia | null): Procedure['channels'][number] | null {
  const usable = p.channels.filter((c) => c.timeValue !== null && c.timeUnit);
  const wanted = via ? CHANNEL_OF[via] : 'truc_tiep';
  return usable.find((c) => c.channel === wanted) ?? usable[0] ?? null;
}

function dueStateOf(d: Dossier, now: Date): DueState {
  if (!d.dueAt || !OPEN_STATUSES.includes(d.status)) return null;
  const due = new Date(d.dueAt).getTime();
  if (due < now.getTime()) return 'overdue';
  return due <= now.getTime() + DUE_SOON_HOURS * 3600_000 ? 'soon' : null;
}
