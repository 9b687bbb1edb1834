import { redactPersonalData } from '../../assistant/guardrails/pii.ts';
import { detectEmergency } from '../../assistant/router/emergency.ts';
import { parseChoiceId } from '../../domain/types.ts';
import { fold } from '../../retrieval/text.ts';
import { alreadyRated, alreadyRatedCommentOpen, commentQuestion, thanksForRating, typedLevel } from '../../services/ratings/levels.ts';
import type { RatingStore } from '../../storage/rating-store.ts';
import type { ReplyMessage } from '../../domain/types.ts';
import type { Flow, FlowOutcome, FlowTurn } from './types.ts';

/**
 * The satisfaction question, asked once per episode: a level (a button, its number on Zalo, or its name), stored
 * before the citizen is thanked; then an optional comment (redacted before it is stored). Anything else — a new
 * question, an emergency — is not a rating: the conversation goes back to answering, which takes the message.
 */
/** A rating of Không hài lòng (2) or worse is shown to the centre's lead (the handover service flags it). */
export type LowRatingHandler = (r: { conversationId: string; channel: string; chatId: string; ticketId: number | null; procedureCode: string | null; level: number }) => Promise<void>;
const LOW = 2;
/** Hài lòng (4) and Rất hài lòng (5): the announcements offer may follow the thanks. */
const GOOD = 4;
/** The announcements offer (once per conversation: null after the first time). */
export type GoodRatingOffer = (turn: FlowTurn) => Promise<ReplyMessage | null>;

export class RatingFlow implements Flow {
  readonly name = 'rating' as const;
  constructor(
    private readonly ratings: RatingStore,
    private readonly onLowRating?: LowRatingHandler,
    private readonly offerAfterGoodRating?: GoodRatingOffer,
  ) {}

  async handle(turn: FlowTurn): Promise<FlowOutcome> {
    const lang = turn.state.language;
    const data = turn.flow.data as {
      episode?: string;
      procedure?: string | null;
      stage?: 'level' | 'comment';
      answering?: Record<string, unknown>;
      /** Set when the question follows a closed handover ticket. */
      ticketId?: number;
      staff?: string;
      level?: number;
    };
    const back = (extra: Record<string, unknown> = {}) => ({ name: 'answering' as const, data: { ...(data.answering ?? {}), ...extra } });
    const episode = data.episode ?? `${turn.conversationId}:${turn.flow.since ?? ''}`;
    const picked = turn.choice ? parseChoiceId(turn.choice) : null;
    const folded = fold(turn.text ?? '');
    if (folded && detectEmergency(folded)) return { replies: [], next: back(), pass: true };

    if (data.stage !== 'comment') {
      const level = picked?.kind === 'rate' ? picked.level : turn.text ? typedLevel(folded) : null;
      if (level === null) return { replies: [], next: back(), pass: true };
      const ticketId = data.ticketId ?? null;
      const result = await this.ratings.record({ conversationId: turn.conversationId, channel: turn.channel, episode, level, procedureCode: data.procedure ?? null, ticketId, staff: data.staff ?? null });
      if (result === 'duplicate') return { replies: [alreadyRated(lang)], next: back({ rated: episode }) };
      if (level <= LOW && this.onLowRating) {
        const chatId = turn.chatId ?? turn.conversationId.slice(turn.channel.length + 1);
        await this.onLowRating({ conversationId: turn.conversationId, channel: turn.channel, chatId, ticketId, procedureCode: data.procedure ?? null, level });
      }
      return { replies: [commentQuestion(lang, level)], next: { name: 'rating', data: { ...data, episode, stage: 'comment', level } } };
    }

    if (picked?.kind === 'skip' || /^(bo qua|khong|ko|k|thoi|skip|no)$/.test(folded)) {
      return { replies: await this.thanks(turn, data.level, false), next: back({ rated: episode }) };
    }
    // a second level pressed changes nothing, and the comment may still follow
    if (picked?.kind === 'rate') return { replies: [alreadyRatedCommentOpen(lang)], next: { name: 'rating', data: { ...data, episode, stage: 'comment' } } };
    const text = (turn.text ?? '').trim();
    // a question is not a comment: it is answered, and the rating stays as given. After a low rating, what follows is
    // the complaint, even worded as a question ("tôi không hiểu phải nộp ở đâu"): it is the comment the centre needs
    const low = data.level !== undefined && data.level <= LOW;
    if (!text || (!low && looksLikeQuestion(folded))) return { replies: [], next: back({ rated: episode }), pass: true };
    await this.ratings.addComment(turn.conversationId, episode, redactPersonalData(text).text.slice(0, 2000));
    return { replies: await this.thanks(turn, data.level, true), next: back({ rated: episode }) };
  }

  /** The thanks, then after a good rating the announcements offer (once per conversation). */
  private async thanks(turn: FlowTurn, level: number | undefined, withComment: boolean): Promise<ReplyMessage[]> {
    const replies = [thanksForRating(turn.state.language, withComment)];
    const offer = level !== undefined && level >= GOOD && this.offerAfterGoodRating ? await this.offerAfterGoodRating(turn) : null;
    return offer ? [...replies, offer] : replies;
  }
}

function looksLikeQuestion(folded: string): boolean {
  return /\b(thu tuc|can gi|giay to|bao lau|bao nhieu|lam sao|o dau|nhu the nao|the nao|duoc khong|co phai)\b/.test(folded);
}
