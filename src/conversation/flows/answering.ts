import type { Assistant } from '../../assistant/assistant.ts';
import { NOPHOSO_WHICH } from '../commands.ts';
import { choiceId, parseChoiceId, type ReplyMessage } from '../../domain/types.ts';
import { fold } from '../../retrieval/text.ts';
import { ratingQuestion } from '../../services/ratings/levels.ts';
import { caseStatusLead } from '../../assistant/answer/replies.ts';
import type { HandoverService } from '../../services/handover/service.ts';
import { staffChoice } from '../../services/handover/messages.ts';
import type { TicketReason } from '../../domain/staff.ts';
import type { ConversationStore } from '../../storage/conversation-store.ts';
import type { Flow, FlowOutcome, FlowTurn } from './types.ts';
import type { DossierService } from '../../services/dossiers/service.ts';
import { findDossierCode } from '../../services/dossiers/code.ts';
import type { Procedure } from '../../knowledge/procedure.ts';

/** The dossiers as the answering flow sees them. */
export type AnsweringDossiers = Pick<DossierService, 'register' | 'mine' | 'mineMessage'> & { procedure(code: string): Promise<Procedure | null> };

/** The guided submission as the answering flow sees it (attached after both flows are built: each uses the other). */
export interface GuideStarter {
  /** Whether an answer about this procedure offers "Hướng dẫn nộp hồ sơ" (an online channel, or the commune handles it). */
  offers(p: Procedure): boolean;
  start(turn: FlowTurn, code: string): Promise<FlowOutcome>;
}

/**
 * The default flow: every message goes through the assistant's steps, which keep the procedure under discussion,
 * resolve follow-ups against it, and answer a wish to act with how to submit it. An episode — the answers about
 * one procedure — ends when the citizen presses "Xong" or thanks or says goodbye; the satisfaction question is then
 * asked once for it (the rating flow), never after every answer.
 */
export class AnsweringFlow implements Flow {
  readonly name = 'answering' as const;
  constructor(
    private readonly assistant: Assistant | Promise<Assistant>,
    /** With the conversations store, answers offer "Xong" and closing an episode asks for a rating. */
    private readonly conversations?: ConversationStore,
    /** With the handover, asking for a person (in any words, first message included) opens a ticket. */
    private readonly handover?: HandoverService,
  ) {}

  private guide: GuideStarter | null = null;
  private dossiers: AnsweringDossiers | null = null;

  /** Lets answers offer the guide, and a wish to act, /nophoso or the choice start it. */
  attachGuide(guide: GuideStarter): void {
    this.guide = guide;
  }

  /** Lets a typed dossier code be tracked, and a status question answered from the tracked dossiers. */
  attachDossiers(dossiers: AnsweringDossiers): void {
    this.dossiers = dossiers;
  }

