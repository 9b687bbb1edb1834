import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { redactPersonalData } from '../../assistant/guardrails/pii.ts';
import type { Config } from '../../config.ts';
import type { PaymentStatus } from '../../domain/dossier.ts';
import type { StaffUser } from '../../domain/staff.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import { ConversationStore } from '../../storage/conversation-store.ts';
import type { Db, Queryable } from '../../storage/db.ts';
import * as dossiers from '../../storage/dossier-store.ts';
import { deleteExpiredMedia, insertMedia } from '../../storage/media-store.ts';
import { latestClaimEventId, transitionPayment } from '../../storage/payment-store.ts';
import { ProcedureOverrideStore } from '../../storage/procedure-override-store.ts';
import { enqueueOutbound } from '../../storage/ticket-store.ts';
import type { AuditWriter } from '../handover/service.ts';
import { feeAccountOf } from './fee-account.ts';
import { MemoError, transferMemo } from './memo.ts';
import * as say from './messages.ts';
import { VietQrError, vietQrPayload, vietQrPng } from './vietqr.ts';

export interface PaymentDeps {
  db: Db;
  profile: CommuneProfile;
  config: Pick<Config, 'feeAccount' | 'server'>;
  logger: Logger;
  now?: () => Date;
  /** Defaults to the accounts' audit log on `db`. */
  audit?: AuditWriter;
  /** Called after a decision put a notice in a conversation's outbox (the engine delivers it); late-bound. */
  notify?: (conversationId: string) => void;
}

export interface TransferOfferInput {
  procedure: Procedure;
  /** The citizen's messaging channel: telegram, zalo, web. */
  channel: string;
  /** The one amount the record states for the citizen's case and submission channel; null when not exactly one. */
  exactAmount: number | null;
  dossierCode: string | null;
  lang: Language;
}

/**
 * claimed: stored now. already_claimed / already_confirmed: stored before (nothing changed). needs_code: no code
 * given and the conversation has no single dossier awaiting payment: ask for it, then claim again with it.
 * unknown_dossier: the code is not one of this conversation's dossiers (register it first, then claim again).
 */
export type ClaimOutcome = 'claimed' | 'already_claimed' | 'already_confirmed' | 'needs_code' | 'unknown_dossier';

export interface ClaimInput {
  conversationId: string;
  /** The dossier the citizen paid for; null: the conversation's one dossier awaiting payment, if there is one. */
  dossierCode: string | null;
  lang: Language;
}

export interface ClaimResult {
  outcome: ClaimOutcome;
  /** The dossier the claim is about, when known. */
  dossierCode: string | null;
  /** What to tell the citizen. */
  reply: ReplyMessage;
}

export type PaymentDecision =
  | { ok: true; dossier: dossiers.DossierRow }
  | { ok: false; reason: 'not_found' }
  /** Nothing claimed to decide on (never claimed, or decided already): `paymentStatus` says where it stands. */
  | { ok: false; reason: 'not_claimed'; paymentStatus: PaymentStatus | null };

/** Served QR codes live this long: long enough to pay late, short enough not to keep account pictures around. */
export const MEDIA_DAYS = 30;
const DAY_MS = 86_400_000;
const REASON_MAX = 300;

/** Fee cells that say nothing is charged: "Miễn phí…", "Phí : 0 Đồng", "Lệ phí : Không Đồng". */
const FREE_FEE = /^(miễn phí|(lệ phí|phí)\s*:\s*(0|không)\s*đồng)/i;

/** Free when every channel that states a fee states it free (a channel with no fee information does not count). */
export function isFree(p: Pick<Procedure, 'channels'>): boolean {
  const stated = p.channels.filter((c) => c.feeText !== null);
  return stated.length > 0 && stated.every((c) => c.feeAmounts.every((a) => a === 0) && FREE_FEE.test(c.feeText!.trim()));
}

/**
 * Cashless payment of a dossier's fee by bank transfer (VietQR, NAPAS 247) to the commune's fee account, and the
 * claim → staff decision that follows. The portal's Payment Platform stays the first path (the guide says so): only
 * it counts as online payment, and every transfer offer says that. A claim and a decision are stored, with their
 * dossier event, the citizen's notice and the audit entry, in one transaction before anything is acknowledged.
 */
export class PaymentService {
  private readonly now: () => Date;
  private readonly audit: AuditWriter;
  notify: (conversationId: string) => void;

