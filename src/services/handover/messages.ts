import { choiceId, type Choice, type Language, type ReplyMessage } from '../../domain/types.ts';
import { formatOpening, type Opening } from './hours.ts';

/**
 * What the citizen reads during a handover, in Vietnamese (and English for a conversation in English). Hours come
 * only from the commune profile: when it has none, the message says so rather than guessing.
 */
const vi = (lang: Language) => lang === 'vi';

export const backToBotChoice = (lang: Language): Choice => ({ id: choiceId.bot(), label: vi(lang) ? 'Quay lại trợ lý ảo' : 'Back to the assistant' });
export const staffChoice = (lang: Language): Choice => ({ id: choiceId.staff(), label: vi(lang) ? 'Gặp cán bộ' : 'Talk to staff' });
const callbackChoices = (lang: Language): Choice[] => [
  { id: choiceId.callback(), label: vi(lang) ? 'Để lại số điện thoại' : 'Leave a phone number' },
  { id: choiceId.wait(), label: vi(lang) ? 'Tôi sẽ chờ' : 'I will wait' },
];

function queueLine(lang: Language, position: number, waitMinutes: number | null): string {
  if (vi(lang)) {
    const wait = waitMinutes === null ? '' : `, thời gian chờ ước tính khoảng ${waitMinutes} phút`;
    return `Bạn đang ở vị trí số ${position} trong hàng chờ${wait}.`;
  }
  const wait = waitMinutes === null ? '' : `; the estimated wait is about ${waitMinutes} minutes`;
  return `You are number ${position} in the queue${wait}.`;
}

/** The first reply of a handover: where the citizen stands, and — outside working hours — when the centre reopens. */
export function openedMessage(lang: Language, o: { position: number; waitMinutes: number | null; opening: Opening; retentionDays: number }): ReplyMessage {
  const lines: string[] = [];
  lines.push(vi(lang) ? 'Tôi đã chuyển yêu cầu của bạn tới cán bộ Trung tâm Phục vụ hành chính công.' : 'I have passed your request to the staff of the Public Administrative Service Center.');
  if (o.opening.kind === 'open') {
    lines.push(queueLine(lang, o.position, o.waitMinutes));
    lines.push(vi(lang) ? 'Cán bộ sẽ trả lời ngay tại đây. Trong lúc chờ, bạn có thể nhắn thêm nội dung cần hỏi.' : 'A staff member will answer here. Meanwhile, you can write what you need.');
    return { text: lines.join('\n'), choices: [backToBotChoice(lang)] };
  }
  if (o.opening.kind === 'unknown') {
    lines.push(
      vi(lang)
        ? 'Tôi không có thông tin về giờ làm việc của Trung tâm, nên chưa biết khi nào cán bộ trả lời được.'
        : 'I do not have the Center’s working hours, so I cannot tell when staff will answer.',
    );
  } else {
    const closed = o.opening.holiday
      ? vi(lang) ? `Hôm nay Trung tâm nghỉ (${o.opening.holiday}).` : `The Center is closed today (${o.opening.holiday}).`
      : vi(lang) ? 'Hiện Trung tâm đang ngoài giờ làm việc.' : 'The Center is closed now.';
    const reopen = o.opening.next
      ? vi(lang) ? ` Trung tâm làm việc trở lại ${formatOpening(o.opening.next, lang)}.` : ` It opens again ${formatOpening(o.opening.next, lang)}.`
      : '';
    lines.push(closed + reopen);
    lines.push(vi(lang) ? 'Yêu cầu vẫn được ghi nhận; cán bộ trực có thể trả lời sớm hơn.' : 'Your request is kept; a staff member on duty may answer sooner.');
  }
  lines.push(queueLine(lang, o.position, null));
  lines.push(vi(lang) ? 'Nếu muốn, bạn có thể để lại số điện thoại để cán bộ gọi lại.' : 'If you wish, you can leave a phone number for staff to call you back.');
  return { text: lines.join('\n'), choices: [...callbackChoices(lang), backToBotChoice(lang)] };
}

export function alreadyWaitingMessage(lang: Language, position: number | null): ReplyMessage {
  const text = position
    ? vi(lang) ? `Bạn đang trong hàng chờ gặp cán bộ (vị trí số ${position}).` : `You are in the queue for staff (number ${position}).`
    : vi(lang) ? 'Cán bộ đang trò chuyện với bạn tại đây.' : 'A staff member is talking with you here.';
  return { text, choices: [backToBotChoice(lang)] };
}

export function positionMessage(lang: Language, position: number, waitMinutes: number | null): ReplyMessage {
  return { text: queueLine(lang, position, waitMinutes) };
}

