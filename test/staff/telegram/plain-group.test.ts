import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorld, type DeskWorld, LAN_TG, MINH_TG, STAFF_CHAT } from './setup.ts';

describe('Telegram staff desk in a group without topics', () => {
  let w: DeskWorld;
  beforeAll(async () => {
    w = await deskWorld({ forum: false });
  });
  afterAll(async () => {
    await w.close();
  });

  it('posts the card in the group, relays as replies to it, and takes staff replies to any of its messages', async () => {
    const id = await w.openTicket('z-plain');
    await w.desk.flush();

    expect(w.fake.sent.some((c) => c.method === 'createForumTopic' && c.status === 400)).toBe(true);
    const ticket = (await w.ticket(id))!;
    expect(ticket.telegramThreadId).toBeNull();
    const card = await w.card(id);
    expect(card.message_thread_id).toBeUndefined();
    expect(card.text).toContain('trả lời (Reply) vào tin này');
    expect(w.buttons(card)).toEqual(['Nhận', 'Chuyển', 'Đóng']);

    await w.service.citizenMessage('zalo:z-plain', 'Tôi muốn hỏi về khai sinh', 'zalo:p1');
    await w.desk.flush();
    const relay = w.fake.messagesIn(STAFF_CHAT).at(-1)!;
    expect(relay.text).toBe(`#${id} · 👤 Người dân: Tôi muốn hỏi về khai sinh`);
    expect(relay.reply_to_message?.message_id).toBe(card.message_id);

    // Not yet claimed: a reply to the card is refused.
    await w.desk.handleUpdate(w.write('Chào chị', LAN_TG, { replyTo: card }));
    expect(w.fake.messagesIn(STAFF_CHAT).at(-1)!.text).toBe('Bạn cần bấm Nhận trước khi trả lời.');

    await w.press(id, 'Nhận', LAN_TG);
    await w.desk.flush();
    expect(w.buttons(await w.card(id))).toEqual(['Chuyển', 'Đóng']);

    // A reply to the card, and a reply to the relayed message: both reach the citizen.
    await w.desk.handleUpdate(w.write('Chào chị, tôi là Lan', LAN_TG, { replyTo: await w.card(id) }));
    await w.desk.handleUpdate(w.write('Chị cần giấy chứng sinh', LAN_TG, { replyTo: relay }));
    const staff = (await w.outbox('zalo:z-plain')).filter((m) => m.kind === 'staff').map((m) => m.text);
    expect(staff).toHaveLength(2);
    expect(staff[0]).toContain('Chào chị, tôi là Lan');
    expect(staff[1]).toContain('Chị cần giấy chứng sinh');

    // Chatter in the group that replies to no desk message is left alone.
    const sent = w.fake.sent.length;
    await w.desk.handleUpdate(w.write('Trưa nay ai trực?', MINH_TG, {}));
    expect(w.fake.sent.length).toBe(sent);
  });

  it('a card staff deleted is posted again when the ticket changes', async () => {
    const id = await w.openTicket('z-plain-deleted');
    await w.desk.flush();
    const first = (await w.ticket(id))!.telegramCardMessageId!;

    w.fake.staffDeletesMessage(STAFF_CHAT, first);
    await w.service.claim(id, w.minh); // from the console
    await w.desk.flush();

    const ticket = (await w.ticket(id))!;
    expect(ticket.telegramCardMessageId).not.toBe(first);
    const card = await w.card(id);
    expect(card.text).toContain('Minh đang xử lý');
    expect(w.buttons(card)).toEqual(['Chuyển', 'Đóng']);
    expect(w.fake.messagesIn(STAFF_CHAT).at(-1)).toMatchObject({ text: `#${id} · 🙋 Minh đã nhận yêu cầu.`, reply_to_message: { message_id: card.message_id } });
  });
});
