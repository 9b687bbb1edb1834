import type { Language, ReplyMessage } from '../../domain/types.ts';
import { renderReply } from '../../channels/telegram/render.ts';
import { renderZaloMessage } from '../../channels/zalo/render.ts';
import type { AnnouncementChannel } from '../../storage/announcement-store.ts';

/** The choice ids of the offer (Telegram buttons). */
export const OPT_IN_CHOICE = 'announce:yes';
export const OPT_OUT_CHOICE = 'announce:no';

/** What the citizen receives: a heading, the admin's text, the link as a button (Telegram) or a line (Zalo), how to stop. */
export function announcementMessage(a: { text: string; link: string | null }): ReplyMessage {
  const text = ['THÔNG BÁO', '', a.text.trim(), '', 'Nhắn /huy để ngừng nhận thông báo.'].join('\n');
  return a.link ? { text, link: { url: a.link, label: 'Xem chi tiết' } } : { text };
}

export type ChannelPreview =
  | { channel: 'telegram'; messages: { method: string; text?: string; caption?: string; buttons: { text: string; url?: string }[] }[] }
  | { channel: 'zalo'; messages: { type: string; text?: string; url?: string; caption?: string }[] };

/** The exact calls each channel's renderer makes for the message (the same renderers the senders use). */
export function previewFor(channel: AnnouncementChannel, message: ReplyMessage): ChannelPreview {
  if (channel === 'telegram') {
    return {
      channel,
      messages: renderReply(message).ops.map((op) => ({
        method: op.method,
        ...(op.method === 'sendMessage' ? { text: op.text } : op.caption ? { caption: op.caption } : {}),
        buttons: (op.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, ...('url' in b && b.url ? { url: b.url } : {}) })),
      })),
    };
  }
  return { channel, messages: renderZaloMessage(message).map((m) => ({ ...m })) };
}

const canPush = (channel: string) => channel === 'telegram' || channel === 'zalo';

export function offerMessage(channel: string, lang: Language): ReplyMessage {
  const vi = lang === 'vi';
  const ask = vi
    ? 'Bạn có muốn nhận thông báo của Trung tâm Phục vụ hành chính công (thay đổi thủ tục, dịch vụ công trực tuyến mới) qua kênh này không?'
    : 'Would you like to receive announcements from the public service centre (procedure changes, new online services) here?';
  if (channel === 'telegram') {
    return {
      text: `${ask}${vi ? ' Bạn có thể hủy bất cứ lúc nào bằng lệnh /huy.' : ' You can stop at any time with /huy.'}`,
      choices: [
        { id: OPT_IN_CHOICE, label: vi ? 'Nhận thông báo' : 'Yes, send them' },
        { id: OPT_OUT_CHOICE, label: vi ? 'Không, cảm ơn' : 'No, thanks' },
      ],
    };
  }
  // Zalo has no buttons, and a numbered choice would collide with the menu's numbers: the commands say it
  return { text: `${ask} ${vi ? 'Nhắn /dangky để nhận, /huy để ngừng nhận.' : 'Send /dangky to receive them, /huy to stop.'}` };
}

export function optedInMessage(lang: Language, already: boolean): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? `${already ? 'Bạn đã đăng ký nhận thông báo từ trước.' : 'Bạn đã đăng ký nhận thông báo.'} Khi muốn ngừng, nhắn /huy.`
        : `${already ? 'You were already subscribed to announcements.' : 'You are now subscribed to announcements.'} Send /huy to stop.`,
  };
}

export function optedOutMessage(lang: Language): ReplyMessage {
  return {
    text: lang === 'vi' ? 'Bạn sẽ không nhận thông báo nữa. Khi muốn nhận lại, nhắn /dangky.' : 'You will not receive announcements any more. Send /dangky to subscribe again.',
  };
}

export function declinedMessage(lang: Language): ReplyMessage {
  return { text: lang === 'vi' ? 'Vâng, trợ lý sẽ không gửi thông báo. Khi muốn nhận, nhắn /dangky.' : 'Fine, no announcements. Send /dangky if you change your mind.' };
}

export function noPushMessage(lang: Language): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? 'Thông báo chỉ được gửi qua Telegram và Zalo. Trên trang trò chuyện này, trợ lý chỉ trả lời khi bạn hỏi.'
        : 'Announcements are sent on Telegram and Zalo only. In this web chat the assistant only answers your questions.',
  };
}

export { canPush };
