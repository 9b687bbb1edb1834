import { type Command, COMMANDS } from '../domain/commands.ts';
import { contactLines, introText, NATIONAL_PORTAL, shortTitle } from '../assistant/answer/replies.ts';
import { type Choice, type Language, type ReplyMessage, choiceId } from '../domain/types.ts';
import type { CommuneProfile } from '../knowledge/commune-profile.ts';
import type { Vocabulary } from '../knowledge/vocabulary.ts';
import type { ProcedureStore } from '../storage/procedure-store.ts';

/** `/nophoso` before any procedure is discussed. */
export const NOPHOSO_WHICH = {
  vi: 'Bạn muốn nộp hồ sơ thủ tục nào? Hãy nhập tên thủ tục, ví dụ: đăng ký khai sinh.',
  en: 'Which procedure do you want to submit? Type its name, e.g. birth registration.',
} as const;

/**
 * Commands and the menu, the same on every channel: /start, /help, /menu (common procedures grouped by life
 * event), /lienhe (the commune centre's contact, from the profile only). A menu pick ("event:sinh-con") lists
 * that life event's procedures; a procedure pick goes on to the assistant as a choice.
 */
export { COMMANDS, type Command };

/** Who a command comes from, for the commands that store something about the conversation (announcements). */
export interface CommandContext {
  conversationId: string;
  channel: string;
  chatId: string;
  lang: Language;
}

/** Opting in and out of announcements (src/services/announcements/opt-in.ts). */
export interface SubscriptionPort {
  command(command: 'dangky' | 'huy', ctx: CommandContext): Promise<ReplyMessage[]>;
  /** A pressed choice of the offer; null for any other choice. */
  choice(choice: string, ctx: CommandContext): Promise<ReplyMessage[] | null>;
  /** The offer, once per conversation; null after that. */
  offer(ctx: CommandContext): Promise<ReplyMessage | null>;
}

export interface CommandReply {
  messages: ReplyMessage[];
  /** Choices the next numbered answer ("2") refers to. */
  pendingChoices: Choice[];
}

const MENU_SIZE = 8;

export class Commands {
  constructor(
    private readonly deps: {
      profile: CommuneProfile;
      vocabulary: Vocabulary;
      procedures: ProcedureStore;
      subscriptions?: SubscriptionPort;
      /** A procedure an admin excluded from answers is not listed in the menu either. */
      isExcluded?: (code: string) => boolean;
    },
  ) {}

  /**
   * `run` for a conversation: /dangky and /huy store the choice, /start ends with the announcements offer the first
   * time (when subscriptions are on).
   */
  async runFor(command: Command, ctx: CommandContext): Promise<CommandReply> {
    const subs = this.deps.subscriptions;
    if (subs && (command === 'dangky' || command === 'huy')) return { messages: await subs.command(command, ctx), pendingChoices: [] };
    const reply = this.run(command, ctx.lang);
    if (subs && command === 'start') {
      const offer = await subs.offer(ctx);
      if (offer) return { ...reply, messages: [...reply.messages, offer] };
    }
    return reply;
  }

  /** A pressed choice of the announcements offer; null for any other choice. */
  async subscriptionChoice(choice: string, ctx: CommandContext): Promise<ReplyMessage[] | null> {
    return this.deps.subscriptions ? this.deps.subscriptions.choice(choice, ctx) : null;
  }

  isCommand(name: string | undefined): name is Command {
    return !!name && (COMMANDS as readonly string[]).includes(name);
  }

  /** A typed "/start", "/menu"… on channels that deliver commands as text. */
  static parse(text: string | undefined): Command | null {
    const m = /^\/([a-z]+)(@\w+)?\s*$/i.exec((text ?? '').trim());
    const name = m?.[1]?.toLowerCase();
    return name && (COMMANDS as readonly string[]).includes(name) ? (name as Command) : null;
  }

  run(command: Command, lang: Language): CommandReply {
    switch (command) {
      case 'start':
        return { messages: [{ text: introText(lang, this.deps.profile) }, this.menuMessage(lang)], pendingChoices: this.menuChoices() };
      case 'help':
        return { messages: [{ text: this.helpText(lang) }], pendingChoices: [] };
      case 'menu':
        return { messages: [this.menuMessage(lang)], pendingChoices: this.menuChoices() };
      case 'lienhe':
        return { messages: [this.contact(lang)], pendingChoices: [] };
      // answered by the conversation's flow when a handover service runs; without one, the contact is the way
      case 'canbo':
        return { messages: [this.contact(lang)], pendingChoices: [] };
      case 'nophoso':
        return { messages: [{ text: NOPHOSO_WHICH[lang] }], pendingChoices: [] };
      case 'bot':
        return { messages: [{ text: lang === 'vi' ? 'Bạn đang trò chuyện với trợ lý ảo. Bạn cần hỏi thủ tục nào?' : 'You are talking to the virtual assistant. Which procedure do you need?' }], pendingChoices: [] };
      // answered by `runFor` when announcements are on
      case 'dangky':
      case 'huy':
        return { messages: [{ text: lang === 'vi' ? 'Hiện xã chưa gửi thông báo qua trợ lý.' : 'The commune does not send announcements through the assistant yet.' }], pendingChoices: [] };
    }
  }

