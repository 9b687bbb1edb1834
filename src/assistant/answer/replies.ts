import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import { EMERGENCY_NUMBERS, type EmergencyKind, type Language, type ReplyMessage, choiceId } from '../../domain/types.ts';
import type { SmallTalkKind } from '../router/rules.ts';
import { tidy } from './text-fit.ts';

/**
 * The assistant's fixed replies, in Vietnamese and English. Local facts (hotline, address, hours, portal) appear
 * only when the commune profile sets them; nothing here stands in for a missing one.
 */

/** The national portal, where every listing record lives: the official page when no record fits. */
export const NATIONAL_PORTAL = 'https://dichvucong.gov.vn';

const EMERGENCY_TEXT: Record<EmergencyKind, { vi: string; en: string }> = {
  fire: {
    vi: 'Gọi ngay 114 (Cứu hỏa, cứu nạn cứu hộ). Rời khỏi nơi nguy hiểm, không quay lại lấy đồ.',
    en: 'Call 114 now (fire and rescue). Get away from the danger; do not go back for belongings.',
  },
  medical: {
    vi: 'Gọi ngay 115 (Cấp cứu y tế). Giữ người bệnh nằm yên, ở bên họ đến khi xe cấp cứu tới.',
    en: 'Call 115 now (medical emergency). Keep the person still and stay with them until the ambulance arrives.',
  },
  police: {
    vi: 'Gọi ngay 113 (Công an). Tìm chỗ an toàn trước, rồi báo địa chỉ của bạn.',
    en: 'Call 113 now (police). Get to a safe place first, then give your address.',
  },
};

export function emergencyReply(kind: EmergencyKind, also: EmergencyKind[], lang: Language): ReplyMessage {
  const extra = also
    .filter((k) => k !== kind)
    .map((k) => (lang === 'vi' ? `Nếu cần: ${EMERGENCY_NUMBERS[k]}.` : `If needed: ${EMERGENCY_NUMBERS[k]}.`));
  const tail =
    lang === 'vi'
      ? 'Đây là trợ lý tự động về thủ tục hành chính, không điều phối cứu hộ được.'
      : 'This is an automated assistant for administrative procedures; it cannot dispatch help.';
  return { text: [`🚨 ${EMERGENCY_TEXT[kind][lang]}`, ...extra, tail].join('\n') };
}

function communeName(profile: CommuneProfile): string | null {
  return profile.communeName ? `xã ${profile.communeName.replace(/^(xã|phường|thị trấn)\s+/i, '')}` : null;
}

export function greetingReply(kind: SmallTalkKind, lang: Language, profile: CommuneProfile): ReplyMessage {
  if (kind === 'thanks') {
    return { text: lang === 'vi' ? 'Không có gì ạ. Bạn cần hỏi thêm thủ tục nào cứ nhắn nhé.' : 'You are welcome. Ask me about any other procedure.' };
  }
  if (kind === 'bye') {
    return { text: lang === 'vi' ? 'Chào bạn. Khi cần hỏi thủ tục, bạn cứ nhắn lại nhé.' : 'Goodbye. Message me again whenever you need a procedure.' };
  }
  return { text: introText(lang, profile) };
}

export function introText(lang: Language, profile: CommuneProfile): string {
  const place = communeName(profile);
  if (lang === 'en') {
    return [
      `Hello! I am the automated assistant for administrative procedures${place ? ` of ${place}` : ''}.`,
      'I can tell you which documents to bring, the fee, the processing time, where to submit and whether it can be done online, from the national procedure listing.',
      'I cannot look up your dossier or decide on it; for that I can put you in touch with staff.',
      'Please do not send ID numbers, phone numbers or bank accounts in this chat.',
    ].join('\n');
  }
  return [
    `Xin chào! Tôi là trợ lý tự động về thủ tục hành chính${place ? ` của ${place}` : ''}.`,
    'Tôi trả lời theo danh mục thủ tục quốc gia: cần giấy tờ gì, lệ phí, thời hạn, nộp ở đâu, có làm online được không.',
    'Tôi không tra cứu hay giải quyết hồ sơ; việc đó tôi có thể chuyển cán bộ.',
    'Xin đừng gửi số căn cước, số điện thoại, số tài khoản trong tin nhắn.',
    'Ví dụ: "làm giấy khai sinh cần gì", "đăng ký kết hôn mất bao lâu".',
  ].join('\n');
}

