import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../../src/domain/staff.ts';
import type { ReplyMessage } from '../../../src/domain/types.ts';
import type { WebUpdatesResponse } from '../../../src/channels/web/updates.ts';
import { startProduct, type Product } from '../../helpers/product.ts';
import { addStaff } from './handover-rows.ts';

/**
 * The whole product (`npm start` with the small knowledge base): a web citizen asks for a person, a staff member
 * claims the ticket and replies through the handover service, and the citizen's page gets it from
 * GET /api/chat/updates — then the close and its rating question, answered with a button's choice.
 */
describe('web citizen and a staff member, through the whole product', () => {
  let product: Product;
  const chat = 'web-updates-e2e-1';
  let seq = 0;

  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(async () => {
    await product?.close();
  });

  async function say(body: { text?: string; choice?: string }): Promise<ReplyMessage[]> {
    seq++;
    const res = await fetch(product.url('/api/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: chat, messageId: `web-updates-e2e-msg-${seq}`, seq, ...body }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: ReplyMessage[] }).messages;
  }

  async function updates(after: number, wait = 0): Promise<WebUpdatesResponse> {
    const res = await fetch(product.url(`/api/chat/updates?conversationId=${chat}&after=${after}&wait=${wait}`));
    expect(res.status).toBe(200);
    return (await res.json()) as WebUpdatesResponse;
  }

  it('the citizen asks "cho tôi gặp cán bộ", Lan claims and replies, and the page receives it; the close brings the rating question', async () => {
    const asked = await say({ text: 'cho tôi gặp cán bộ' });
    expect(asked.length).toBeGreaterThan(0);
    const waiting = await updates(0);
    expect(waiting.handover).toEqual({ status: 'waiting', staffName: null });

    const desk = product.running.handover;
    const [ticket] = await desk.listTickets();
    expect(ticket).toMatchObject({ channel: 'web', chatId: chat, status: 'waiting' });
    const lan: StaffUser = { id: await addStaff(product.running.db, 'Lan'), username: 'lan', displayName: 'Lan', role: 'staff', telegramId: null, active: true };

    expect((await desk.claim(ticket!.id, lan)).ok).toBe(true);
    expect((await desk.reply(ticket!.id, lan, 'Chào anh/chị, tôi là Lan. Anh/chị cần hỗ trợ thủ tục nào ạ?', 'console:e2e-1')).ok).toBe(true);
    const withLan = await updates(waiting.cursor, 5);
    expect(withLan.handover).toEqual({ status: 'with_staff', staffName: 'Lan' });
    const staff = withLan.messages.filter((m) => m.kind === 'staff');
    expect(staff.map((m) => m.message.text)).toEqual(['Cán bộ Lan:\nChào anh/chị, tôi là Lan. Anh/chị cần hỗ trợ thủ tục nào ạ?']);
    // Fetched is delivered: nothing of this conversation is left pending for the engine.
    const pending = await product.running.db.query(`SELECT id FROM outbound_messages WHERE conversation_id = $1 AND status = 'pending'`, [`web:${chat}`]);
    expect(pending).toEqual([]);

    expect((await desk.close(ticket!.id, lan, 'resolved')).ok).toBe(true);
    const closed = await updates(withLan.cursor, 5);
    expect(closed.handover).toEqual({ status: null, staffName: null });
    const question = closed.messages.find((m) => m.message.choices?.some((c) => c.id === 'rate:5'));
    expect(question?.kind).toBe('system');
    expect(question!.message.choices!.map((c) => c.label)).toEqual(['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']);

    // The page sends the button's choice back as any other; the rating is stored for Lan's ticket.
    await say({ choice: 'rate:5' });
    const ratings = await product.running.db.query<{ level: number; staff: string | null; ticket_id: string | null }>(
      `SELECT level, staff, ticket_id FROM ratings WHERE conversation_id = $1`,
      [`web:${chat}`],
    );
    expect(ratings.map((r) => [r.level, r.staff, Number(r.ticket_id)])).toEqual([[5, 'Lan', ticket!.id]]);
  });
});