  constructor(private readonly deps: PaymentDeps) {
    this.now = deps.now ?? (() => new Date());
    this.audit = deps.audit ?? new AuditLog(deps.db);
    this.notify = deps.notify ?? (() => {});
  }

  /**
   * The transfer offer for a procedure and case, or null: no fee account, the procedure's override forbids it,
   * or the procedure is free. The QR code is an image on the web (a relative `/media/…`), and on Telegram and Zalo
   * when PUBLIC_URL is https (Zalo only fetches public https); otherwise the same details go as text only.
   */
  async transferOffer(input: TransferOfferInput): Promise<ReplyMessage | null> {
    const account = feeAccountOf(this.deps.profile, this.deps.config);
    if (!account) return null;
    if (input.exactAmount === 0 || isFree(input.procedure)) return null;
    const override = await new ProcedureOverrideStore(this.deps.db).get(input.procedure.code);
    if (override && !override.feeAccountAllowed) return null;
    const amount = input.exactAmount !== null && Number.isSafeInteger(input.exactAmount) && input.exactAmount > 0 ? input.exactAmount : null;
    let memo: string;
    let payload: string;
    try {
      memo = transferMemo(input.dossierCode, input.procedure.code);
      payload = vietQrPayload(account, amount, memo);
    } catch (err) {
      if (!(err instanceof MemoError || err instanceof VietQrError)) throw err;
      // better no offer than a code the citizen's bank reads differently
      this.deps.logger.warn({ err: err.message, procedure: input.procedure.code }, 'VietQR offer left out');
      return null;
    }
    const base = this.imageBase(input.channel);
    const imageUrl = base === null ? null : `${base}/media/${await this.storeQr(payload)}`;
    return say.offerMessage(
      input.lang,
      { procedure: input.procedure, account, amount, memo, withImage: imageUrl !== null, hasDossierCode: input.dossierCode !== null },
      imageUrl,
    );
  }

  /** "Tôi đã chuyển khoản", as `recordTransferClaim`, returning only what to tell the citizen. */
  async claimTransfer(input: ClaimInput): Promise<ReplyMessage> {
    return (await this.recordTransferClaim(input)).reply;
  }

  /**
   * "Tôi đã chuyển khoản": the dossier's payment becomes transfer / claimed, with a payment_claimed event, before the
   * citizen is told it is noted. Without a code, the conversation's one dossier awaiting payment is meant; when
   * there is none or several, the citizen is asked for the code (nothing stored: outcome needs_code) and the caller
   * claims again once the code is given (and the dossier registered).
   */
  async recordTransferClaim(input: ClaimInput): Promise<ClaimResult> {
    const { lang } = input;
    const dossier = await this.dossierToClaim(input.conversationId, input.dossierCode);
    if (!dossier) {
      return input.dossierCode
        ? { outcome: 'unknown_dossier', dossierCode: input.dossierCode, reply: say.unknownDossierMessage(lang, input.dossierCode) }
        : { outcome: 'needs_code', dossierCode: null, reply: say.askCodeMessage(lang) };
    }
    const at = this.now();
    const claimed = await this.deps.db.transaction(async (tx) => {
      if (!(await transitionPayment(tx, dossier.id, { from: [null, 'rejected'], to: 'claimed', method: 'transfer' }, at))) return false;
      await dossiers.insertDossierEvent(tx, { dossierId: dossier.id, kind: 'payment_claimed', note: 'transfer' });
      return true;
    });
    if (claimed) return { outcome: 'claimed', dossierCode: dossier.code, reply: say.claimedMessage(lang, dossier.code) };
    const now = await dossiers.dossierById(this.deps.db, dossier.id);
    return now?.paymentStatus === 'confirmed'
      ? { outcome: 'already_confirmed', dossierCode: dossier.code, reply: say.alreadyConfirmedMessage(lang, dossier.code) }
      : { outcome: 'already_claimed', dossierCode: dossier.code, reply: say.alreadyClaimedMessage(lang, dossier.code) };
  }

  /** Staff saw the money: claimed → confirmed; the citizen is told once. */
  confirmPayment(dossierCode: string, user: StaffUser): Promise<PaymentDecision> {
    return this.decide(dossierCode, user, 'confirmed', null);
  }

  /** Staff could not find the transfer: claimed → rejected (the citizen may claim again); the citizen is told once, with the reason. */
  rejectPayment(dossierCode: string, user: StaffUser, reason?: string): Promise<PaymentDecision> {
    const why = reason?.replace(/\s+/g, ' ').trim().slice(0, REASON_MAX) || null;
    return this.decide(dossierCode, user, 'rejected', why);
  }