/** The facts of the centre that `/lienhe` lists, in its order. */
export type ContactFact = 'place' | 'hours' | 'phone' | 'email' | 'portal';
const CONTACT_FACTS: readonly ContactFact[] = ['place', 'hours', 'phone', 'email', 'portal'];

/** One contact line from the profile ("Điện thoại: …" with the hotline the admin set); null when it is not set. */
export function contactLine(profile: CommuneProfile, fact: ContactFact, lang: Language): string | null {
  const c = profile.centre;
  const label = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  switch (fact) {
    case 'place':
      return c.name || c.address ? `${c.name ?? label('Trung tâm Phục vụ hành chính công', 'Public Administrative Service Center')}${c.address ? `: ${c.address}` : ''}` : null;
    case 'hours':
      return c.openingHours ? `${label('Giờ làm việc', 'Opening hours')}: ${c.openingHours}` : null;
    case 'phone':
      return c.hotline ? `${label('Điện thoại', 'Phone')}: ${c.hotline}` : null;
    case 'email':
      return c.email ? `Email: ${c.email}` : null;
    case 'portal':
      return profile.provincePortalUrl ? `${label('Cổng dịch vụ công của tỉnh', 'Province public service portal')}: ${profile.provincePortalUrl}` : null;
  }
}

/** Contact lines from the profile; empty when the admin has set nothing. */
export function contactLines(profile: CommuneProfile, lang: Language): string[] {
  return CONTACT_FACTS.map((f) => contactLine(profile, f, lang)).filter((l): l is string => l !== null);
}

export function handoffReply(lang: Language, profile: CommuneProfile): ReplyMessage {
  const contact = contactLines(profile, lang);
  const text =
    lang === 'vi'
      ? [
          'Tôi đã ghi nhận yêu cầu gặp cán bộ của bạn.',
          ...(contact.length
            ? ['Bạn có thể liên hệ trực tiếp:', ...contact]
            : ['Tôi chưa có số điện thoại hay địa chỉ của Trung tâm Phục vụ hành chính công xã; bạn có thể đến trực tiếp Trung tâm để được hướng dẫn.']),
        ]
      : [
          'I have noted that you want to talk to staff.',
          ...(contact.length
            ? ['You can contact them directly:', ...contact]
            : ['I do not have the phone number or address of the commune’s Public Administrative Service Center yet; you can go to the Center in person.']),
        ];
  return { text: text.join('\n') };
}

export function caseStatusReply(lang: Language, profile: CommuneProfile): ReplyMessage {
  const portal = profile.provincePortalUrl ?? NATIONAL_PORTAL;
  const contact = contactLines(profile, lang);
  const text =
    lang === 'vi'
      ? [
          'Tôi không tra cứu được tình trạng hồ sơ.',
          `Bạn có thể tra cứu bằng mã hồ sơ trên phiếu hẹn tại ${portal}.`,
          'Để cán bộ kiểm tra giúp, bạn nhắn "gặp cán bộ".',
          ...contact,
        ]
      : [
          'I cannot look up the status of a dossier.',
          `You can look it up with the dossier code on your receipt at ${portal}.`,
          'For staff to check it, write "talk to staff".',
          ...contact,
        ];
  return { text: text.join('\n'), link: { url: portal, label: lang === 'vi' ? 'Tra cứu hồ sơ' : 'Look up a dossier' } };
}

/** Before a dossier-status handover: the bot cannot look it up, staff will, and the citizen can too. */
export function caseStatusLead(lang: Language, profile: CommuneProfile): ReplyMessage {
  const portal = profile.provincePortalUrl ?? NATIONAL_PORTAL;
  return {
    text:
      lang === 'vi'
        ? `Tôi không tra cứu được tình trạng hồ sơ, nên chuyển cho cán bộ kiểm tra giúp bạn. Bạn cũng có thể tự tra cứu bằng mã hồ sơ trên phiếu hẹn tại ${portal}.`
        : `I cannot look up a dossier's status, so I am passing you to staff who can. You can also look it up with the dossier code on your receipt at ${portal}.`,
    link: { url: portal, label: lang === 'vi' ? 'Tra cứu hồ sơ' : 'Look up a dossier' },
  };
}

