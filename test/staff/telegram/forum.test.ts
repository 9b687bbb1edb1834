import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEGRAM_DESK } from '../../../src/staff/telegram/index.ts';
import { deskWorld, type DeskWorld, LAN_TG, MINH_TG, postedTexts, STAFF_CHAT, STRANGER_TG } from './setup.ts';

describe('Telegram staff desk in a group with topics', () => {
  // One database and one fake for the file (migrating a database takes seconds); every test has its own tickets.
  let w: DeskWorld;
  beforeAll(async () => {
    w = await deskWorld({ forum: true });
  });
  afterAll(async () => {
    await w.close();
  });
  const topicsOf = (id: number) => w.fake.topics(STAFF_CHAT).filter((t) => t.name.startsWith(`#${id} `));

  it('posts a new ticket as a topic opened by its card with Nhận, Chuyển and Đóng', async () => {
    const id = await w.openTicket('z-card', '1.001193');
    await w.desk.flush();

    const topics = topicsOf(id);
    expect(topics).toHaveLength(1);
    expect(topics[0]!.name).toBe(`#${id} · Zalo · 1.001193`);
    const ticket = (await w.ticket(id))!;
    expect(ticket.telegramThreadId).toBe(topics[0]!.message_thread_id);
    const card = await w.card(id);
    expect(card.message_thread_id).toBe(ticket.telegramThreadId);
    expect(card.text).toContain(`Yêu cầu #${id} · Đang chờ cán bộ`);
    expect(card.text).toContain('Kênh: Zalo');
    expect(card.text).toMatch(/Chờ từ: \d\d:\d\d \d{1,2}\/\d{1,2} \(giờ Việt Nam\)/);
    expect(card.text).toContain('Thủ tục: 1.001193');
    expect(w.buttons(card)).toEqual(['Nhận', 'Chuyển', 'Đóng']);
    const data = (card.reply_markup!.inline_keyboard.flat() as { callback_data: string }[]).map((b) => Buffer.byteLength(b.callback_data));
    expect(Math.max(...data)).toBeLessThanOrEqual(64);
  });

  it('a claim by a linked staff member edits the card, posts a line and tells the citizen', async () => {
    const id = await w.openTicket('z-claim');
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;

    await w.press(id, 'Nhận', LAN_TG, 'q-claim');
    expect(w.answers('q-claim')).toHaveLength(1);
    expect((await w.ticket(id))!.ownerName).toBe('Lan');
    await w.desk.flush();

    const card = await w.card(id);
    expect(card.text).toContain(`Yêu cầu #${id} · Lan đang xử lý`);
    expect(w.buttons(card)).toEqual(['Chuyển', 'Đóng']);
    expect(postedTexts(w.fake, threadId)).toContain('🙋 Lan đã nhận yêu cầu.');
    const told = await w.outbox('zalo:z-claim');
    expect(told.some((m) => m.kind === 'system' && m.text.includes('Lan'))).toBe(true);
  });

  it('the callback number reaches only the one who claims, in an alert, never the group', async () => {
    const id = await w.openTicket('z-callback');
    await w.service.requestCallback('zalo:z-callback', '0912345678');
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;
    await w.press(id, 'Nhận', LAN_TG, 'q-callback');
    await w.desk.flush();
    expect(w.answers('q-callback')).toMatchObject([{ payload: { show_alert: true, text: expect.stringContaining('0912345678') } }]);
    expect(JSON.stringify(w.fake.sent.filter((c) => c.method !== 'answerCallbackQuery').map((c) => c.payload))).not.toContain('0912345678');
    expect(postedTexts(w.fake, threadId).join('\n')).not.toContain('0912345678');
  });

  it('a claim race between two staff: exactly one wins, the other is told who did', async () => {
    const id = await w.openTicket('z-race');
    await w.desk.flush();

    await Promise.all([w.press(id, 'Nhận', LAN_TG, 'q-lan'), w.press(id, 'Nhận', MINH_TG, 'q-minh')]);

    const ticket = (await w.ticket(id))!;
    expect(['Lan', 'Minh']).toContain(ticket.ownerName);
    const loser = ticket.ownerName === 'Lan' ? 'q-minh' : 'q-lan';
    const winner = loser === 'q-lan' ? 'q-minh' : 'q-lan';
    expect(w.answers(winner)).toHaveLength(1);
    expect(w.answers(winner)[0]!.payload.show_alert).toBeUndefined();
    expect(w.answers(loser)).toHaveLength(1);
    expect(w.answers(loser)[0]!.payload).toMatchObject({ show_alert: true, text: `Yêu cầu này đã có cán bộ ${ticket.ownerName} nhận.` });
    const claims = (await w.service.ticketEvents(id)).filter((e) => e.kind === 'claimed');
    expect(claims).toHaveLength(1);
  });

  it('someone not linked to a staff account can neither claim nor write to the citizen', async () => {
    const id = await w.openTicket('z-stranger');
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;

    await w.press(id, 'Nhận', STRANGER_TG, 'q-stranger');
    expect(w.answers('q-stranger')).toMatchObject([{ payload: { show_alert: true, text: 'Bạn chưa được cấp quyền cán bộ.' } }]);
    expect((await w.ticket(id))!.status).toBe('waiting');

    // Even on a ticket someone owns, a stranger's text goes nowhere; told once, not at every message.
    await w.press(id, 'Nhận', LAN_TG);
    await w.desk.handleUpdate(w.write('Chào anh, tôi là cán bộ', STRANGER_TG, { threadId }));
    await w.desk.handleUpdate(w.write('Anh gửi giấy tờ cho tôi', STRANGER_TG, { threadId }));
    expect((await w.service.ticketEvents(id)).filter((e) => e.kind === 'staff_message')).toHaveLength(0);
    expect((await w.outbox('zalo:z-stranger')).filter((m) => m.kind === 'staff')).toHaveLength(0);
    const refusals = postedTexts(w.fake, threadId).filter((t) => t.startsWith('Bạn chưa được cấp quyền cán bộ'));
    expect(refusals).toHaveLength(1);
  });

  it("the owner's message reaches the citizen exactly once, even when Telegram delivers the update twice", async () => {
    const id = await w.openTicket('z-relay');
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;

    // Before claiming: refused, nothing relayed.
    await w.desk.handleUpdate(w.write('Chào anh', LAN_TG, { threadId }));
    expect(postedTexts(w.fake, threadId)).toContain('Bạn cần bấm Nhận trước khi trả lời.');

    await w.press(id, 'Nhận', LAN_TG);
    const update = w.write('Anh mang theo\u200b CCCD bản gốc nhé', LAN_TG, { threadId });
    await w.desk.handleUpdate(update);
    await w.desk.handleUpdate(update);

    const staff = (await w.outbox('zalo:z-relay')).filter((m) => m.kind === 'staff');
    expect(staff).toHaveLength(1);
    expect(staff[0]!.text).toContain('Anh mang theo CCCD bản gốc nhé'); // cleaned: the zero-width space is gone
    expect((await w.service.ticketEvents(id)).filter((e) => e.kind === 'staff_message')).toHaveLength(1);

    // Another staff member in the same topic is refused.
    await w.desk.handleUpdate(w.write('Để tôi trả lời', MINH_TG, { threadId }));
    expect(postedTexts(w.fake, threadId)).toContain('Yêu cầu này đang do cán bộ Lan xử lý; chỉ người nhận mới trả lời được.');
    expect((await w.outbox('zalo:z-relay')).filter((m) => m.kind === 'staff')).toHaveLength(1);
  });

  it("posts the citizen's messages into the topic, and ignores service messages", async () => {
    const id = await w.openTicket('z-msgs');
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;

    await w.service.citizenMessage('zalo:z-msgs', 'Tôi cần làm giấy khai sinh cho con', 'zalo:u1');
    await w.service.citizenMessage('zalo:z-msgs', 'Con tôi sinh ở nhà', 'zalo:u2');
    await w.desk.flush();
    const texts = postedTexts(w.fake, threadId);
    expect(texts.slice(-2)).toEqual(['👤 Người dân: Tôi cần làm giấy khai sinh cho con', '👤 Người dân: Con tôi sinh ở nhà']);

    const sent = w.fake.sent.length;
    await w.desk.handleUpdate(w.fake.newUpdate(w.fake.staffClosesTopic(STAFF_CHAT, threadId, LAN_TG)));
    expect(w.fake.sent.length).toBe(sent);
  });

  it('a topic staff deleted is created again with its card, and the event is posted in it', async () => {
    const id = await w.openTicket('z-deleted');
    await w.desk.flush();
    const first = (await w.ticket(id))!.telegramThreadId!;

    w.fake.staffDeletesTopic(STAFF_CHAT, first);
    await w.service.citizenMessage('zalo:z-deleted', 'Còn ai ở đó không?', 'zalo:d1');
    await w.desk.flush();

    const ticket = (await w.ticket(id))!;
    expect(ticket.telegramThreadId).not.toBe(first);
    expect(topicsOf(id).map((t) => t.message_thread_id)).toEqual([ticket.telegramThreadId]);
    const texts = postedTexts(w.fake, ticket.telegramThreadId!);
    expect(texts[0]).toContain(`Yêu cầu #${id}`);
    expect(w.buttons(await w.card(id))).toEqual(['Nhận', 'Chuyển', 'Đóng']);
    expect(texts.at(-1)).toBe('👤 Người dân: Còn ai ở đó không?');
    expect(await w.cursors.get(TELEGRAM_DESK)).toBe((await w.service.ticketEvents(id)).at(-1)!.id);
  });

  it('a topic staff closed is reopened and the event posted in it', async () => {
    const id = await w.openTicket('z-closed-topic');
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;

    w.fake.staffClosesTopic(STAFF_CHAT, threadId, MINH_TG);
    await w.service.citizenMessage('zalo:z-closed-topic', 'Cho tôi hỏi thêm', 'zalo:c1');
    await w.desk.flush();

    expect((await w.ticket(id))!.telegramThreadId).toBe(threadId);
    expect(topicsOf(id)).toMatchObject([{ message_thread_id: threadId, closed: false }]);
    expect(postedTexts(w.fake, threadId).at(-1)).toBe('👤 Người dân: Cho tôi hỏi thêm');
  });

  it('Chuyển offers the queue and each colleague; Đóng offers the end statuses and leaves a card without buttons', async () => {
    const id = await w.openTicket('z-flow');
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;
    await w.press(id, 'Nhận', LAN_TG);
    await w.desk.flush();

    await w.press(id, 'Chuyển', LAN_TG);
    expect(w.buttons(await w.card(id))).toEqual(['Chuyển', 'Đóng', 'Về hàng chờ', 'Minh', '↩ Quay lại']);
    await w.press(id, 'Minh', LAN_TG);
    await w.desk.flush();
    expect((await w.ticket(id))!.ownerName).toBe('Minh');
    expect(postedTexts(w.fake, threadId)).toContain('➡ Lan đã chuyển yêu cầu cho Minh.');
    expect((await w.card(id)).text).toContain('Minh đang xử lý');

    await w.press(id, 'Đóng', MINH_TG);
    expect(w.buttons(await w.card(id)).slice(2, 8)).toEqual([
      'Đã giải quyết',
      'Chuyển nơi khác',
      'Người dân rời đi',
      'Đã hẹn gọi lại',
      'Người dân không trả lời',
      'Lạm dụng',
    ]);
    const q = await w.press(id, 'Đã giải quyết', MINH_TG);
    expect(w.answers(q.callback_query!.id)).toHaveLength(1);
    await w.desk.flush();

    const ticket = (await w.ticket(id))!;
    expect(ticket).toMatchObject({ status: 'closed', endStatus: 'resolved' });
    const card = await w.card(id);
    expect(card.text).toContain('Đã đóng: Đã giải quyết');
    expect(w.buttons(card)).toEqual([]);
    expect(postedTexts(w.fake, threadId).at(-1)).toBe('✅ Minh đã đóng yêu cầu: Đã giải quyết.');
    expect(topicsOf(id)).toMatchObject([{ message_thread_id: threadId, closed: true }]);
  });

  it('after a restart the desk resumes from the stored cursor without posting anything again', async () => {
    const id = await w.openTicket('z-restart');
    await w.desk.flush();
    await w.service.citizenMessage('zalo:z-restart', 'Tin thứ nhất', 'zalo:r1');
    await w.desk.flush();
    await w.desk.stop();
    const threadId = (await w.ticket(id))!.telegramThreadId!;
    const before = postedTexts(w.fake, threadId);

    await w.service.citizenMessage('zalo:z-restart', 'Tin thứ hai', 'zalo:r2');
    w.desk = w.newDesk();
    await w.desk.flush();

    expect(topicsOf(id)).toHaveLength(1);
    expect(postedTexts(w.fake, threadId)).toEqual([...before, '👤 Người dân: Tin thứ hai']);
  });

  it('a crash after the topic was created but before the card: the card goes into that topic, no second topic', async () => {
    const id = await w.openTicket('z-crash');
    w.fake.failNext('sendMessage', { status: 400, description: 'Bad Request: something unexpected' });
    const desk = w.newDesk({ maxAttempts: 3 });
    await desk.flush();
    expect(topicsOf(id)).toHaveLength(1);
    expect((await w.ticket(id))!.telegramCardMessageId).toBeNull();

    w.desk = w.newDesk();
    await w.desk.flush();
    expect(topicsOf(id)).toHaveLength(1);
    expect((await w.card(id)).message_thread_id).toBe(topicsOf(id)[0]!.message_thread_id);
  });

  it('Telegram being down leaves the cursor; an event Telegram keeps refusing is skipped after a few tries', async () => {
    const start = await w.cursors.get(TELEGRAM_DESK);
    const id = await w.openTicket('z-errors');
    w.fake.failNext('createForumTopic', { status: 502, description: 'Bad Gateway' });
    expect(await w.desk.flush()).toBe('retry');
    expect(await w.cursors.get(TELEGRAM_DESK)).toBe(start);
    await w.desk.flush();
    const threadId = (await w.ticket(id))!.telegramThreadId!;
    const opened = await w.cursors.get(TELEGRAM_DESK);
    expect(opened).toBeGreaterThan(start);

    await w.service.citizenMessage('zalo:z-errors', 'Tin bị từ chối', 'zalo:e1');
    await w.service.citizenMessage('zalo:z-errors', 'Tin sau đó', 'zalo:e2');
    w.fake.failNext('sendMessage', { status: 400, description: 'Bad Request: can\'t parse entities' }, 3);
    const desk = w.newDesk({ maxAttempts: 3 });
    expect(await desk.flush()).toBe('retry');
    expect(await desk.flush()).toBe('retry');
    expect(await w.cursors.get(TELEGRAM_DESK)).toBe(opened);
    expect(await desk.flush()).toBe('idle');
    expect(postedTexts(w.fake, threadId).slice(-1)).toEqual(['👤 Người dân: Tin sau đó']);
    expect(postedTexts(w.fake, threadId)).not.toContain('👤 Người dân: Tin bị từ chối');
  });
});
