import { parseChoiceId } from '../../domain/types.ts';
import { fold } from '../../retrieval/text.ts';
import type { FlowTurn } from './types.ts';

/**
 * What a citizen's message means while a handover is open, whichever flow holds it: going back to the bot (the
 * choice, `/bot`, or saying so), or words for the staff member.
 */
const BACK_TO_BOT = /^(quay lai|ve|tro ve|chuyen ve|noi chuyen voi) (tro ly( ao)?|bot|chatbot)( nhe| a| di)?$|^(back to (the )?(bot|assistant))$/;

export function wantsBot(turn: FlowTurn): boolean {
  if (turn.command === 'bot') return true;
  if (turn.choice) return parseChoiceId(turn.choice).kind === 'bot';
  return BACK_TO_BOT.test(fold(turn.text ?? '').trim());
}

/** The text staff read for this message: the citizen's words, or a note that they sent something unreadable. */
export function textForStaff(turn: FlowTurn): string | null {
  if (turn.unsupported && !turn.text?.trim()) return '[Người dân gửi hình ảnh, nhãn dán hoặc tệp mà hệ thống không đọc được]';
  if (turn.command) return `/${turn.command}${turn.text ? ` ${turn.text}` : ''}`;
  const text = turn.text?.trim();
  return text ? text : null;
}

/** Stable per platform update, so a message processed again after a crash is logged once. */
export const sourceKeyOf = (turn: FlowTurn) => `in:${turn.channel}:${turn.updateKey ?? `${turn.conversationId}:${Date.now()}`}`;
