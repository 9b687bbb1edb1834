import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { z } from 'zod';
import { END_STATUS_LABELS, EndStatusSchema, type StaffUser, type Ticket, type TicketEvent } from '../../domain/staff.ts';
import { formatLocalTime } from '../../services/handover/hours.ts';
import { encodeAction } from './callback-data.ts';
import { BUTTONS, channelLabel, REASON_LABELS } from './texts.ts';

/** Bot API limits: a message's text, a topic's name. */
export const TELEGRAM_TEXT_LIMIT = 4096;
const TOPIC_NAME_LIMIT = 128;
/** One transcript entry or the summary never takes more than this, so a single long message cannot crowd out the rest. */
const ENTRY_LIMIT = 800;

export interface CardContext {
  /** The title of the procedure under discussion, when the knowledge base has it. */
  procedureTitle: string | null;
  /** The ticket's log up to the moment the card shows (messages are picked from it). */
  events: TicketEvent[];
  /** A forum topic (staff write in it) or a group without topics (staff reply to the card). */
  inTopic: boolean;
}

/** "#12 · Zalo · Đăng ký khai sinh", within Telegram's 128 characters. */
export function topicName(ticket: Ticket, procedureTitle: string | null): string {
  const head = `#${ticket.id} · ${channelLabel(ticket.channel)} · `;
  const what = procedureTitle ?? ticket.procedureCode ?? REASON_LABELS[ticket.reason] ?? 'Gặp cán bộ';
  return head + clip(what.replace(/\s+/g, ' ').trim(), TOPIC_NAME_LIMIT - head.length);
}

/** The first line of every card; the desk finds a ticket from a reply to any of its messages by this `#id`. */
export function ticketTag(ticketId: number): string {
  return `#${ticketId}`;
}

/** "#12" at the start of one of the desk's own messages (a card, or a line posted in a group without topics). */
export function taggedTicketId(text: string | undefined): number | null {
  const m = /^(?:\S+ )?(?:Yêu cầu )?#(\d{1,15})\b/u.exec(text ?? '');
  return m ? Number(m[1]) : null;
}

function statusLine(t: Ticket): string {
  if (t.status === 'waiting') return `🆕 Yêu cầu ${ticketTag(t.id)} · Đang chờ cán bộ`;
  if (t.status === 'with_staff') return `🧑‍💼 Yêu cầu ${ticketTag(t.id)} · ${t.ownerName ?? 'Một cán bộ'} đang xử lý`;
  const end = t.endStatus ? `: ${END_STATUS_LABELS[t.endStatus]}` : '';
  return `✅ Yêu cầu ${ticketTag(t.id)} · Đã đóng${end}`;
}

const SPEAKER: Partial<Record<TicketEvent['kind'], (e: TicketEvent) => string>> = {
  citizen_message: () => '👤 Người dân',
  bot_message: () => '🤖 Trợ lý',
  staff_message: (e) => `🧑‍💼 ${e.actorName ?? 'Cán bộ'}`,
};

/** The conversation before the handover, as the `opened` event keeps it (redacted by the handover service). */
const OpenedTranscriptSchema = z.array(z.object({ who: z.string(), text: z.string() })).catch([]);

/** The ticket's transcript as lines: the conversation before the handover, then the messages since. */
function transcriptLines(events: TicketEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.kind === 'opened') {
      return OpenedTranscriptSchema.parse(e.data.transcript).flatMap((l) =>
        l.text.trim() ? [`${l.who === 'citizen' ? '👤 Người dân' : '🤖 Trợ lý'}: ${clip(l.text.trim(), ENTRY_LIMIT)}`] : [],
      );
    }
    const speaker = SPEAKER[e.kind];
    return speaker && e.text?.trim() ? [`${speaker(e)}: ${clip(e.text.trim(), ENTRY_LIMIT)}`] : [];
  });
}

/**
 * The card: who, where from, since when (Vietnam time), what about, the summary, then the redacted transcript.
 * Within 4,096 characters: whole transcript entries are dropped, oldest first, and the card says how many.
 */
