import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { HandoverDesk } from '../../services/handover/types.ts';
import type { DeskCursorStore } from '../../storage/desk-cursor-store.ts';
import { TicketBoard } from './board.ts';
import { handleButton, type StaffDirectory } from './buttons.ts';
import { DeskNotifier, type TickResult } from './notifier.ts';
import { StaffMessages } from './staff-messages.ts';

export { TELEGRAM_DESK } from './notifier.ts';
export type { StaffDirectory } from './buttons.ts';

export interface TelegramStaffDeskDeps {
  /** The bot's API (the citizen channel's, with auto-retry): the staff group is reached with the same token. */
  api: Api;
  /** For answering button presses, without retries (defaults to `api`). */
  quickApi?: Api;
  /** TELEGRAM_STAFF_CHAT_ID: a supergroup with topics, or a plain group (then staff reply to the cards). */
  chatId: string;
  desk: HandoverDesk;
  users: StaffDirectory;
  cursors: Pick<DeskCursorStore, 'get' | 'advance'>;
  logger: Logger;
  /** Procedure titles for topic names and cards (e.g. the ProcedureStore). */
  procedures?: { get(code: string): Promise<{ title: string } | null> };
  /** The bot's username: a command addressed to another bot is ignored. */
  botUsername?: string;
  /** Time between two looks at the event log (default 1 s). */
  pollMs?: number;
  /** See `NotifierDeps.gapSettleMs`. */
  gapSettleMs?: number;
  maxAttempts?: number;
}

export interface TelegramStaffDesk {
  /** An update from the staff group (the Telegram channel hands over every update whose chat is the staff chat). */
  handleUpdate(update: Update): Promise<void>;
  /** Starts posting the handover events to the group, in the background; call after the channel started. */
  start(): void;
  /** Stops the notifier and waits for the pass under way. */
  stop(): Promise<void>;
  /** Posts every event there is now and resolves when caught up (or an event has to wait): for tests. */
  flush(): Promise<TickResult>;
}

/**
 * The staff desk on Telegram: each handover ticket becomes a topic (or a card) in the staff group with Nhận,
 * Chuyển and Đóng buttons; the citizen's messages are posted there, and the owner's messages there go back to the
 * citizen through the handover desk. See `TicketBoard` (topics and cards), `DeskNotifier` (events → group),
 * `handleButton` (presses) and `StaffMessages` (what staff write).
 */
export function createTelegramStaffDesk(deps: TelegramStaffDeskDeps): TelegramStaffDesk {
  const log = deps.logger.child({ desk: 'telegram-staff' });
  const board = new TicketBoard({ api: deps.api, chatId: deps.chatId, desk: deps.desk, procedures: deps.procedures, logger: log });
  const notifier = new DeskNotifier({
    desk: deps.desk,
    cursors: deps.cursors,
    board,
    logger: log,
    token: deps.api.token,
    pollMs: deps.pollMs,
    gapSettleMs: deps.gapSettleMs,
    maxAttempts: deps.maxAttempts,
  });
  const messages = new StaffMessages({
    api: deps.api,
    chatId: deps.chatId,
    botId: Number(deps.api.token.split(':')[0]),
    botUsername: deps.botUsername,
    desk: deps.desk,
    users: deps.users,
    logger: log,
  });
  const buttons = { answerApi: deps.quickApi ?? deps.api, desk: deps.desk, users: deps.users, board, logger: log, changed: () => notifier.poke() };

  return {
    async handleUpdate(update) {
      if (update.callback_query) return handleButton(buttons, update.callback_query);
      if (update.message) return messages.handle(update.message, update.update_id);
    },
    start: () => notifier.start(),
    stop: () => notifier.stop(),
    flush: () => notifier.flush(),
  };
}
