import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Product, startProduct } from '../helpers/product.ts';

/** A citizen who floods is slowed down politely, once and then every tenth message, and nothing is lost. */
describe('flood limits', () => {
  let p: Product;
  beforeAll(async () => {
    p = await startProduct();
  });
  afterAll(async () => {
    await p?.close();
  });

  const post = (conversationId: string, seq: number, text: string, ip = '127.0.0.1') =>
    fetch(p.url('/api/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ conversationId, messageId: `flood-${conversationId}-${seq}`, seq, text }),
    });

  it('one conversation over 20 messages a minute gets a slow-down notice, not answers; every message is stored', async () => {
    const answers: string[][] = [];
    for (let i = 1; i <= 32; i++) {
      const res = await post('floodconv01', i, i % 2 ? 'xin chào' : 'đăng ký khai sinh cần gì');
      expect(res.status).toBe(200);
      answers.push(((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text));
    }
    expect(answers.slice(0, 20).every((a) => a.length > 0 && !a.join().includes('quá nhanh'))).toBe(true);
    expect(answers[20]!.join()).toContain('Bạn đang gửi tin nhắn quá nhanh');
    expect(answers.slice(21, 30).every((a) => a.length === 0)).toBe(true);
    expect(answers[30]!.join()).toContain('Bạn đang gửi tin nhắn quá nhanh');
    const [stored] = await p.running.db.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_updates WHERE conversation_id = 'web:floodconv01'`);
    expect(Number(stored!.n)).toBe(32);
    // another conversation is not affected
    const other = await post('floodconv02', 1, 'xin chào');
    expect(((await other.json()) as { messages: unknown[] }).messages.length).toBeGreaterThan(0);
  });

  it('the chat endpoint limits one address to 120 requests a minute with a clear Vietnamese 429', async () => {
    let limited: Response | null = null;
    for (let i = 1; i <= 125 && !limited; i++) {
      const res = await post(`floodip${String(i).padStart(4, '0')}`, 1, '', '127.0.0.1');
      if (res.status === 429) limited = res;
    }
    expect(limited).not.toBeNull();
    expect(await limited!.json()).toMatchObject({ ok: false, code: 'too_many_requests', error: 'Bạn đang gửi quá nhanh. Vui lòng chờ một phút rồi gửi tiếp.' });
  });
});
