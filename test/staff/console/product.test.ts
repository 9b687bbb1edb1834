import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/domain/staff.ts';
import { SESSION_COOKIE } from '../../../src/server/auth/plugin.ts';
import { Accounts, CLI_ACTOR } from '../../../src/services/accounts/accounts.ts';
import { type Product, startProduct } from '../../helpers/product.ts';

/**
 * The console's API through the whole product (`npm start` as it runs, over real HTTP): a citizen on the web chat
 * asks for a person, the ticket is in the console's queue, a staff member claims it and replies, the citizen's web
 * chat receives the reply from `GET /api/chat/updates`, and closing it as resolved brings the rating question.
 */

const PASSWORD = 'mat-khau-du-dai-123';
let product: Product;

beforeAll(async () => {
  product = await startProduct();
  await new Accounts(product.running.db).add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff', password: PASSWORD }, CLI_ACTOR);
}, 120_000);

afterAll(async () => {
  await product?.close();
});

describe('the console in the running product', () => {
  it('a web citizen asks for a person; staff claim, reply (the citizen receives it) and close as resolved', async () => {
    const conversationId = `conv-console-${Date.now()}`;
    const chat = await fetch(product.url('/api/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, messageId: `msg-${Date.now()}`, seq: 1, text: 'cho tôi gặp cán bộ' }),
    });
    expect(chat.status).toBe(200);

    const login = await fetch(product.url('/api/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lan', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const staff = (path: string, body?: unknown) =>
      fetch(product.url(path), body === undefined ? { headers: { cookie } } : { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });

    const queue = (await (await staff('/api/staff/tickets?status=waiting')).json()) as { tickets: Ticket[] };
    const ticket = queue.tickets.find((t) => t.chatId === conversationId);
    expect(ticket).toMatchObject({ channel: 'web', status: 'waiting' });

    expect((await staff(`/api/staff/tickets/${ticket!.id}/claim`, {})).status).toBe(200);
    const text = 'Chào anh, em là Lan ở bộ phận một cửa. Anh cần hỏi thủ tục gì ạ?';
    expect((await staff(`/api/staff/tickets/${ticket!.id}/reply`, { text, messageId: 'console-product-1' })).status).toBe(200);

    const updates = async () => {
      const res = await fetch(product.url(`/api/chat/updates?conversationId=${conversationId}&after=0`));
      const body = (await res.json()) as { messages?: Array<{ message: { text: string } }> };
      return (body.messages ?? []).map((m) => m.message.text).join('\n');
    };
    await expect.poll(updates).toContain(text);

    const closed = await staff(`/api/staff/tickets/${ticket!.id}/close`, { endStatus: 'resolved' });
    expect(closed.status).toBe(200);
    await expect.poll(updates).toMatch(/Rất hài lòng|hài lòng/);
  });
});
