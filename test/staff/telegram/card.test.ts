import { describe, expect, it } from 'vitest';
import type { Ticket, TicketEvent } from '../../../src/domain/staff.ts';
import { encodeAction, parseAction, type CardAction } from '../../../src/staff/telegram/callback-data.ts';
import { cardKeyboard, renderCard, taggedTicketId, topicName } from '../../../src/staff/telegram/card.ts';

const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 12,
  conversationId: 'zalo:z1',
  channel: 'zalo',
  chatId: 'z1',
  status: 'waiting',
  reason: 'asked_for_person',
  procedureCode: '1.001193',
  summary: 'Tôi cần làm giấy khai sinh',
  ownerId: null,
  ownerName: null,
  endStatus: null,
  afterHours: false,
  callbackRequested: false,
  flagged: false,
  createdAt: '2026-12-08T01:15:00.000Z',
  claimedAt: null,
  closedAt: null,
  telegramThreadId: null,
  telegramCardMessageId: null,
  ...over,
});

const event = (id: number, kind: TicketEvent['kind'], text: string | null, data: Record<string, unknown> = {}): TicketEvent => ({
  id,
  ticketId: 12,
  kind,
  actorId: null,
  actorName: null,
  text,
  data,
  createdAt: '2026-12-08T01:15:00.000Z',
});

describe('the ticket card', () => {
  it('names the topic by ticket, channel and procedure, within 128 characters', () => {
    expect(topicName(ticket(), 'Đăng ký khai sinh')).toBe('#12 · Zalo · Đăng ký khai sinh');
    const long = topicName(ticket(), 'Đăng ký khai sinh kết hợp '.repeat(20));
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long.endsWith('…')).toBe(true);
    expect(topicName(ticket({ procedureCode: null, channel: 'web' }), null)).toBe('#12 · Web · Người dân muốn gặp cán bộ');
  });

  it('shows the waiting time in Vietnam time, the procedure, the summary and the transcript', () => {
    const text = renderCard(ticket(), {
      procedureTitle: 'Đăng ký khai sinh',
      inTopic: true,
      events: [event(1, 'opened', null, { transcript: [{ who: 'citizen', text: 'làm giấy khai sinh cần gì' }, { who: 'bot', text: 'Cần tờ khai…' }] }), event(2, 'citizen_message', 'cho tôi gặp cán bộ')],
    });
    expect(text.split('\n')).toEqual([
      '🆕 Yêu cầu #12 · Đang chờ cán bộ',
      'Kênh: Zalo',
      'Chờ từ: 08:15 8/12 (giờ Việt Nam)',
      'Thủ tục: 1.001193 · Đăng ký khai sinh',
      'Lý do: Người dân muốn gặp cán bộ',
      'Tóm tắt: Tôi cần làm giấy khai sinh',
      'Bấm Nhận rồi viết ngay trong chủ đề này: tin của bạn được chuyển tới người dân.',
      '',
      'Nội dung trao đổi:',
      '👤 Người dân: làm giấy khai sinh cần gì',
      '🤖 Trợ lý: Cần tờ khai…',
      '👤 Người dân: cho tôi gặp cán bộ',
    ]);
    expect(taggedTicketId(text)).toBe(12);
    expect(taggedTicketId('#12 · 👤 Người dân: xin chào')).toBe(12);
    expect(taggedTicketId('Xin chào #12')).toBeNull();
  });

  it('fits 4,096 characters by dropping the oldest whole messages, and says so', () => {
    const events = Array.from({ length: 40 }, (_, i) => event(i + 1, 'citizen_message', `Tin số ${i + 1}: ${'rất dài '.repeat(40)}`));
    const text = renderCard(ticket(), { procedureTitle: null, inTopic: true, events });
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/… \d+ tin nhắn trước không hiển thị/);
    expect(text).toContain('Tin số 40:');
    expect(text).not.toContain('Tin số 1:');
    for (const line of text.split('\n').filter((l) => l.startsWith('👤'))) expect(line).toMatch(/rất dài$/);
  });

  it('buttons follow the state; callback data stays within 64 bytes and reads back', () => {
    const labels = (t: Ticket, menu?: 'transfer' | 'close') => cardKeyboard(t, menu, []).inline_keyboard.flat().map((b) => b.text);
    expect(labels(ticket())).toEqual(['Nhận', 'Chuyển', 'Đóng']);
    expect(labels(ticket({ status: 'with_staff', ownerId: 1, ownerName: 'Lan' }))).toEqual(['Chuyển', 'Đóng']);
    expect(labels(ticket({ status: 'closed' }))).toEqual([]);
    const actions: CardAction[] = [
      { kind: 'claim', ticketId: 999_999_999_999_999 },
      { kind: 'transfer', ticketId: 999_999_999_999_999, toUserId: 999_999_999_999_999 },
      { kind: 'close', ticketId: 999_999_999_999_999, endStatus: 'callback_arranged' },
      { kind: 'back', ticketId: 1 },
    ];
    for (const a of actions) {
      expect(Buffer.byteLength(encodeAction(a))).toBeLessThanOrEqual(64);
      expect(parseAction(encodeAction(a))).toEqual(a);
    }
    expect(parseAction('st:e:12:deleted_everything')).toBeNull();
    expect(parseAction('menu:khai-sinh')).toBeNull();
  });
});
