import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, startProduct, type Product, webChat } from '../helpers/product.ts';

const CCCD = '1.014064';

/**
 * The overrides through the running product: an admin signs in over HTTP and changes a procedure in the admin API;
 * a citizen asks on the web chat before and after.
 */
describe('local overrides in the running product', () => {
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

  /** The web chat's answer to `text` in a new conversation: its messages' texts and choice ids. */
  async function ask(text: string): Promise<string> {
    const { messages } = await webChat(p, `admin-product-${++n}-0000`, { text });
    return messages.map((m) => [m.text, ...(m.choices ?? []).map((c) => `${c.id} ${c.label}`)].join('\n')).join('\n\n');
  }

  async function override(method: 'PUT' | 'DELETE', body?: object): Promise<number> {
    const r = await fetch(p.url(`/api/admin/procedures/${CCCD}/override`), {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    await r.body?.cancel();
    return r.status;
  }

  it('an excluded procedure is no longer offered on the web chat, and is again once the override is removed', async () => {
    expect(await ask('làm lại thẻ căn cước')).toContain(`(mã ${CCCD})`);
    expect(await override('PUT', { excluded: true })).toBe(200);
    const after = await ask('làm lại thẻ căn cước');
    expect(after).not.toContain(CCCD);
    expect(after.length).toBeGreaterThan(0);
    // the procedure is in the national listing: the reply must not say it is not
    expect(after).not.toMatch(/không tìm thấy thủ tục này trong danh mục/);
    expect(await override('DELETE')).toBe(200);
    expect(await ask('làm lại thẻ căn cước')).toContain(`(mã ${CCCD})`);
  });

  it('a button offered before an exclusion does not open the excluded procedure', async () => {
    const conversationId = `admin-product-stale-${++n}-0000`;
    const chat = (body: { text?: string; choice?: string }) => webChat(p, conversationId, body);
    // the answer about a procedure offers its aspects as buttons ("Lệ phí" → aspect:fee, about that procedure)
    const first = await chat({ text: 'kết hôn' });
    const code = '1.000894';
    expect(first.messages.map((m) => m.text).join('\n')).toContain(`(mã ${code})`);
    const offered = first.messages.flatMap((m) => m.choices ?? []).find((c) => c.id === 'aspect:fee');
    expect(offered, 'the answer offers its fee').toBeDefined();
    const set = async (method: 'PUT' | 'DELETE') => {
      const r = await fetch(p.url(`/api/admin/procedures/${code}/override`), {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(method === 'PUT' ? { excluded: true } : {}),
      });
      await r.body?.cancel();
      return r.status;
    };
    expect(await set('PUT')).toBe(200);
    const pressed = await chat({ choice: offered!.id });
    expect(pressed.messages.map((m) => m.text).join('\n')).not.toContain(`(mã ${code})`);
    expect(await set('DELETE')).toBe(200);
    expect((await chat({ choice: offered!.id })).messages.map((m) => m.text).join('\n')).toContain(`(mã ${code})`);
  });

  it('the local note is shown with answers about that procedure, before the official source', async () => {
    expect(await override('PUT', { localNote: 'Nộp tại quầy số 3; chụp ảnh tại chỗ.' })).toBe(200);
    const answer = await ask('làm lại thẻ căn cước cần giấy tờ gì');
    expect(answer).toMatch(/\nGhi chú của Trung tâm: Nộp tại quầy số 3; chụp ảnh tại chỗ\.\nNguồn chính thức: https:\/\//);
    expect(await ask('đăng ký tạm trú cần giấy tờ gì')).not.toContain('Ghi chú của Trung tâm');
    expect(await override('DELETE')).toBe(200);
  });

  it('a profile saved in the console applies at once, with no restart: the contact and the handover read it', async () => {
    expect(await ask('/lienhe')).not.toContain('Số 1 đường Thử Nghiệm');
    const current = (await (await fetch(p.url('/api/admin/profile'), { headers: auth })).json()) as { profile: Record<string, unknown> };
    const centre = { ...(current.profile.centre as object), address: 'Số 1 đường Thử Nghiệm, xã Thử Nghiệm' };
    const put = await fetch(p.url('/api/admin/profile'), {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...current.profile, centre }),
    });
    expect(put.status).toBe(200);
    expect(await ask('/lienhe')).toContain('Số 1 đường Thử Nghiệm');
  });

  it('the product sends helmet’s headers and keeps the pages’ own CSP', async () => {
    for (const path of ['/', '/console', '/console/admin']) {
      const r = await fetch(p.url(path));
      await r.body?.cancel();
      expect(r.headers.get('content-security-policy'), path).toMatch(/^default-src 'none'; script-src 'sha256-/);
      expect(r.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(r.headers.get('strict-transport-security'), path).toBeNull();
    }
  });
});