export function outOfScopeReply(lang: Language): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? 'Xin lỗi, tôi chỉ hỗ trợ về thủ tục hành chính (giấy tờ, lệ phí, thời hạn, nơi nộp). Bạn cần hỏi thủ tục nào ạ?'
        : 'Sorry, I can only help with administrative procedures (documents, fees, processing times, where to submit). Which procedure do you need?',
  };
}

export function noAnswerReply(lang: Language, nearest: Procedure[]): ReplyMessage {
  const text =
    lang === 'vi'
      ? `Tôi chưa tìm thấy thủ tục nào khớp với câu hỏi này trong các thủ tục tôi trả lời được, nên không dám trả lời. Bạn có thể tra cứu trên Cổng Dịch vụ công quốc gia: ${NATIONAL_PORTAL} hoặc nhắn "gặp cán bộ".`
      : `I could not find a procedure matching this question among those I can answer, so I will not guess. You can search the National Public Service Portal: ${NATIONAL_PORTAL} or write "talk to staff".`;
  return {
    text,
    link: { url: NATIONAL_PORTAL, label: lang === 'vi' ? 'Cổng Dịch vụ công quốc gia' : 'National Public Service Portal' },
    choices: nearest.length
      ? nearest.slice(0, 3).map((p) => ({ id: choiceId.procedure(p.code), label: shortTitle(p.title) }))
      : undefined,
  };
}

export function injectionReply(lang: Language): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? 'Tôi chỉ trả lời về thủ tục hành chính theo danh mục chính thức và không thay đổi cách làm việc theo yêu cầu trong tin nhắn. Bạn cần hỏi thủ tục nào ạ?'
        : 'I only answer about administrative procedures from the official listing and do not change how I work on request. Which procedure do you need?',
  };
}

export function tooLongReply(lang: Language, max: number): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? `Tin nhắn dài quá ${max} ký tự. Bạn viết ngắn lại giúp tôi, ví dụ: "đăng ký thường trú cần giấy tờ gì".`
        : `Your message is longer than ${max} characters. Please shorten it, e.g. "documents for permanent residence registration".`,
  };
}

export function emptyReply(lang: Language): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? 'Tôi chỉ đọc được tin nhắn chữ. Bạn hãy gõ câu hỏi về thủ tục, ví dụ: "làm giấy khai sinh cần gì".'
        : 'I can only read text messages. Please type your question, e.g. "how do I register a birth".',
  };
}

export function followUpWithoutContextReply(lang: Language): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? 'Bạn đang hỏi về thủ tục nào ạ? Hãy ghi tên thủ tục, ví dụ: "lệ phí đăng ký kết hôn".'
        : 'Which procedure do you mean? Please name it, e.g. "marriage registration fee".',
  };
}

export function errorReply(lang: Language): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? 'Xin lỗi, tôi đang gặp sự cố và chưa trả lời được. Bạn vui lòng nhắn lại sau ít phút hoặc nhắn "gặp cán bộ".'
        : 'Sorry, something went wrong on my side. Please try again in a few minutes or write "talk to staff".',
  };
}

export function clarifyReply(options: Procedure[], lang: Language): ReplyMessage {
  const numbers = options.map((_, i) => String(i + 1));
  const list = options.map((p, i) => `${i + 1}. ${shortTitle(p.title)}`);
  const text =
    lang === 'vi'
      ? [`Bạn muốn hỏi trường hợp nào?`, ...list, `Trả lời ${numbers.join(', ').replace(/, (\d)$/, ' hoặc $1')}.`]
      : ['Which case do you mean?', ...list, `Reply ${numbers.join(', ').replace(/, (\d)$/, ' or $1')}.`];
  return {
    text: text.join('\n'),
    choices: options.map((p) => ({ id: choiceId.procedure(p.code), label: shortTitle(p.title) })),
  };
}

/** A title without the "Thủ tục" prefix, short enough for a button (≤ 120 characters). */
export function shortTitle(title: string): string {
  const t = tidy(title).replace(/^thủ tục\s+/i, '');
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return s.length <= 120 ? s : `${s.slice(0, s.lastIndexOf(' ', 116))} …`;
}
