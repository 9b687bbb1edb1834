/**
 * The commands citizens can type on every channel, in one list: the channels recognise them from it, Telegram
 * registers it as its menu (setMyCommands), and the conversation engine answers them.
 */
export const COMMAND_LIST = [
  { command: 'start', description: 'Bắt đầu, giới thiệu trợ lý' },
  { command: 'help', description: 'Hướng dẫn sử dụng' },
  { command: 'menu', description: 'Các thủ tục thường gặp' },
  { command: 'lienhe', description: 'Liên hệ Trung tâm Phục vụ hành chính công' },
  { command: 'canbo', description: 'Gặp cán bộ Trung tâm' },
  { command: 'nophoso', description: 'Hướng dẫn nộp hồ sơ (trực tuyến hoặc trực tiếp)' },
  { command: 'bot', description: 'Quay lại trợ lý ảo (khi đang chờ hoặc nói chuyện với cán bộ)' },
  { command: 'dangky', description: 'Đăng ký nhận thông báo của Trung tâm' },
  { command: 'huy', description: 'Hủy nhận thông báo' },
] as const;

export type Command = (typeof COMMAND_LIST)[number]['command'];
export const COMMANDS: readonly Command[] = COMMAND_LIST.map((c) => c.command);

export function isCommandName(name: string): name is Command {
  return (COMMANDS as readonly string[]).includes(name);
}

/** Commands the conversation's flow answers (they change who the citizen talks to), not the command menu. */
export const FLOW_COMMANDS: readonly Command[] = ['canbo', 'bot', 'nophoso'];

/** Opting in and out of announcements: answered in every flow (a citizen in the guide can still stop them). */
export const SUBSCRIPTION_COMMANDS: readonly Command[] = ['dangky', 'huy'];