export function renderCard(t: Ticket, c: CardContext): string {
  const head = [
    statusLine(t),
    `Kênh: ${channelLabel(t.channel)}`,
    `Chờ từ: ${formatLocalTime(new Date(t.createdAt))} (giờ Việt Nam)`,
    `Thủ tục: ${t.procedureCode ? [t.procedureCode, c.procedureTitle].filter(Boolean).join(' · ') : 'chưa rõ'}`,
    `Lý do: ${REASON_LABELS[t.reason] ?? t.reason}`,
    ...(t.afterHours ? ['⏰ Gửi ngoài giờ làm việc'] : []),
    ...(t.callbackRequested ? ['📞 Người dân xin được gọi lại'] : []),
    ...(t.summary.trim() ? [`Tóm tắt: ${clip(t.summary.trim(), ENTRY_LIMIT)}`] : []),
  ];
  if (t.status !== 'closed') {
    head.push(
      c.inTopic
        ? 'Bấm Nhận rồi viết ngay trong chủ đề này: tin của bạn được chuyển tới người dân.'
        : 'Bấm Nhận rồi trả lời (Reply) vào tin này: tin của bạn được chuyển tới người dân.',
    );
  }
  const entries = transcriptLines(c.events);
  const headText = head.join('\n');
  if (!entries.length) return headText;
  const title = '\nNội dung trao đổi:';
  // Newest entries matter most: keep as many as fit, counting back from the last.
  let room = TELEGRAM_TEXT_LIMIT - headText.length - title.length - 60;
  const kept: string[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const line = entries[i]!;
    if (line.length + 1 > room) break;
    kept.unshift(line);
    room -= line.length + 1;
  }
  const dropped = entries.length - kept.length;
  return [headText, title, ...(dropped ? [`… ${dropped} tin nhắn trước không hiển thị`] : []), ...kept].join('\n');
}

export type CardMenu = 'none' | 'transfer' | 'close';

/**
 * The card's buttons: waiting → Nhận, Chuyển, Đóng; with staff → Chuyển, Đóng; closed → none. A menu adds rows
 * under them: Chuyển → "Về hàng chờ" and one per active colleague; Đóng → the end statuses.
 */
export function cardKeyboard(t: Ticket, menu: CardMenu = 'none', colleagues: StaffUser[] = []): InlineKeyboardMarkup {
  if (t.status === 'closed') return { inline_keyboard: [] };
  const id = t.id;
  const main: InlineKeyboardButton[] = [
    ...(t.status === 'waiting' ? [button(BUTTONS.claim, encodeAction({ kind: 'claim', ticketId: id }))] : []),
    button(BUTTONS.transfer, encodeAction({ kind: 'transfer_menu', ticketId: id })),
    button(BUTTONS.close, encodeAction({ kind: 'close_menu', ticketId: id })),
  ];
  const rows: InlineKeyboardButton[][] = [main];
  if (menu === 'transfer') {
    const targets = [
      ...(t.status === 'with_staff' ? [button(BUTTONS.toQueue, encodeAction({ kind: 'to_queue', ticketId: id }))] : []),
      // Telegram allows 100 buttons; a commune's centre has a handful of staff.
      ...colleagues.slice(0, 40).map((u) => button(clip(u.displayName, 40), encodeAction({ kind: 'transfer', ticketId: id, toUserId: u.id }))),
    ];
    rows.push(...chunk(targets, 2));
  }
  if (menu === 'close') {
    rows.push(...chunk(EndStatusSchema.options.map((s) => button(END_STATUS_LABELS[s], encodeAction({ kind: 'close', ticketId: id, endStatus: s }))), 2));
  }
  if (menu !== 'none') rows.push([button(BUTTONS.back, encodeAction({ kind: 'back', ticketId: id }))]);
  return { inline_keyboard: rows };
}

const button = (text: string, callback_data: string): InlineKeyboardButton => ({ text, callback_data });

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** At most `max` characters, ending in "…" when cut (never inside a surrogate pair). */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end).trimEnd()}…`;
}
