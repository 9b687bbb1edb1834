import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/domain/staff.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { callbackUpdate, textUpdate } from '../fakes/telegram-server.ts';
import { zaloTextUpdate } from '../fakes/zalo-server.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { type Product, startProduct, TG_SECRET } from '../helpers/product.ts';

/**
 * The handover through the whole product (`startApp`, the real channels against the fake Telegram and Zalo
 * servers, the real database): a citizen on each channel reaches a person, is told their place, staff claim, relay
 * both ways, the bot is silent meanwhile, the ticket closes and the rating is asked and stored with the ticket.
 */
const waitUntil = async (check: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

async function staffUsers(p: Product): Promise<{ lan: StaffUser; minh: StaffUser }> {
  const accounts = new Accounts(p.running.db);
  const lan = await accounts.add({ username: 'lan', role: 'staff', password: 'mat-khau-dai-1', displayName: 'Lan' }, CLI_ACTOR);
  const minh = await accounts.add({ username: 'minh', role: 'staff', password: 'mat-khau-dai-2', displayName: 'Minh' }, CLI_ACTOR);
  return { lan, minh };
}

describe('handover end to end', () => {
  let p: Product;
  let lan: StaffUser;
  let minh: StaffUser;
  const hook = () => p.url('/webhooks/telegram');
  const web = async (conversationId: string, body: Record<string, unknown>) => {
    const res = await fetch(p.url('/api/chat'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId, messageId: `m${Math.random().toString(36).slice(2)}`, ...body }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: { text: string; choices?: { id: string; label: string }[] }[] }).messages;
  };
  const webOutbox = async (conversationId: string) =>
    (await p.running.db.query<{ message: { text: string; choices?: { id: string }[] }; kind: string }>(
      `SELECT message, kind FROM outbound_messages WHERE conversation_id = $1 AND inbound_id IS NULL ORDER BY id`,
      [`web:${conversationId}`],
    )).map((r) => ({ ...r.message, kind: r.kind }));
  const tg = async (text: string, chatId: number) => {
    const u = p.telegram.pushUpdate(textUpdate(text, { chatId }));
    expect((await p.telegram.postWebhook(hook(), u, TG_SECRET)).status).toBe(200);
  };

  beforeAll(async () => {
    p = await startProduct();
    ({ lan, minh } = await staffUsers(p));
  });
  afterAll(async () => {
    await p?.close();
  });

  it('web: asking for a person in the very first message opens a ticket and tells the place in the queue', async () => {
    const replies = await web('webcitizen01', { text: 'cho tôi gặp cán bộ' });
    expect(replies.at(-1)!.text).toContain('Tôi đã chuyển yêu cầu của bạn tới cán bộ');
    expect(replies.at(-1)!.text).toContain('vị trí số 1');
    // no working hours in this profile: the bot says it does not know, and offers a callback
    expect(replies.at(-1)!.text).toContain('không có thông tin về giờ làm việc');
    expect(replies.at(-1)!.choices!.map((c) => c.id)).toEqual(['callback', 'wait', 'bot']);
    const [ticket] = await p.running.handover.listTickets();
    expect(ticket).toMatchObject({ channel: 'web', status: 'waiting', position: 1, reason: 'asked_for_person' });
  });

  it('web: words while waiting go into the ticket (acknowledged once), claims tell the citizen, and the bot is silent while owned', async () => {
    const first = await web('webcitizen01', { text: 'tôi muốn hỏi về hồ sơ khai sinh của con tôi, số 0912345678' });
    expect(first[0]!.text).toContain('đã được chuyển tới cán bộ');
    expect(await web('webcitizen01', { text: 'con tôi sinh ngày 1/11' })).toEqual([]);
    const ticket = (await p.running.handover.listTickets())[0]!;
    const events = await p.running.handover.ticketEvents(ticket.id);
    const said = events.filter((e) => e.kind === 'citizen_message').map((e) => e.text);
    expect(said).toHaveLength(2);
    expect(said[0]).not.toContain('0912345678'); // redacted in the log staff and reports read

    const claimed = await p.running.handover.claim(ticket.id, lan);
    expect(claimed).toMatchObject({ ok: true, ticket: { status: 'with_staff', ownerName: 'Lan' } });
    expect((await webOutbox('webcitizen01')).map((m) => m.text)).toContain('Cán bộ Lan đã nhận yêu cầu của bạn và sẽ trả lời tại đây.');
    // owned: a question the bot could answer gets no bot reply; it is relayed
    expect(await web('webcitizen01', { text: 'đăng ký khai sinh cần giấy tờ gì' })).toEqual([]);
    expect((await p.running.handover.ticketEvents(ticket.id)).filter((e) => e.kind === 'citizen_message')).toHaveLength(3);

    const r1 = await p.running.handover.reply(ticket.id, lan, 'Chào bạn, bạn mang giấy chứng sinh đến nhé.', 'console:abc');
    const r2 = await p.running.handover.reply(ticket.id, lan, 'Chào bạn, bạn mang giấy chứng sinh đến nhé.', 'console:abc');
    expect(r1.ok && r2.ok).toBe(true);
    const staffSaid = (await webOutbox('webcitizen01')).filter((m) => m.kind === 'staff');
    expect(staffSaid.map((m) => m.text)).toEqual(['Cán bộ Lan:\nChào bạn, bạn mang giấy chứng sinh đến nhé.']); // once
    expect(await p.running.handover.reply(ticket.id, minh, 'xen vào', 'console:x')).toMatchObject({ ok: false, reason: 'not_owner' });
  });

  it('web: closing asks the rating once; the rating is stored with the ticket and the staff member', async () => {
    const ticket = (await p.running.handover.listTickets())[0]!;
    expect(await p.running.handover.close(ticket.id, lan, 'resolved')).toMatchObject({ ok: true, ticket: { status: 'closed', endStatus: 'resolved' } });
    const out = await webOutbox('webcitizen01');
    expect(out.at(-2)!.text).toContain('Cán bộ đã kết thúc cuộc trò chuyện');
    expect(out.at(-1)!.choices!.map((c) => c.id)).toEqual(['rate:5', 'rate:4', 'rate:3', 'rate:2', 'rate:1']);
    const ack = await web('webcitizen01', { choice: 'rate:4' });
    expect(ack[0]!.text).toContain('Đã ghi nhận: Hài lòng');
    const again = await web('webcitizen01', { choice: 'rate:1' });
    expect(again[0]!.text).toContain('đã được ghi nhận trước đó');
    const rows = await p.running.db.query<{ level: number; ticket_id: string; staff: string; channel: string }>(`SELECT level, ticket_id, staff, channel FROM ratings WHERE conversation_id = 'web:webcitizen01'`);
    expect(rows).toEqual([{ level: 4, ticket_id: String(ticket.id), staff: 'Lan', channel: 'web' }].map((r) => ({ ...r, ticket_id: expect.anything() })));
    expect(Number(rows[0]!.ticket_id)).toBe(ticket.id);
    // back with the bot: it answers again
    expect((await web('webcitizen01', { text: 'đăng ký khai sinh cần giấy tờ gì' }))[0]!.text).toContain('1.001193');
  });

  it('Telegram: a handover, a claim race between two staff, a relay exactly once, /bot closes it as citizen left', async () => {
    await tg('tôi muốn nói chuyện với người thật', 501);
    await p.telegram.waitFor(() => p.telegramTexts(501).some((t) => t.includes('vị trí số 1')));
    const ticket = (await p.running.handover.listTickets()).find((t) => t.channel === 'telegram')!;
    const [a, b] = await Promise.all([p.running.handover.claim(ticket.id, lan), p.running.handover.claim(ticket.id, minh)]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok)!;
    expect(loser).toMatchObject({ ok: false, reason: 'taken' });
    const winner = a.ok ? lan : minh;
    expect(!loser.ok && loser.ownerName).toBe(winner.displayName);
    await p.telegram.waitFor(() => p.telegramTexts(501).some((t) => t.includes(`Cán bộ ${winner.displayName} đã nhận`)));

    await p.running.handover.reply(ticket.id, winner, 'Tôi nghe đây ạ.', 'tg:9001');
    await p.running.handover.reply(ticket.id, winner, 'Tôi nghe đây ạ.', 'tg:9001');
    await p.telegram.waitFor(() => p.telegramTexts(501).some((t) => t.includes('Tôi nghe đây ạ.')));
    await tg('dạ cảm ơn, tôi hỏi xong rồi', 501);
    await waitUntil(async () => (await p.running.handover.ticketEvents(ticket.id)).some((e) => e.text === 'dạ cảm ơn, tôi hỏi xong rồi'));
    await tg('/bot', 501);
    await p.telegram.waitFor(() => p.telegramTexts(501).some((t) => t.includes('Đã kết thúc yêu cầu gặp cán bộ')));
    expect(p.telegramTexts(501).filter((t) => t.includes('Tôi nghe đây ạ.'))).toHaveLength(1);
    expect((await p.running.handover.getTicket(ticket.id))).toMatchObject({ status: 'closed', endStatus: 'citizen_left' });
  });

  it('Zalo: numbers pick the choices; a bot reply stored before a claim is never sent once staff own the conversation', async () => {
    p.zalo.pushUpdate(zaloTextUpdate('gap can bo', { chatId: 'zc1', messageId: 'z1', date: 1 }));
    await waitUntil(() => p.zaloTexts('zc1').some((t) => t.includes('vị trí số')));
    const ticket = (await p.running.handover.listTickets()).find((t) => t.channel === 'zalo')!;
    expect(p.zaloTexts('zc1').at(-1)).toMatch(/1\. Để lại số điện thoại/);
    // "1" picks "Để lại số điện thoại": the consent sentence comes before the number is asked
    p.zalo.pushUpdate(zaloTextUpdate('1', { chatId: 'zc1', messageId: 'z2', date: 2 }));
    await waitUntil(() => p.zaloTexts('zc1').some((t) => t.includes('Khi gửi số, bạn đồng ý')));
    p.zalo.pushUpdate(zaloTextUpdate('0987 654 321', { chatId: 'zc1', messageId: 'z3', date: 3 }));
    await waitUntil(() => p.zaloTexts('zc1').some((t) => t.includes('Đã ghi nhận số điện thoại')));
    expect(await p.running.handover.callbackPhone(ticket.id)).toBe('0987654321');
    // the number is kept only in the ticket: the stored update, the ticket log and the turn log hold none of it
    const stored = JSON.stringify(await p.running.db.query(`SELECT event FROM inbound_updates WHERE conversation_id = 'zalo:zc1'`));
    const logged = JSON.stringify(await p.running.handover.ticketEvents(ticket.id));
    const turns = JSON.stringify(await p.running.db.query(`SELECT text_redacted FROM turns WHERE conversation_id = 'zalo:zc1'`));
    for (const where of [stored, logged, turns]) expect(where).not.toMatch(/0987\s?654\s?321/);

    // a bot reply for this conversation waits in the outbox (Zalo is failing), then staff claim: it is withheld
    await p.running.db.query(
      `INSERT INTO outbound_messages (inbound_id, conversation_id, channel, chat_id, seq, message, status, kind)
       VALUES (NULL, 'zalo:zc1', 'zalo', 'zc1', 0, '{"text":"BOT REPLY THAT MUST NOT GO"}'::jsonb, 'pending', 'bot')`,
    );
    expect((await p.running.handover.claim(ticket.id, lan)).ok).toBe(true);
    await waitUntil(() => p.zaloTexts('zc1').some((t) => t.includes('Cán bộ Lan đã nhận')));
    await p.running.engine.deliverPending('zalo:zc1');
    expect(p.zaloTexts('zc1').some((t) => t.includes('BOT REPLY THAT MUST NOT GO'))).toBe(false);
    const [withheld] = await p.running.db.query<{ status: string }>(`SELECT status FROM outbound_messages WHERE message->>'text' = 'BOT REPLY THAT MUST NOT GO'`);
    expect(withheld!.status).toBe('withheld');

    // closing on Zalo: the rating question is numbered, "2" is Hài lòng
    await p.running.handover.close(ticket.id, lan, 'callback_arranged');
    await waitUntil(() => p.zaloTexts('zc1').some((t) => t.includes('Rất không hài lòng')));
    p.zalo.pushUpdate(zaloTextUpdate('2', { chatId: 'zc1', messageId: 'z4', date: 4 }));
    await waitUntil(() => p.zaloTexts('zc1').some((t) => t.includes('Đã ghi nhận: Hài lòng')));
    const [rating] = await p.running.db.query<{ level: number; staff: string }>(`SELECT level, staff FROM ratings WHERE conversation_id = 'zalo:zc1'`);
    expect(rating).toMatchObject({ level: 4, staff: 'Lan' });
  });

  it('clarifications and no-answers offer "Gặp cán bộ"; the second no-answer in a row asks; pressing it opens a ticket', async () => {
    const clarify = await web('webcitizen02a', { text: 'thủ tục đăng ký' });
    expect(clarify.at(-1)!.choices!.map((c) => c.label)).toContain('Gặp cán bộ');
    const first = await web('webcitizen02', { text: 'thủ tục cấp phép khai thác khoáng sản biển' });
    expect(first.at(-1)!.choices!.map((c) => c.id)).toContain('staff');
    expect(first.at(-1)!.text).not.toContain('Bạn có muốn gặp cán bộ');
    const second = await web('webcitizen02', { text: 'thủ tục cấp phép khai thác khoáng sản biển sâu' });
    expect(second.at(-1)!.text).toContain('Bạn có muốn gặp cán bộ Trung tâm không?');
    const opened = await web('webcitizen02', { choice: 'staff' });
    expect(opened.at(-1)!.text).toContain('Tôi đã chuyển yêu cầu của bạn tới cán bộ');
    const ticket = (await p.running.handover.listTickets()).find((t) => t.conversationId === 'web:webcitizen02')!;
    expect(ticket).toMatchObject({ reason: 'choice', status: 'waiting' });
    // the card's summary is the citizen's recent words
    expect(ticket.summary).toContain('khoáng sản biển');
    expect(await web('webcitizen02', { choice: 'bot' })).toEqual([expect.objectContaining({ text: expect.stringContaining('Đã kết thúc yêu cầu gặp cán bộ') })]);
  });

  it('a dossier-status question goes to staff, who can look it up, with the portal link', async () => {
    const replies = await web('webcitizen03', { text: 'hồ sơ của tôi nộp tuần trước đến đâu rồi' });
    expect(replies[0]!.text).toContain('Tôi không tra cứu được tình trạng hồ sơ, nên chuyển cho cán bộ kiểm tra giúp bạn.');
    expect(replies.at(-1)!.text).toContain('vị trí số');
    const ticket = (await p.running.handover.listTickets()).find((t) => t.conversationId === 'web:webcitizen03')!;
    expect(ticket.reason).toBe('case_status');
    await web('webcitizen03', { text: '/bot' });
  });

  it('a dossier code typed is tracked; asking about it then shows what staff recorded, with a person to ask', async () => {
    const saved = await web('webcitizen04', { text: 'mã hồ sơ của tôi là H56.14-240823-0099' });
    expect(saved[0]!.text).toContain('Đã lưu mã hồ sơ H56.14-240823-0099');
    expect(saved.at(-1)!.text).toContain('H56.14-240823-0099');
    const asked = await web('webcitizen04', { text: 'hồ sơ của tôi đến đâu rồi' });
    expect(asked.at(-1)!.text).toContain('H56.14-240823-0099');
    expect(asked.at(-1)!.choices!.map((c) => c.id)).toContain('staff');
    expect((await p.running.handover.listTickets()).some((t) => t.conversationId === 'web:webcitizen04')).toBe(false);
    // someone else typing the same code learns nothing about it
    const other = await web('webcitizen05', { text: 'H56.14-240823-0099' });
    expect(other[0]!.text).toContain('đã được đăng ký trong một cuộc trò chuyện khác');
    expect(JSON.stringify(other)).not.toContain('Đã nộp');
  });

  it('a rating of Không hài lòng or worse flags the ticket for the centre lead; the queue moves up and the next citizen is told', async () => {
    await tg('tôi cần gặp cán bộ', 601);
    await tg('tôi cũng cần gặp cán bộ', 602);
    await p.telegram.waitFor(() => p.telegramTexts(602).some((t) => t.includes('vị trí số 2')));
    const first = (await p.running.handover.listTickets()).find((t) => t.chatId === '601')!;
    await p.running.handover.claim(first.id, minh);
    await p.telegram.waitFor(() => p.telegramTexts(602).some((t) => t.includes('Bạn đang ở vị trí số 1')));
    await p.running.handover.close(first.id, minh, 'resolved');
    await p.telegram.waitFor(() => p.telegramTexts(601).some((t) => t.includes('Bạn có hài lòng với sự hỗ trợ lần này không?')));
    const u = p.telegram.pushUpdate(callbackUpdate('rate:1', { chatId: 601 }));
    await p.telegram.postWebhook(hook(), u, TG_SECRET);
    await p.telegram.waitFor(() => p.telegramTexts(601).some((t) => t.includes('Đã ghi nhận: Rất không hài lòng')));
    await waitUntil(async () => (await p.running.handover.getTicket(first.id))!.flagged);
    expect((await p.running.handover.listTickets({ status: 'all', flagged: true })).map((t) => t.id)).toEqual([first.id]);
  });
});