  /** Deletes expired QR images; how many went. Run hourly. */
  purgeExpiredMedia(): Promise<number> {
    return deleteExpiredMedia(this.deps.db, this.now());
  }

  // ——— helpers ———

  private async decide(code: string, user: StaffUser, to: 'confirmed' | 'rejected', reason: string | null): Promise<PaymentDecision> {
    const dossier = await dossiers.dossierByCode(this.deps.db, code);
    if (!dossier) return { ok: false, reason: 'not_found' };
    const at = this.now();
    const done = await this.deps.db.transaction(async (tx) => {
      if (!(await transitionPayment(tx, dossier.id, { from: ['claimed'], to }, at))) return false;
      // one decision per claim: the claim's event id makes the key, so a later claim gets its own answer
      const claimId = (await latestClaimEventId(tx, dossier.id)) ?? 0;
      const sourceKey = `payment:${dossier.id}:${to}:${claimId}`;
      const note = reason === null ? null : redactPersonalData(reason).text;
      await dossiers.insertDossierEvent(tx, { dossierId: dossier.id, kind: to === 'confirmed' ? 'payment_confirmed' : 'payment_rejected', note, actorId: user.id, sourceKey });
      const lang = await this.languageOf(tx, dossier);
      const message = to === 'confirmed' ? say.confirmedNotice(lang, dossier.code) : say.rejectedNotice(lang, dossier.code, reason);
      await enqueueOutbound(tx, { conversationId: dossier.conversationId, channel: dossier.channel, chatId: dossier.chatId, kind: 'system', message, sourceKey });
      await this.audit.record(
        { userId: user.id, username: user.username, action: to === 'confirmed' ? 'dossier.payment_confirm' : 'dossier.payment_reject', target: `dossier:${dossier.code}`, details: note ? { reason: note } : {} },
        tx,
      );
      return true;
    });
    if (!done) {
      const now = await dossiers.dossierById(this.deps.db, dossier.id);
      return { ok: false, reason: 'not_claimed', paymentStatus: now?.paymentStatus ?? null };
    }
    this.notify(dossier.conversationId);
    return { ok: true, dossier: (await dossiers.dossierById(this.deps.db, dossier.id))! };
  }

  /** The conversation's own dossier by code, or (no code) its one open dossier not yet paid or whose claim was rejected. */
  private async dossierToClaim(conversationId: string, code: string | null): Promise<dossiers.DossierRow | null> {
    if (code) {
      const d = await dossiers.dossierByCode(this.deps.db, code.trim());
      // another citizen's code is treated as unknown: nothing about it is revealed
      return d && d.conversationId === conversationId ? d : null;
    }
    const mine = await dossiers.dossiersOfConversation(this.deps.db, conversationId);
    const open = mine.filter((d) => d.status !== 'done' && d.status !== 'returned' && d.feeCharged !== false);
    const awaiting = open.filter((d) => d.paymentStatus === null || d.paymentStatus === 'rejected');
    if (awaiting.length === 1) return awaiting[0]!;
    // pressing the button again after claiming: answered as already claimed, not with a question
    const claimed = open.filter((d) => d.paymentStatus === 'claimed');
    return awaiting.length === 0 && claimed.length === 1 ? claimed[0]! : null;
  }

  /** Where the QR image is served from for this channel: '' (same site) on the web, PUBLIC_URL (https) on Telegram and Zalo, else null. */
  private imageBase(channel: string): string | null {
    if (channel === 'web') return '';
    const publicUrl = this.deps.config.server.publicUrl;
    if ((channel === 'telegram' || channel === 'zalo') && publicUrl?.startsWith('https://')) return publicUrl;
    return null;
  }

  /** Stores the payload's PNG under 32 random url-safe characters (24 random bytes), for MEDIA_DAYS. */
  private async storeQr(payload: string): Promise<string> {
    const name = `${crypto.randomBytes(24).toString('base64url')}.png`;
    await insertMedia(this.deps.db, { name, content: await vietQrPng(payload), mime: 'image/png', expiresAt: new Date(this.now().getTime() + MEDIA_DAYS * DAY_MS) });
    return name;
  }

  private async languageOf(q: Queryable, d: dossiers.DossierRow): Promise<Language> {
    return (await new ConversationStore(q).load(d.conversationId, d.channel)).language;
  }
}