  /** "event:<id>": the life event's procedures, commune-level first. Null for any other choice. */
  async lifeEvent(choice: string, lang: Language): Promise<CommandReply | null> {
    if (!choice.startsWith('event:')) return null;
    const event = this.deps.vocabulary.lifeEvents.find((e) => e.id === choice.slice(6));
    if (!event) return null;
    const records = await this.deps.procedures.getMany(event.codes.filter((c) => !this.deps.isExcluded?.(c)));
    const ordered = [...records.filter((r) => r.levels.includes('Cấp xã')), ...records.filter((r) => !r.levels.includes('Cấp xã'))].slice(0, MENU_SIZE);
    const choices = ordered.map((r) => ({ id: choiceId.procedure(r.code), label: shortTitle(r.title) }));
    const text =
      lang === 'vi'
        ? [`${event.name}: các thủ tục thường gặp.`, ...choices.map((c, i) => `${i + 1}. ${c.label}`), 'Chọn một thủ tục, hoặc gõ câu hỏi của bạn.']
        : [`${event.name}: common procedures.`, ...choices.map((c, i) => `${i + 1}. ${c.label}`), 'Pick one, or type your question.'];
    return { messages: [{ text: text.join('\n'), choices }], pendingChoices: choices };
  }

  private menuChoices(): Choice[] {
    return this.deps.vocabulary.lifeEvents.slice(0, 12).map((e) => ({ id: `event:${e.id}`, label: e.name }));
  }

  private menuMessage(lang: Language): ReplyMessage {
    const choices = this.menuChoices();
    if (!choices.length) return { text: lang === 'vi' ? 'Bạn cứ gõ câu hỏi về thủ tục cần làm.' : 'Just type your question about a procedure.' };
    const head = lang === 'vi' ? 'Thủ tục thường gặp theo tình huống:' : 'Common procedures by life situation:';
    return { text: [head, ...choices.map((c, i) => `${i + 1}. ${c.label}`)].join('\n'), choices };
  }

  private helpText(lang: Language): string {
    return lang === 'vi'
      ? [
          'Cách dùng:',
          '• Gõ câu hỏi bình thường, có dấu hoặc không dấu: "làm giấy khai sinh cần gì", "đăng ký tạm trú mất bao lâu".',
          '• Hỏi tiếp về cùng thủ tục: "còn lệ phí?", "làm online được không?".',
          '• /menu: thủ tục thường gặp theo tình huống. /lienhe: liên hệ Trung tâm Phục vụ hành chính công.',
          '• Nhắn "gặp cán bộ" để được cán bộ hỗ trợ.',
          'Câu trả lời lấy từ danh mục thủ tục hành chính quốc gia, kèm đường link chính thức.',
        ].join('\n')
      : [
          'How to use:',
          '• Type your question, e.g. "documents for a birth registration".',
          '• Ask more about the same procedure: "and the fee?", "can I do it online?".',
          '• /menu: common procedures by situation. /lienhe: contact the service centre.',
          '• Write "talk to staff" to reach a person.',
          'Answers come from the national procedure listing, with the official link.',
        ].join('\n');
  }

  private contact(lang: Language): ReplyMessage {
    const lines = contactLines(this.deps.profile, lang);
    if (lines.length) return { text: [lang === 'vi' ? 'Liên hệ:' : 'Contact:', ...lines].join('\n') };
    return {
      text:
        lang === 'vi'
          ? `Xã chưa cập nhật địa chỉ và số điện thoại của Trung tâm Phục vụ hành chính công cho trợ lý. Bạn có thể tra cứu trên Cổng Dịch vụ công quốc gia: ${NATIONAL_PORTAL}`
          : `The commune has not yet given the assistant its service centre's address and phone. See the National Public Service Portal: ${NATIONAL_PORTAL}`,
      link: { url: NATIONAL_PORTAL, label: lang === 'vi' ? 'Cổng Dịch vụ công quốc gia' : 'National Public Service Portal' },
    };
  }
}