  async handle(turn: FlowTurn): Promise<FlowOutcome> {
    const data = turn.flow.data as { episode?: string; rated?: string; noAnswers?: number };
    if (this.handover && this.conversations && wantsPerson(turn)) return this.openTicket(turn, turn.command === 'canbo' ? 'asked_for_person' : 'choice', []);
    const lang = turn.state.language;
    const picked = turn.choice ? parseChoiceId(turn.choice) : null;
    if (this.guide && picked?.kind === 'guide' && picked.action === 'start' && picked.code) return this.guide.start(turn, picked.code);
    if (this.guide && turn.command === 'nophoso') {
      if (turn.state.currentProcedure) return this.guide.start(turn, turn.state.currentProcedure);
      // no procedure discussed yet: ask which one (the assistant would read "/nophoso" as a question)
      return { replies: [{ text: NOPHOSO_WHICH[lang] }] };
    }
    const rateable = !!this.conversations && !!turn.state.currentProcedure && !!data.episode && data.rated !== data.episode;
    if (this.conversations && isDone(turn)) {
      if (rateable) return this.askRating(turn, data.episode!, [], data);
      return { replies: [{ text: lang === 'vi' ? 'Cảm ơn bạn. Khi cần, bạn cứ nhắn câu hỏi về thủ tục khác.' : 'Thank you. Ask about any other procedure whenever you need.' }] };
    }

    const assistant = await this.assistant;
    const reply = await assistant.handle({ conversationId: turn.conversationId, channel: turn.channel, text: turn.text, choice: turn.choice });
    if (!this.conversations) return { replies: reply.messages };

    // a dossier code typed: tracked from now on; a status question: what staff last recorded, or a person to look it up
    const dossierCode = this.dossiers && turn.text ? findDossierCode(turn.text) : null;
    if (this.dossiers && (dossierCode || reply.label === 'case_status')) {
      const tracked = await this.trackedDossiers(turn, dossierCode);
      if (tracked) return tracked;
    }
    if (this.handover && reply.decision === 'handoff') {
      const caseStatus = reply.label === 'case_status';
      return this.openTicket(turn, caseStatus ? 'case_status' : 'asked_for_person', caseStatus ? [caseStatusLead(reply.language, this.handover.profile)] : []);
    }
    // clarifications and no-answers always offer a person; a second no-answer in a row says so
    if (this.handover && (reply.decision === 'no_answer' || reply.decision === 'clarify')) {
      const noAnswers = reply.decision === 'no_answer' ? (data.noAnswers ?? 0) + 1 : 0;
      await this.offerStaff(turn, reply.messages, noAnswers >= 2);
      return { replies: reply.messages, next: noAnswers !== (data.noAnswers ?? 0) ? { name: 'answering', data: { ...data, noAnswers } } : undefined };
    }

    // thanks or goodbye after an answer closes the episode
    if (reply.smallTalk && ['thanks', 'bye'].includes(reply.smallTalk) && rateable) return this.askRating(turn, data.episode!, reply.messages, data);

    // a new procedure answered opens a new episode; its answers offer "Xong"
    const answered = reply.decision === 'answer' && reply.procedures[0] && (reply.label === 'procedure' || reply.label === 'follow_up');
    if (!answered) return { replies: reply.messages };
    const code = reply.procedures[0]!;
    // "tôi muốn làm thủ tục này": the guide, for the procedure under discussion
    // from the record this answer was composed from: no second read
    const guideOffered = !!this.guide && reply.record?.code === code && this.guide.offers(reply.record);
    if (guideOffered && reply.wishToAct) return this.guide!.start(turn, code);
    const episode = data.episode && data.episode.startsWith(`${code}@`) ? data.episode : `${code}@${new Date().toISOString()}`;
    const last = reply.messages.at(-1);
    const extra = [];
    if (guideOffered) extra.push({ id: choiceId.guideStart(code), label: lang === 'vi' ? 'Hướng dẫn nộp hồ sơ' : 'Guide me to submit' });
    if (data.rated !== episode) extra.push({ id: choiceId.done(), label: lang === 'vi' ? 'Xong' : 'Done' });
    const adding = extra.filter((c) => !last?.choices?.some((x) => x.id === c.id));
    if (last && adding.length) {
      // at most six choices: the guide and "Xong" go before the last aspects offered
      const kept = [...(last.choices ?? [])];
      for (let i = kept.length - 1; i >= 0 && kept.length + adding.length > MAX_CHOICES; i--) if (kept[i]!.id.startsWith('aspect:')) kept.splice(i, 1);
      last.choices = [...kept, ...adding].slice(0, MAX_CHOICES);
      // the numbered choices a Zalo citizen may type must include them
      const state = await this.conversations.load(turn.conversationId, turn.channel);
      await this.conversations.save({ ...state, pendingChoices: last.choices });
    }
    const changed = episode !== data.episode || !!data.noAnswers;
    return { replies: reply.messages, next: changed ? { name: 'answering', data: { ...data, episode, noAnswers: 0 } } : undefined };
  }

