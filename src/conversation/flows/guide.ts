import type { GuideStep, SubmittedVia } from '../../domain/dossier.ts';
import type { DossierService } from '../../services/dossiers/service.ts';
import type { PaymentService } from '../../services/payment/service.ts';
import { choiceId, type Choice, type Language, parseChoiceId, type ReplyMessage } from '../../domain/types.ts';
import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import { fold } from '../../retrieval/text.ts';
import {
  type CaseAnswer,
  type GuideQuestion,
  feeFacts,
  feeMessage,
  guideQuestions,
  handledAtCommune,
  hasOnlineChannel,
  inPersonSteps,
  onlineSteps,
  personalChecklist,
  renderChecklist,
} from '../../services/guide/index.ts';
import { findDossierCode } from '../../services/dossiers/code.ts';
import type { Queryable } from '../../storage/db.ts';
import { recordGuideEvent } from '../../storage/guide-event-store.ts';
import type { ProcedureOverrideStore } from '../../storage/procedure-override-store.ts';
import type { Flow, FlowOutcome, FlowTurn } from './types.ts';

/**
 * The guided submission: from "what do I need" to a submitted, paid, tracked dossier. The bot never submits; it
 * asks only the questions whose answers change what to bring (the procedure's cases), shows the checklist for
 * those answers in the record's words, walks the citizen through submitting online (VNeID level 2) or in person,
 * takes the dossier code, and shows how to pay. It owns the conversation's next messages until it ends, is
 * cancelled ("hủy") or hands over to staff; anything else the citizen asks meanwhile is answered by the assistant
 * and the guide keeps its place. Every step reached is stored for the funnel; the state lives in the
 * conversation's flow, so a restart or a return days later resumes it (after asking).
 */

type Stage = 'question' | 'channel' | 'online' | 'in_person' | 'code' | 'payment' | 'transfer' | 'resume';

export interface GuideData {
  guideId: string;
  code: string;
  stage: Stage;
  /** The case questions asked, in order (fixed when the guide starts), and how far it is. */
  questions: string[];
  /**
   * The questions themselves, computed once when the guide starts (weighing which cases change the papers composes
   * the checklist for each: a good part of a second on a long record), so each later step only reads them.
   */
  asked?: GuideQuestion[];
  index: number;
  answers: Record<string, CaseAnswer>;
  channel?: SubmittedVia;
  dossierCode?: string;
  /** Where the guide was before it asked whether to continue after a long pause. */
  resumeStage?: Stage;
  lastAt: string;
}

/** What the guide needs of the dossiers service. */
export type GuideDossiers = Pick<DossierService, 'register' | 'setPayment'>;

/** What the guide needs of the payment service. */
export type GuidePayments = Pick<PaymentService, 'transferOffer' | 'recordTransferClaim'>;

export interface GuideDeps {
  procedures: { get(code: string): Promise<Procedure | null> };
  overrides: ProcedureOverrideStore;
  profile: CommuneProfile;
  /** Where the funnel events go. */
  db: Queryable;
  /** Answers what the citizen asks meanwhile (the answering flow); the guide keeps its place. */
  answering: Flow;
  dossiers?: GuideDossiers;
  payments?: GuidePayments;
  now?: () => Date;
  /** After this long without a message, the guide asks whether to continue before going on. */
  resumeAfterMs?: number;
}

const DAY = 86_400_000;

