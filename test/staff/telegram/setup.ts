import { Api } from 'grammy';
import type { Message, Update } from 'grammy/types';
import pino, { type Logger } from 'pino';
import type { StaffUser } from '../../../src/domain/staff.ts';
import { EMPTY_PROFILE } from '../../../src/knowledge/commune-profile.ts';
import { HandoverService } from '../../../src/services/handover/service.ts';
import { createTelegramStaffDesk, type TelegramStaffDesk } from '../../../src/staff/telegram/index.ts';
import { DeskCursorStore } from '../../../src/storage/desk-cursor-store.ts';
import { UserStore } from '../../../src/storage/user-store.ts';
import { type FakeTelegram, groupCallbackUpdate, groupTextUpdate, type RecordedCall, startFakeTelegram } from '../../fakes/telegram-server.ts';
import { openTestDb, type TestDb } from '../../helpers/db.ts';

export const STAFF_CHAT = -1001234567890;
export const LAN_TG = 7001;
export const MINH_TG = 7002;
export const STRANGER_TG = 7999;

/**
 * The Telegram staff desk against the fake Bot API (real HTTP) and a real HandoverService on a fresh database
 * (PGlite, or a new database on the server with DATABASE_URL); two staff linked to Telegram (Lan, Minh).
 */
export interface DeskWorld {
  t: TestDb;
  fake: FakeTelegram;
  service: HandoverService;
  users: UserStore;
  cursors: DeskCursorStore;
  lan: StaffUser;
  minh: StaffUser;
  desk: TelegramStaffDesk;
  /** A new desk on the same database and group, as after a restart. */
  newDesk(o?: { maxAttempts?: number }): TelegramStaffDesk;
  /** A citizen on Zalo asks for a person: the ticket id. */
  openTicket(chatId?: string, procedureCode?: string | null): Promise<number>;
  ticket(id: number): ReturnType<HandoverService['getTicket']>;
  /** The ticket's card as the group shows it now. */
  card(id: number): Promise<Message>;
  buttons(m: Message | undefined): string[];
  /** A button of the ticket's card (by label prefix, in any row), pressed by `userId`; resolves once handled. */
  press(id: number, labelStart: string, userId: number, queryId?: string): Promise<Update>;
  /** What a staff member writes in the ticket's topic (or, in a group without topics, as a reply to `replyTo`). */
  write(text: string, userId: number, where: { threadId?: number; replyTo?: Message }): Update;
  answers(queryId: string): RecordedCall[];
  /** Texts of the messages the citizen's conversation has in its outbox (what the citizen is told). */
  outbox(conversationId: string): Promise<{ kind: string; text: string }[]>;
  logger: Logger;
  close(): Promise<void>;
}

export async function deskWorld(o: { forum: boolean }): Promise<DeskWorld> {
  const t = await openTestDb();
  const fake = await startFakeTelegram();
  fake.addGroup(STAFF_CHAT, { forum: o.forum });
  const logger = pino({ level: 'silent' });
  const service = new HandoverService({ db: t.db, profile: EMPTY_PROFILE, retentionDays: 30, logger });
  const users = new UserStore(t.db);
  const cursors = new DeskCursorStore(t.db);
  const lan = await users.insert({ username: 'lan', displayName: 'Lan', role: 'staff', passwordHash: 'x', telegramId: String(LAN_TG) });
  const minh = await users.insert({ username: 'minh', displayName: 'Minh', role: 'staff', passwordHash: 'x', telegramId: String(MINH_TG) });
  const api = new Api(fake.token, { apiRoot: fake.apiRoot });
  const newDesk = (d: { maxAttempts?: number } = {}) =>
    createTelegramStaffDesk({ api, chatId: String(STAFF_CHAT), desk: service, users, cursors, logger, gapSettleMs: 0, pollMs: 60_000, ...d });
  let n = 0;
  const world: DeskWorld = {
    t,
    fake,
    service,
    users,
    cursors,
    lan,
    minh,
    desk: newDesk(),
    newDesk,
    logger,
    async openTicket(chatId = `z${++n}`, procedureCode = null) {
      const r = await service.open({ conversationId: `zalo:${chatId}`, channel: 'zalo', chatId, reason: 'asked_for_person', procedureCode, language: 'vi' });
      return r.ticket.id;
    },
    ticket: (id) => service.getTicket(id),
    async card(id) {
      const ticket = await service.getTicket(id);
      const m = ticket?.telegramCardMessageId != null ? fake.messageIn(STAFF_CHAT, ticket.telegramCardMessageId) : undefined;
      if (!m) throw new Error(`ticket ${id} has no card in the group`);
      return m;
    },
    buttons: (m) => (m?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text),
    async press(id, labelStart, userId, queryId) {
      const card = await world.card(id);
      const button = (card.reply_markup?.inline_keyboard ?? []).flat().find((b) => b.text.startsWith(labelStart));
      if (!button || !('callback_data' in button)) throw new Error(`no button "${labelStart}" on the card of ticket ${id}`);
      const update = fake.newUpdate(groupCallbackUpdate(button.callback_data, { message: card, userId, ...(queryId ? { queryId } : {}) }));
      await world.desk.handleUpdate(update);
      return update;
    },
    write: (text, userId, where) => fake.newUpdate(groupTextUpdate(text, { chatId: STAFF_CHAT, userId, ...where })),
    answers: (queryId) => fake.sent.filter((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === queryId),
    async outbox(conversationId) {
      const rows = await t.db.query<{ kind: string; text: string }>(
        `SELECT kind, message->>'text' AS text FROM outbound_messages WHERE conversation_id = $1 ORDER BY id`,
        [conversationId],
      );
      return rows;
    },
    async close() {
      await world.desk.stop();
      await fake.close();
      await t.cleanup();
    },
  };
  return world;
}

/** Texts the bot posted in a topic (or, with no thread, anywhere in the group), service messages left out. */
export function postedTexts(fake: FakeTelegram, threadId?: number): string[] {
  return fake.messagesIn(STAFF_CHAT, threadId).flatMap((m) => (typeof m.text === 'string' ? [m.text] : []));
}
