import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, adminHeaders, startProduct, type Product, webChat, type WebChatReply } from '../helpers/product.ts';

const KHAI_SINH = '1.001193';
const EVENT = { id: 'them-chau', name: 'Có thêm cháu', phrases: ['có thêm cháu', 'thêm cháu nội'], codes: [KHAI_SINH], answersAlone: true };

type Reply = WebChatReply;

/**
 * Life events and router phrases edited through the running product (needs the wiring in startApp): what an admin
 * saves is read by the next web-chat message, by the /menu of life events and by the router; a reset undoes it.
 */
describe('language data in the running product', () => {
  let p: Product;
  let auth: Record<string, string>;
  let n = 0;

  beforeAll(async () => {
    p = await startProduct();
    auth = await adminHeaders(p);
  }, 180_000);
  afterAll(async () => {
    await p?.close();
  });

  const chat = (body: { text?: string; choice?: string }, conversation = `lang-product-${++n}-0000`) => webChat(p, conversation, body);
  const text = (r: Reply) => r.messages.map((m) => m.text).join('\n\n');
  const choices = (r: Reply) => r.messages.flatMap((m) => m.choices ?? []);
  const admin = (method: 'GET' | 'POST' | 'PUT', path: string, body?: object) => adminCall(p, auth, method, path, body);

  it('a saved life event answers the next citizen and is offered in /menu; a reset takes it away', async () => {
    const question = 'nhà tôi vừa có thêm cháu nội';
    expect(text(await chat({ text: question }))).not.toContain(`(mã ${KHAI_SINH})`);
    expect(choices(await chat({ text: '/menu' })).map((c) => c.label)).not.toContain('Có thêm cháu');

    const file = await admin('GET', '/api/admin/language/life-events');
    const saved = await admin('PUT', '/api/admin/language/life-events', { data: { lifeEvents: [EVENT, ...file.json.data.lifeEvents] }, expected_revision: file.json.revision?.id ?? null });
    expect(saved.status).toBe(200);

    expect(text(await chat({ text: question }))).toContain(`(mã ${KHAI_SINH})`);
    const menu = choices(await chat({ text: '/menu' }));
    const offered = menu.find((c) => c.label === 'Có thêm cháu');
    expect(offered).toBeDefined();
    const picked = await chat({ choice: offered!.id });
    expect(text(picked)).toMatch(/^Có thêm cháu: /);
    expect(choices(picked).map((c) => c.label).join(' ')).toMatch(/khai sinh/i);

    expect((await admin('POST', '/api/admin/language/life-events/reset')).status).toBe(200);
    expect(text(await chat({ text: question }))).not.toContain(`(mã ${KHAI_SINH})`);
    expect(choices(await chat({ text: '/menu' })).map((c) => c.label)).not.toContain('Có thêm cháu');
  });

  it('a router phrase saved in the console hands the next citizen to staff', async () => {
    const question = 'goi giup toi nguoi truc ban';
    const before = text(await chat({ text: question }));
    expect(before).not.toMatch(/cán bộ/i);
    const file = await admin('GET', '/api/admin/language/router-rules');
    const data = file.json.data;
    data.human.phrases.push('nguoi truc ban');
    expect((await admin('PUT', '/api/admin/language/router-rules', { data, expected_revision: file.json.revision?.id ?? null })).status).toBe(200);
    expect(text(await chat({ text: question }))).toMatch(/cán bộ/i);
  });
});