describe('handover after hours, and across a restart', () => {
  const knowledge = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hours-'));
  let p: Product;
  // Sunday 6 December 2026, 20:00 in Vietnam; the centre opens Monday to Friday
  let now = new Date('2026-12-06T20:00:00+07:00');

  beforeAll(async () => {
    for (const f of fs.readdirSync(SMALL_KB)) fs.copyFileSync(path.join(SMALL_KB, f), path.join(knowledge, f));
    const weekday = '07:30-17:00';
    fs.writeFileSync(
      path.join(knowledge, 'commune-profile.json'),
      JSON.stringify({ hours: { weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday }, lunchBreak: '11:30-13:30', holidays: [] } }),
    );
    p = await startProduct({ KNOWLEDGE_DIR: knowledge, CALLBACK_RETENTION_DAYS: '7' }, { now: () => now });
  });
  afterAll(async () => {
    await p?.close();
    fs.rmSync(knowledge, { recursive: true, force: true });
  });

  it('outside working hours the ticket is still created, the reopening time is said, and a callback number is erased after retention', async () => {
    const u = p.telegram.pushUpdate(textUpdate('cho tôi nói chuyện với cán bộ', { chatId: 701 }));
    await p.telegram.postWebhook(p.url('/webhooks/telegram'), u, TG_SECRET);
    await p.telegram.waitFor(() => p.telegramTexts(701).some((t) => t.includes('ngoài giờ làm việc')));
    const text = p.telegramTexts(701).at(-1)!;
    expect(text).toContain('Trung tâm làm việc trở lại lúc 7:30 thứ Hai, 7/12.');
    const ticket = (await p.running.handover.listTickets())[0]!;
    expect(ticket).toMatchObject({ afterHours: true, status: 'waiting' });

    const pick = p.telegram.pushUpdate(callbackUpdate('callback', { chatId: 701 }));
    await p.telegram.postWebhook(p.url('/webhooks/telegram'), pick, TG_SECRET);
    await p.telegram.waitFor(() => p.telegramTexts(701).some((t) => t.includes('xóa 7 ngày sau khi yêu cầu kết thúc')));
    const bad = p.telegram.pushUpdate(textUpdate('số tôi là mười hai', { chatId: 701 }));
    await p.telegram.postWebhook(p.url('/webhooks/telegram'), bad, TG_SECRET);
    await p.telegram.waitFor(() => p.telegramTexts(701).some((t) => t.includes('Số điện thoại chưa đúng')));
    const phone = p.telegram.pushUpdate(textUpdate('0912345678', { chatId: 701 }));
    await p.telegram.postWebhook(p.url('/webhooks/telegram'), phone, TG_SECRET);
    await p.telegram.waitFor(() => p.telegramTexts(701).some((t) => t.includes('Cán bộ sẽ gọi lại cho bạn khi Trung tâm làm việc trở lại (lúc 7:30 thứ Hai, 7/12)')));
    expect(await p.running.handover.getTicket(ticket.id)).toMatchObject({ callbackRequested: true });

    const staff = await new Accounts(p.running.db).add({ username: 'truc', role: 'staff', password: 'mat-khau-truc-1', displayName: 'Trực' }, CLI_ACTOR);
    await p.running.handover.claim(ticket.id, staff);
    await p.running.handover.close(ticket.id, staff, 'callback_arranged');
    expect(await p.running.handover.callbackPhone(ticket.id)).toBe('0912345678');
    now = new Date(Date.now() + 6 * 86_400_000);
    expect(await p.running.handover.eraseExpiredPhones()).toBe(0);
    now = new Date(Date.now() + 8 * 86_400_000);
    expect(await p.running.handover.eraseExpiredPhones()).toBe(1);
    expect(await p.running.handover.callbackPhone(ticket.id)).toBeNull();
  });
});