export function relayedMessage(lang: Language): ReplyMessage {
  return {
    text: vi(lang) ? 'Tin nhắn của bạn đã được chuyển tới cán bộ. Cán bộ sẽ trả lời tại đây.' : 'Your message has been passed to staff. They will answer here.',
    choices: [backToBotChoice(lang)],
  };
}

export function stillWaitingMessage(lang: Language): ReplyMessage {
  return {
    text: vi(lang) ? 'Bạn đang chờ cán bộ. Nhắn /bot hoặc chọn “Quay lại trợ lý ảo” để hỏi trợ lý ảo.' : 'You are waiting for staff. Send /bot or pick “Back to the assistant” to ask the assistant.',
    choices: [backToBotChoice(lang)],
  };
}

export function claimedMessage(lang: Language, staffName: string): ReplyMessage {
  return { text: vi(lang) ? `Cán bộ ${staffName} đã nhận yêu cầu của bạn và sẽ trả lời tại đây.` : `${staffName} from the Center has taken your request and will answer here.` };
}

export function releasedMessage(lang: Language): ReplyMessage {
  return { text: vi(lang) ? 'Yêu cầu của bạn đã được chuyển lại vào hàng chờ; cán bộ khác sẽ tiếp nhận.' : 'Your request is back in the queue; another staff member will take it.' };
}

export function transferredMessage(lang: Language, staffName: string): ReplyMessage {
  return { text: vi(lang) ? `Yêu cầu của bạn đã được chuyển cho cán bộ ${staffName}.` : `Your request has been passed to ${staffName}.` };
}

/** A staff member's words, marked as a person's so the citizen never mistakes them for the bot's. */
export function staffMessage(staffName: string, text: string): ReplyMessage {
  return { text: `Cán bộ ${staffName}:\n${text}` };
}

export function closedMessage(lang: Language): ReplyMessage {
  return { text: vi(lang) ? 'Cán bộ đã kết thúc cuộc trò chuyện. Cảm ơn bạn đã liên hệ Trung tâm.' : 'The staff member has ended the conversation. Thank you for contacting the Center.' };
}

export function leftMessage(lang: Language): ReplyMessage {
  return {
    text: vi(lang) ? 'Đã kết thúc yêu cầu gặp cán bộ. Bạn có thể tiếp tục hỏi trợ lý ảo về thủ tục hành chính.' : 'Your request for staff is ended. You can go on asking the assistant about procedures.',
  };
}

/** The consent sentence comes before the number: what it is for, who sees it, and when it is erased. */
export function askPhoneMessage(lang: Language, retentionDays: number): ReplyMessage {
  return {
    text: vi(lang)
      ? `Nếu bạn đồng ý để cán bộ Trung tâm gọi lại, vui lòng nhập số điện thoại của bạn. Khi gửi số, bạn đồng ý để Trung tâm dùng số này chỉ để gọi lại về yêu cầu này; số chỉ cán bộ xử lý yêu cầu xem được và được xóa ${retentionDays} ngày sau khi yêu cầu kết thúc.`
      : `If you agree to be called back by the Center, please type your phone number. By sending it you agree that the Center uses it only to call you back about this request; only the staff handling it can see it, and it is erased ${retentionDays} days after the request ends.`,
    choices: [{ id: choiceId.skip(), label: vi(lang) ? 'Không để lại số' : 'No number' }],
  };
}

export function phoneSavedMessage(lang: Language, opening: Opening): ReplyMessage {
  const when = opening.kind === 'closed' && opening.next ? (vi(lang) ? ` khi Trung tâm làm việc trở lại (${formatOpening(opening.next, lang)})` : ` when the Center opens (${formatOpening(opening.next, lang)})`) : '';
  return {
    text: vi(lang) ? `Đã ghi nhận số điện thoại. Cán bộ sẽ gọi lại cho bạn${when}.` : `Your number is noted. Staff will call you back${when}.`,
    choices: [backToBotChoice(lang)],
  };
}

export function badPhoneMessage(lang: Language): ReplyMessage {
  return {
    text: vi(lang) ? 'Số điện thoại chưa đúng (ví dụ: 0912345678). Vui lòng nhập lại, hoặc chọn “Không để lại số”.' : 'That does not look like a phone number (e.g. 0912345678). Please type it again, or pick “No number”.',
    choices: [{ id: choiceId.skip(), label: vi(lang) ? 'Không để lại số' : 'No number' }],
  };
}

/** "0912 345 678", "+84 912345678", "84912345678" → "0912345678"; null when it is not a Vietnamese number. */
export function parsePhone(text: string): string | null {
  const digits = text.replace(/[\s.()-]/g, '');
  const m = /^(?:\+?84|0)(\d{9,10})$/.exec(digits);
  return m ? `0${m[1]}` : null;
}