export class GuideFlow implements Flow {
  readonly name = 'guide' as const;
  private readonly now: () => Date;
  constructor(private readonly deps: GuideDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** An answer about this procedure offers the guide: it has an online channel, or the commune handles it. */
  offers(p: Procedure): boolean {
    return hasOnlineChannel(p) || handledAtCommune(p);
  }

  /** Starts the guide for a procedure (from the answering flow: a choice, /nophoso, a wish to act). */
  async start(turn: FlowTurn, code: string): Promise<FlowOutcome> {
    const p = await this.deps.procedures.get(code);
    const lang = turn.state.language;
    if (!p) return { replies: [{ text: lang === 'vi' ? 'Tôi không tìm thấy thủ tục này trong danh mục.' : 'I cannot find this procedure in the listing.' }] };
    const at = this.now().toISOString();
    const asked = guideQuestions(p);
    const questions = asked.map((q) => q.caseId);
    const data: GuideData = { guideId: `${turn.conversationId}@${at}`, code, stage: 'question', questions, asked, index: 0, answers: {}, lastAt: at };
    await this.event(turn, data, 'started');
    const intro: ReplyMessage = {
      text:
        lang === 'vi'
          ? `Hướng dẫn nộp hồ sơ: ${p.title} (mã ${p.code}).\n${questions.length ? `Tôi hỏi ${questions.length} câu ngắn để lập danh sách giấy tờ đúng trường hợp của bạn.` : 'Thủ tục này không có trường hợp riêng cần hỏi.'} Bạn có thể nhắn “hủy” để dừng bất cứ lúc nào.`
          : `Guide to submitting: ${p.title} (code ${p.code}).\n${questions.length ? `I will ask ${questions.length} short questions to list the papers for your case.` : 'This procedure has no special cases to ask about.'} Type “hủy” to stop at any time.`,
    };
    const next = await this.stageMessages(turn, p, data);
    return { replies: [intro, ...next.replies], next: { name: 'guide', data: next.data as unknown as Record<string, unknown> } };
  }

  async handle(turn: FlowTurn): Promise<FlowOutcome> {
    const data = turn.flow.data as unknown as GuideData;
    const lang = turn.state.language;
    const p = data?.code ? await this.deps.procedures.get(data.code) : null;
    if (!p || !data.guideId) return { replies: [], next: { name: 'answering', data: {} }, pass: true };
    const picked = turn.choice ? parseChoiceId(turn.choice) : null;
    const guide = picked?.kind === 'guide' ? picked : null;
    const folded = fold(turn.text ?? '').trim();
    const keep = (d: GuideData, replies: ReplyMessage[]): FlowOutcome => ({ replies, next: { name: 'guide', data: { ...d, lastAt: this.now().toISOString() } as unknown as Record<string, unknown> } });

    if (guide?.action === 'cancel' || /^(huy|huy bo|dung|dung lai|thoi|cancel|stop)$/.test(folded)) {
      await this.event(turn, data, 'cancelled', { stage: data.stage });
      return { replies: [{ text: lang === 'vi' ? 'Đã dừng hướng dẫn nộp hồ sơ. Bạn cần hỏi gì thêm cứ nhắn cho tôi.' : 'The guide is stopped. Ask me anything else you need.' }], next: { name: 'answering', data: {} } };
    }
    // a person: the handover takes over (the answering flow opens the ticket)
    if (picked?.kind === 'staff' || turn.command === 'canbo') {
      await this.event(turn, data, 'handover', { stage: data.stage });
      return { replies: [], next: { name: 'answering', data: {} }, pass: true };
    }
    if (guide?.action === 'start' && guide.code && guide.code !== data.code) return this.start(turn, guide.code);

    // back after a long pause: ask before going on
    const idle = this.now().getTime() - new Date(data.lastAt).getTime();
    const answersResume = guide && (guide.action === 'continue' || guide.action === 'restart');
    if (data.stage !== 'resume' && idle > (this.deps.resumeAfterMs ?? DAY) && !answersResume) {
      return keep({ ...data, stage: 'resume', resumeStage: data.stage }, [
        {
          text: lang === 'vi' ? `Lần trước bạn đang được hướng dẫn nộp hồ sơ “${p.title}”. Bạn muốn tiếp tục không?` : `Last time you were being guided through “${p.title}”. Continue?`,
          choices: [
            { id: choiceId.guide('continue'), label: lang === 'vi' ? 'Tiếp tục' : 'Continue' },
            { id: choiceId.guide('restart'), label: lang === 'vi' ? 'Làm lại từ đầu' : 'Start again' },
            cancelChoice(lang),
          ],
        },
      ]);
    }
    if (guide?.action === 'restart') return this.start(turn, data.code);
    if (guide?.action === 'continue') {
      const d = data.stage === 'resume' ? { ...data, stage: data.resumeStage ?? 'question' } : data;
      return this.reply(await this.stageMessages(turn, p, d));
    }

    // a dossier code typed at any point is the submission
    const typedCode = turn.text ? findDossierCode(turn.text) : null;
    if (typedCode && this.deps.dossiers) {
      const r = await this.submitted(turn, p, data, typedCode);
      return r.done ? this.finish(r.replies) : this.reply(r);
    }

    switch (data.stage) {
      case 'question': {
        const caseId = data.questions[data.index];
        const q = (data.asked ?? guideQuestions(p)).find((x) => x.caseId === caseId);
        // a pressed button carries whether the record's case holds; a typed "có" answers the question as asked
        const typed = typedAnswer(folded);
        const answer = guide?.action === 'answer' && guide.caseId === caseId ? guide.answer! : typed && q?.inverted ? invert(typed) : typed;
        if (caseId && answer) {
          const d = { ...data, answers: { ...data.answers, [caseId]: answer }, index: data.index + 1 };
          return this.reply(await this.stageMessages(turn, p, d));
        }
        break;
      }
      case 'channel':
      case 'online':
      case 'in_person': {
        if (guide?.action === 'online' && hasOnlineChannel(p)) return this.reply(await this.stageMessages(turn, p, { ...data, stage: 'online', channel: 'online' }));
        if (guide?.action === 'in_person') return this.reply(await this.stageMessages(turn, p, { ...data, stage: 'in_person', channel: 'in_person' }));
        if (guide?.action === 'submitted') return this.reply(await this.stageMessages(turn, p, { ...data, stage: 'code' }));
        break;
      }
      case 'code':
        if (turn.text && !typedCode && looksLikeAttemptedCode(turn.text)) {
          return keep(data, [{ text: lang === 'vi' ? 'Mã hồ sơ chưa đúng dạng (ví dụ: H56.14-240823-0001). Vui lòng nhập lại mã trên phiếu hẹn hoặc trong thông báo của Cổng Dịch vụ công.' : 'That does not look like a dossier code (e.g. H56.14-240823-0001). Please type the code on your receipt.', choices: [cancelChoice(lang)] }]);
        }
        break;
      case 'payment':
      case 'transfer': {
        if (guide?.action === 'paid_portal' && data.dossierCode) {
          await this.deps.dossiers?.setPayment(data.dossierCode, { method: 'portal', status: 'claimed' }, null);
          await this.event(turn, data, 'paid', { method: 'portal' });
          return this.finish([{ text: lang === 'vi' ? 'Cảm ơn bạn. Thanh toán trên Cổng Dịch vụ công là hình thức được tính là thanh toán trực tuyến. Tôi sẽ báo cho bạn khi cán bộ cập nhật hồ sơ.' : 'Thank you. Paying on the portal is what counts as online payment. I will tell you when staff update your dossier.' }]);
        }
        if (guide?.action === 'transfer' && this.deps.payments) {
          const facts = feeFacts(p, data.channel === 'online' ? 'truc_tuyen' : 'truc_tiep', data.answers);
          const offer = await this.deps.payments.transferOffer({ procedure: p, channel: turn.channel, exactAmount: facts.exactAmount, dossierCode: data.dossierCode ?? null, lang });
          await this.event(turn, data, 'payment', { method: 'transfer' });
          if (offer) return keep({ ...data, stage: 'transfer' }, [{ ...offer, choices: [transferredChoice(lang), cancelChoice(lang)] }]);
        }
        if ((guide?.action === 'transferred' || /^toi da chuyen khoan|^da chuyen khoan/.test(folded)) && this.deps.payments) {
          const claim = await this.deps.payments.recordTransferClaim({ conversationId: turn.conversationId, dossierCode: data.dossierCode ?? null, lang });
          if (claim.outcome === 'needs_code' || claim.outcome === 'unknown_dossier') return keep({ ...data, stage: 'code' }, [claim.reply]);
          await this.event(turn, data, 'paid', { method: 'transfer', claimed: true });
          return this.finish([claim.reply]);
        }
        break;
      }
      case 'resume':
        break;
    }

    // anything else: the assistant answers it, the guide keeps its place
    const answered = await this.deps.answering.handle({ ...turn, flow: { name: 'answering', data: {} } });
    if (answered.next && answered.next.name !== 'answering') {
      await this.event(turn, data, 'handover', { stage: data.stage });
      return answered;
    }
    return keep(data, [
      ...answered.replies,
      {
        text: lang === 'vi' ? `Bạn đang được hướng dẫn nộp hồ sơ “${p.title}”.` : `You are being guided through “${p.title}”.`,
        choices: [{ id: choiceId.guide('continue'), label: lang === 'vi' ? 'Tiếp tục hướng dẫn' : 'Continue the guide' }, cancelChoice(lang)],
      },
    ]);
  }

  /** The messages for the stage the data is at (moving on from questions to the checklist when they are done). */
  private async stageMessages(turn: FlowTurn, p: Procedure, data: GuideData): Promise<{ replies: ReplyMessage[]; data: GuideData }> {
    const lang = turn.state.language;
    if (data.stage === 'question') {
      // the next question that applies to the answers so far (one may only follow a given earlier answer)
      const all = data.asked ?? guideQuestions(p);
      let index = data.index;
      for (; index < data.questions.length; index++) {
        const q = all.find((x) => x.caseId === data.questions[index]);
        if (q && (!q.onlyIf || q.onlyIf.answers.includes(data.answers[q.onlyIf.caseId] ?? 'unknown'))) break;
      }
      const q = all.find((x) => x.caseId === data.questions[index]);
      if (q) return { data: { ...data, index }, replies: [{ text: `${index + 1}/${data.questions.length}. ${q.text}`, choices: [...q.choices, cancelChoice(lang)] }] };
      data = { ...data, index };
    }
    if (data.stage === 'question') {
      const checklist = renderChecklist(personalChecklist(p, data.answers), lang);
      await this.event(turn, data, 'checklist', { answers: data.answers });
      const online = hasOnlineChannel(p);
      const ask: ReplyMessage = {
        text: lang === 'vi' ? (online ? 'Bạn muốn nộp hồ sơ trực tuyến hay trực tiếp?' : 'Thủ tục này nộp trực tiếp tại cơ quan giải quyết.') : online ? 'Submit online or in person?' : 'This procedure is submitted in person.',
        choices: online ? [channelChoice('online', lang), channelChoice('in_person', lang), cancelChoice(lang)] : [channelChoice('in_person', lang), cancelChoice(lang)],
      };
      return { data: { ...data, stage: 'channel' }, replies: [...checklist, ask] };
    }
    if (data.stage === 'online' || data.stage === 'in_person') {
      const override = await this.deps.overrides.get(p.code);
      const steps = data.stage === 'online' ? onlineSteps(p, this.deps.profile, override ? { fullyOnline: override.fullyOnline, portalUrl: override.portalUrl } : null, lang) : inPersonSteps(p, this.deps.profile, lang);
      const note = override?.localNote ? [{ text: lang === 'vi' ? `Ghi chú của Trung tâm: ${override.localNote}` : `Note from the Center: ${override.localNote}` }] : [];
      await this.event(turn, data, 'channel_chosen', { channel: data.stage });
      const other: Choice | null = data.stage === 'online' ? channelChoice('in_person', lang) : hasOnlineChannel(p) ? channelChoice('online', lang) : null;
      const choices = [{ id: choiceId.guide('submitted'), label: lang === 'vi' ? 'Tôi đã nộp, có mã hồ sơ' : 'Submitted: I have the code' }, ...(other ? [other] : []), cancelChoice(lang)];
      const fee = feeMessage(p, data.stage === 'online' ? 'truc_tuyen' : 'truc_tiep', lang, data.answers);
      const body: ReplyMessage[] = [...(steps ? [steps] : []), ...note, fee];
      body[body.length - 1] = { ...body[body.length - 1]!, choices };
      return { data, replies: body };
    }
    if (data.stage === 'code') {
      return {
        data,
        replies: [
          {
            text:
              lang === 'vi'
                ? 'Vui lòng nhập mã hồ sơ (trên phiếu hẹn, hoặc trong thông báo của Cổng Dịch vụ công sau khi nộp), ví dụ H56.14-240823-0001. Tôi sẽ báo cho bạn khi hồ sơ có kết quả.'
                : 'Please type the dossier code (on your receipt, or in the portal’s notice after submitting), e.g. H56.14-240823-0001. I will tell you when it is done.',
            choices: [cancelChoice(lang)],
          },
        ],
      };
    }
    // after the code ("Tiếp tục hướng dẫn" following a question meanwhile): how to pay, not the guide from the start
    if ((data.stage === 'payment' || data.stage === 'transfer') && data.dossierCode) return { data, replies: [this.paymentMessage(p, data, lang)] };
    // channel (or an unknown stage): ask again
    return this.stageMessages(turn, p, { ...data, stage: 'question', index: data.questions.length });
  }

  /** The dossier code is given: stored, then how to pay (or, when free, the end of the guide). */
  private async submitted(turn: FlowTurn, p: Procedure, data: GuideData, code: string): Promise<{ replies: ReplyMessage[]; data: GuideData; done?: boolean }> {
    const lang = turn.state.language;
    const channel = data.channel === 'online' ? 'truc_tuyen' : 'truc_tiep';
    const facts = feeFacts(p, channel, data.answers);
    const result = await this.deps.dossiers!.register({
      code,
      conversationId: turn.conversationId,
      channel: turn.channel,
      chatId: turn.chatId ?? turn.conversationId.slice(turn.channel.length + 1),
      procedure: p,
      submittedVia: data.channel ?? null,
      feeCharged: facts.free ? false : facts.feeText ? true : null,
      guideId: data.guideId,
    });
    if (!result.ok) {
      return {
        data: { ...data, stage: 'code' },
        replies: [
          {
            text:
              result.reason === 'taken'
                ? lang === 'vi' ? 'Mã hồ sơ này đã được đăng ký trong một cuộc trò chuyện khác. Vui lòng kiểm tra lại mã.' : 'This dossier code is registered in another conversation. Please check it.'
                : lang === 'vi' ? 'Mã hồ sơ chưa đúng dạng. Vui lòng nhập lại.' : 'That dossier code does not look right. Please type it again.',
            choices: [cancelChoice(lang)],
          },
        ],
      };
    }
    const d: GuideData = { ...data, dossierCode: result.dossier.code, stage: 'payment' };
    await this.event(turn, d, 'submitted', { channel: data.channel ?? null });
    const saved: ReplyMessage = {
      text: lang === 'vi' ? `Đã lưu mã hồ sơ ${result.dossier.code}. Tôi sẽ báo cho bạn tại đây khi cán bộ cập nhật tình trạng hồ sơ.` : `Dossier ${result.dossier.code} is saved. I will tell you here when staff update it.`,
    };
    if (facts.free) {
      await this.deps.dossiers!.setPayment(result.dossier.code, { method: 'exempt' }, null);
      return { data: d, done: true, replies: [saved, { text: lang === 'vi' ? 'Thủ tục này miễn phí: bạn không phải nộp lệ phí.' : 'This procedure is free: there is no fee to pay.' }] };
    }
    return { data: d, replies: [saved, this.paymentMessage(p, d, lang)] };
  }

  /** How to pay the fee once the dossier is submitted, with the ways this product can record it. */
  private paymentMessage(p: Procedure, data: GuideData, lang: Language): ReplyMessage {
    const pay = feeMessage(p, data.channel === 'online' ? 'truc_tuyen' : 'truc_tiep', lang, data.answers);
    const choices: Choice[] = [];
    if (data.stage === 'transfer') choices.push(transferredChoice(lang));
    if (data.channel === 'online') choices.push({ id: choiceId.guide('paid_portal'), label: lang === 'vi' ? 'Đã thanh toán trên Cổng' : 'Paid on the portal' });
    if (this.deps.payments) choices.push({ id: choiceId.guide('transfer'), label: lang === 'vi' ? 'Chuyển khoản (VietQR)' : 'Bank transfer (VietQR)' });
    choices.push(cancelChoice(lang));
    return { ...pay, choices };
  }

  private reply(r: { replies: ReplyMessage[]; data: GuideData }): FlowOutcome {
    return { replies: r.replies, next: { name: 'guide', data: { ...r.data, lastAt: this.now().toISOString() } as unknown as Record<string, unknown> } };
  }

  /** The guide's part is over (the dossier is tracked from here): back to answering. */
  private finish(replies: ReplyMessage[]): FlowOutcome {
    return { replies, next: { name: 'answering', data: {} } };
  }

  private async event(turn: FlowTurn, data: GuideData, step: GuideStep, extra: Record<string, unknown> = {}): Promise<void> {
    await recordGuideEvent(this.deps.db, { guideId: data.guideId, conversationId: turn.conversationId, channel: turn.channel, procedureCode: data.code, step, data: extra });
  }
}

const transferredChoice = (lang: Language): Choice => ({ id: choiceId.guide('transferred'), label: lang === 'vi' ? 'Tôi đã chuyển khoản' : 'I have transferred' });
const cancelChoice = (lang: Language): Choice => ({ id: choiceId.guide('cancel'), label: lang === 'vi' ? 'Hủy' : 'Cancel' });
const channelChoice = (c: SubmittedVia, lang: Language): Choice =>
  c === 'online'
    ? { id: choiceId.guide('online'), label: lang === 'vi' ? 'Nộp trực tuyến' : 'Submit online' }
    : { id: choiceId.guide('in_person'), label: lang === 'vi' ? 'Nộp trực tiếp' : 'Submit in person' };

const invert = (a: CaseAnswer): CaseAnswer => (a === 'yes' ? 'no' : a === 'no' ? 'yes' : a);

/** "có", "không", "không rõ" typed instead of pressed. */
function typedAnswer(folded: string): CaseAnswer | null {
  if (/^(khong ro|khong biet|chua ro|khong chac|ko ro|k ro|not sure|unknown)$/.test(folded)) return 'unknown';
  if (/^(co|co a|dung|dung roi|vang|yes|y)$/.test(folded)) return 'yes';
  if (/^(khong|khong a|ko|k|chua|no|n)$/.test(folded)) return 'no';
  return null;
}

/** A short token with digits and dashes that is not quite a code: worth asking again rather than answering. */
function looksLikeAttemptedCode(text: string): boolean {
  const t = text.trim();
  return t.length <= 40 && !/\s/.test(t) && /\d/.test(t) && /[.\-]/.test(t);
}