  /**
   * A code is registered (with the procedure under discussion) and the citizen's dossiers listed with what staff
   * last recorded; null when there is nothing to show (no code, no tracked dossier: staff look it up instead).
   */
  private async trackedDossiers(turn: FlowTurn, code: string | null): Promise<FlowOutcome | null> {
    const d = this.dossiers!;
    const lang = turn.state.language;
    const before: ReplyMessage[] = [];
    if (code) {
      const state = await this.conversations!.load(turn.conversationId, turn.channel);
      const procedure = state.currentProcedure ? await d.procedure(state.currentProcedure) : null;
      const r = await d.register({ code, conversationId: turn.conversationId, channel: turn.channel, chatId: turn.chatId ?? turn.conversationId.slice(turn.channel.length + 1), procedure, submittedVia: null, feeCharged: null });
      if (!r.ok) before.push({ text: r.reason === 'taken' ? (lang === 'vi' ? 'Mã hồ sơ này đã được đăng ký trong một cuộc trò chuyện khác. Vui lòng kiểm tra lại mã.' : 'This dossier code is registered in another conversation. Please check it.') : lang === 'vi' ? 'Mã hồ sơ chưa đúng dạng.' : 'That dossier code does not look right.' });
      else if (r.created) before.push({ text: lang === 'vi' ? `Đã lưu mã hồ sơ ${r.dossier.code}. Tôi sẽ báo cho bạn tại đây khi cán bộ cập nhật tình trạng hồ sơ.` : `Dossier ${r.dossier.code} is saved. I will tell you here when staff update it.` });
    }
    const mine = await d.mine(turn.conversationId);
    if (!mine.length) return before.length ? { replies: before } : null;
    const list = await d.mineMessage(turn.conversationId, lang);
    const replies = [...before, { ...list, choices: [...(list.choices ?? []), staffChoice(lang)] }];
    await this.conversations!.setPendingChoices(turn.conversationId, replies.at(-1)!.choices ?? []);
    return { replies };
  }

  /** Opens (or finds) the ticket and hands the conversation to the waiting flow; the citizen is told where they stand. */
  private async openTicket(turn: FlowTurn, reason: TicketReason, before: ReplyMessage[]): Promise<FlowOutcome> {
    const state = await this.conversations!.load(turn.conversationId, turn.channel);
    const opened = await this.handover!.open({
      conversationId: turn.conversationId,
      channel: turn.channel,
      chatId: turn.chatId ?? turn.conversationId.slice(turn.channel.length + 1),
      reason,
      procedureCode: state.currentProcedure,
      language: state.language,
    });
    const replies = [...before, ...opened.replies];
    await this.conversations!.save({ ...state, pendingChoices: replies.at(-1)?.choices ?? [] });
    return { replies, next: { name: opened.ticket.status === 'with_staff' ? 'with_staff' : 'waiting_staff', data: {} } };
  }

  /** Adds "Gặp cán bộ" to the last message's choices (and to the numbers a Zalo citizen may type). */
  private async offerStaff(turn: FlowTurn, messages: ReplyMessage[], say: boolean): Promise<void> {
    const last = messages.at(-1);
    if (!last || last.choices?.some((c) => c.id === 'staff')) return;
    const lang = turn.state.language;
    if (say) last.text += lang === 'vi' ? '\nBạn có muốn gặp cán bộ Trung tâm không?' : '\nWould you like to talk to the Center’s staff?';
    if ((last.choices?.length ?? 0) >= 6) return;
    last.choices = [...(last.choices ?? []), staffChoice(lang)];
    const state = await this.conversations!.load(turn.conversationId, turn.channel);
    await this.conversations!.save({ ...state, pendingChoices: last.choices });
  }

  private async askRating(turn: FlowTurn, episode: string, before: ReplyMessage[], data: Record<string, unknown>): Promise<FlowOutcome> {
    const question = ratingQuestion(turn.state.language);
    const state = await this.conversations!.load(turn.conversationId, turn.channel);
    await this.conversations!.save({ ...state, pendingChoices: question.choices ?? [] });
    return {
      replies: [...before, question],
      next: { name: 'rating', data: { episode, procedure: turn.state.currentProcedure, stage: 'level', answering: data } },
    };
  }
}

/** The most choices a message carries (Telegram rows, Zalo's numbered list on a phone screen). */
const MAX_CHOICES = 6;

/** "Gặp cán bộ" pressed or picked by its number, or /canbo. */
function wantsPerson(turn: FlowTurn): boolean {
  if (turn.command === 'canbo') return true;
  if (turn.choice) return parseChoiceId(turn.choice).kind === 'staff';
  const n = /^\s*(\d{1,2})\s*$/.exec(turn.text ?? '');
  return !!n && turn.state.pendingChoices[Number(n[1]) - 1]?.id === 'staff';
}

/** "Xong" pressed, typed, or picked by its number. */
function isDone(turn: FlowTurn): boolean {
  if (turn.choice) return parseChoiceId(turn.choice).kind === 'done';
  const folded = fold(turn.text ?? '');
  if (/^(xong|xong roi|done)$/.test(folded)) return true;
  const n = /^\s*(\d{1,2})\s*$/.exec(folded);
  return !!n && turn.state.pendingChoices[Number(n[1]) - 1]?.id === 'done';
}
