import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textUpdate } from '../fakes/telegram-server.ts';
import { adminCall, adminHeaders, startProduct, type Product, TG_SECRET } from '../helpers/product.ts';
import { until } from './send-helpers.ts';

const CHAT = 951;

/**
 * An announcement through the running product (needs the wiring in startApp): a Telegram citizen opts in with
 * /dangky, an admin sends one over the API, and a 429 from Telegram is handled by the announcement worker itself
 * (the delivery retried later, unclaimed meanwhile), not by the replies' auto-retry inside one claim.
 */
describe('announcements in the running product', () => {
  let p: Product;
  let auth: Record<string, string>;

  beforeAll(async () => {
    p = await startProduct();
    auth = await adminHeaders(p);
  }, 180_000);
  afterAll(async () => {
    await p?.close();
  });

  it('an opted-in Telegram citizen receives it once; a 429 is retried by the worker as a second attempt', async () => {
    const hook = p.url('/webhooks/telegram');
    expect((await p.telegram.postWebhook(hook, p.telegram.pushUpdate(textUpdate('/dangky', { chatId: CHAT })), TG_SECRET)).status).toBe(200);
    await until('opted in', async () => (await p.running.db.query(`SELECT 1 FROM subscriptions WHERE conversation_id = $1 AND subscribed`, [`telegram:${CHAT}`])).length === 1);

    const created = await adminCall(p, auth, 'POST', '/api/admin/announcements', { text: 'Thông báo thử nghiệm của Trung tâm.', channels: ['telegram'] });
    expect(created.status).toBe(201);
    p.telegram.failNext('sendMessage', { status: 429, retryAfter: 1 });
    expect((await adminCall(p, auth, 'POST', `/api/admin/announcements/${created.json.id}/send`)).status).toBe(202);
    await until('sent', async () => (await adminCall(p, auth, 'GET', `/api/admin/announcements/${created.json.id}`)).json.status === 'sent');

    const calls = p.telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(CHAT) && String(c.payload.text).includes('Thông báo thử nghiệm'));
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    const [d] = await p.running.db.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM deliveries WHERE announcement_id = $1`, [created.json.id]);
    expect(d).toEqual({ status: 'sent', attempts: 2 });
  }, 60_000);
});
