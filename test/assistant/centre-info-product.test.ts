import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, startProduct, type Product, webChat } from '../helpers/product.ts';

/**
 * The tester's questions on the web chat of the running product: before the commune profile has a hotline and
 * hours the bot says it does not know them; once an admin saves them in the console, the next question is answered
 * with them, with no restart.
 */
describe('questions about the centre on the web chat', () => {
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

  const ask = async (text: string) => (await webChat(p, `centre-product-${++n}-0000`, { text })).messages.map((m) => m.text).join('\n');

  it('unknown, then answered from the profile an admin saved', async () => {
    const before = await ask('số điện thoại đường dây nóng');
    expect(before).toContain('Tôi không biết số điện thoại của Trung tâm');
    expect(before).not.toContain('chỉ hỗ trợ về thủ tục');

    const current = (await (await fetch(p.url('/api/admin/profile'), { headers: auth })).json()) as { profile: Record<string, unknown> };
    const centre = { ...(current.profile.centre as object), hotline: '0200 000 111' };
    const weekly = { mon: '07:30-17:00', tue: '07:30-17:00', wed: '07:30-17:00', thu: '07:30-17:00', fri: '07:30-17:00', sat: '07:30-11:30', sun: null };
    const put = await fetch(p.url('/api/admin/profile'), {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...current.profile, centre, hours: { weekly, lunchBreak: '11:30-13:30', holidays: [] } }),
    });
    expect(put.status).toBe(200);

    expect(await ask('số điện thoại đường dây nóng')).toContain('Điện thoại: 0200 000 111');
    const saturday = await ask('thứ bảy trung tâm có làm việc không');
    expect(saturday).toContain('Thứ Bảy: 7:30–11:30');
    expect(saturday).not.toContain('chỉ hỗ trợ về thủ tục');
    expect(await ask('giờ làm việc của trung tâm')).toContain('Giờ làm việc: thứ Hai–thứ Sáu 7:30–17:00; thứ Bảy 7:30–11:30; Chủ nhật nghỉ');
  });
});
