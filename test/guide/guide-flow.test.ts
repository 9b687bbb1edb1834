import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalChecklist, renderChecklist } from '../../src/services/guide/index.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { zaloTextUpdate } from '../fakes/zalo-server.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { type Product, startProduct } from '../helpers/product.ts';

/**
 * The guided submission through the whole product: an answer offers "Hướng dẫn nộp hồ sơ"; the guide asks the
 * case questions, shows the checklist for the answers, the way to submit, takes the dossier code and shows how to
 * pay; questions asked meanwhile are answered without losing its place; it resumes after days, after asking.
 */
type Msg = { text: string; choices?: { id: string; label: string }[]; image?: { url: string } };

describe('the guided submission end to end', () => {
  const knowledge = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-guide-'));
  let p: Product;
  let now = new Date('2026-12-01T09:00:00+07:00');

  beforeAll(async () => {
    for (const f of fs.readdirSync(SMALL_KB)) fs.copyFileSync(path.join(SMALL_KB, f), path.join(knowledge, f));
    // a test commune with a fee account (a fixture, not a real account)
    fs.writeFileSync(
      path.join(knowledge, 'commune-profile.json'),
      JSON.stringify({ feeAccount: { bankBin: '970436', accountNumber: '0011001234567', accountName: 'UBND XA THU NGHIEM' } }),
    );
    p = await startProduct({ KNOWLEDGE_DIR: knowledge }, { now: () => now });
  });
  afterAll(async () => {
    await p?.close();
    fs.rmSync(knowledge, { recursive: true, force: true });
  });

  let seq = 0;
  const web = async (conversationId: string, body: Record<string, unknown>): Promise<Msg[]> => {
    const res = await fetch(p.url('/api/chat'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId, messageId: `g${++seq}x${Date.now()}`, seq, ...body }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: Msg[] }).messages;
  };
  const choice = (m: Msg[], labelStart: string) => m.flatMap((x) => x.choices ?? []).find((c) => c.label.startsWith(labelStart))!;
  const all = (m: Msg[]) => m.map((x) => x.text).join('\n');
  const steps = async (conversationId: string) =>
    (await p.running.db.query<{ step: string }>(`SELECT step FROM guide_events WHERE conversation_id = $1 ORDER BY id`, [conversationId])).map((r) => r.step);

  it('khai sinh: offered with the answer; the questions, the checklist for the answers, online steps, the code; free, so no payment', async () => {
    const answer = await web('guidecitizen01', { text: 'đăng ký khai sinh cần giấy tờ gì' });
    const start = choice(answer, 'Hướng dẫn nộp');
    expect(start.id).toBe('guide:start:1.001193');

    let r = await web('guidecitizen01', { choice: start.id });
    expect(r[0]!.text).toContain('Hướng dẫn nộp hồ sơ: Thủ tục đăng ký khai sinh (mã 1.001193)');
    expect(r.at(-1)!.text).toMatch(/^1\/\d\. /);
    expect(r.at(-1)!.choices!.map((c) => c.label)).toEqual(['Có', 'Không', 'Không rõ', 'Hủy']);

    // a question meanwhile is answered, and the guide keeps its place
    const aside = await web('guidecitizen01', { text: 'lệ phí bao nhiêu' });
    expect(all(aside)).toContain('Miễn phí');
    expect(aside.at(-1)!.text).toContain('Bạn đang được hướng dẫn nộp hồ sơ');
    r = await web('guidecitizen01', { choice: choice(aside, 'Tiếp tục').id });
    expect(r.at(-1)!.text).toMatch(/^1\/\d\. /);

    // "Không" to every question, typed or pressed: the checklist is the record's own items for those answers
    const answers: Record<string, 'yes' | 'no' | 'unknown'> = {};
    for (let i = 0; i < 6 && /^\d\/\d\. /.test(r.at(-1)!.text); i++) {
      const no = choice([r.at(-1)!], 'Không');
      const [, caseId, value] = /^guide:a:([^:]+):(yes|no|unknown)$/.exec(no.id)!;
      answers[caseId!] = value as 'no' | 'yes';
      r = await web('guidecitizen01', { choice: no.id });
    }
    const record = (await new ProcedureStore(p.running.db).get('1.001193'))!;
    const expected = renderChecklist(personalChecklist(record, answers), 'vi').map((m) => m.text);
    expect(r.slice(0, expected.length).map((m) => m.text)).toEqual(expected);
    expect(r.at(-1)!.text).toBe('Bạn muốn nộp hồ sơ trực tuyến hay trực tiếp?');

    r = await web('guidecitizen01', { choice: 'guide:online' });
    expect(all(r)).toContain('VNeID');
    expect(all(r)).toContain('mức độ 2');
    expect(all(r)).not.toContain('toàn trình');
    r = await web('guidecitizen01', { choice: choice(r, 'Tôi đã nộp').id });
    expect(r.at(-1)!.text).toContain('Vui lòng nhập mã hồ sơ');
    r = await web('guidecitizen01', { text: 'mã của tôi là H56.14-240823-0001' });
    expect(all(r)).toContain('Đã lưu mã hồ sơ H56.14-240823-0001');
    expect(all(r)).toContain('miễn phí');
    const [dossier] = await p.running.db.query<{ submitted_via: string; payment_method: string; procedure_code: string }>(`SELECT submitted_via, payment_method, procedure_code FROM dossiers WHERE code = 'H56.14-240823-0001'`);
    expect(dossier).toEqual({ submitted_via: 'online', payment_method: 'exempt', procedure_code: '1.001193' });
    expect(await steps('web:guidecitizen01')).toEqual(['started', 'checklist', 'channel_chosen', 'submitted']);
    // the guide is over: the bot answers as usual
    expect((await web('guidecitizen01', { text: 'đăng ký kết hôn cần gì' }))[0]!.text).toContain('1.000894');
  });

  it('hộ kinh doanh in person: the fee in person, a VietQR transfer (no amount: the province sets it), "Tôi đã chuyển khoản" stored', async () => {
    await web('guidecitizen02', { text: 'đăng ký hộ kinh doanh cần giấy tờ gì' });
    let r = await web('guidecitizen02', { text: '/nophoso' });
    expect(r[0]!.text).toContain('Đăng ký thành lập hộ kinh doanh');
    for (let i = 0; i < 6 && /^\d\/\d\. /.test(r.at(-1)!.text); i++) r = await web('guidecitizen02', { text: 'không rõ' });
    r = await web('guidecitizen02', { choice: 'guide:in_person' });
    expect(all(r)).toContain('50,000 VNĐ');
    expect(all(r)).toContain('chưa có địa chỉ'); // no centre address in this profile: said, never invented
    r = await web('guidecitizen02', { choice: 'guide:submitted' });
    r = await web('guidecitizen02', { text: '000.00.06.H56-231027-0361' });
    expect(choice(r, 'Chuyển khoản')).toBeTruthy();
    r = await web('guidecitizen02', { choice: 'guide:transfer' });
    const offer = r.at(-1)!;
    expect(offer.text).toContain('0011001234567');
    // the record says the province decides the exact fee: no amount in the QR, and the centre states it
    expect(offer.text).toContain('Trung tâm sẽ báo số tiền');
    expect(offer.text).toContain('không được tính là thanh toán trực tuyến');
    expect(offer.image!.url).toMatch(/^\/media\/[A-Za-z0-9_-]{32}\.png$/);
    expect((await fetch(p.url(offer.image!.url))).headers.get('content-type')).toBe('image/png');
    r = await web('guidecitizen02', { choice: 'guide:transferred' });
    const [d] = await p.running.db.query<{ payment_method: string; payment_status: string; submitted_via: string }>(`SELECT payment_method, payment_status, submitted_via FROM dossiers WHERE code = '000.00.06.H56-231027-0361'`);
    expect(d).toEqual({ payment_method: 'transfer', payment_status: 'claimed', submitted_via: 'in_person' });
    expect(await steps('web:guidecitizen02')).toEqual(['started', 'checklist', 'channel_chosen', 'submitted', 'payment', 'paid']);
  });

  it('"Tiếp tục hướng dẫn" after a question asked at the payment step shows how to pay again, not the guide from the start', async () => {
    await web('guidecitizen03', { text: 'đăng ký hộ kinh doanh cần giấy tờ gì' });
    let r = await web('guidecitizen03', { text: '/nophoso' });
    for (let i = 0; i < 6 && /^\d\/\d\. /.test(r.at(-1)!.text); i++) r = await web('guidecitizen03', { text: 'không rõ' });
    await web('guidecitizen03', { choice: 'guide:in_person' });
    await web('guidecitizen03', { choice: 'guide:submitted' });
    r = await web('guidecitizen03', { text: '000.00.06.H56-231027-0362' });
    expect(choice(r, 'Chuyển khoản')).toBeTruthy();
    r = await web('guidecitizen03', { text: 'đăng ký kết hôn cần gì' });
    expect(all(r)).toContain('1.000894');
    r = await web('guidecitizen03', { choice: 'guide:continue' });
    expect(choice(r, 'Chuyển khoản')).toBeTruthy();
    expect(all(r)).not.toContain('trực tuyến hay trực tiếp');
    expect(r.flatMap((m) => m.choices ?? []).map((c) => c.id)).not.toContain('guide:in_person');
  });

  it('/nophoso before any procedure is discussed asks which one', async () => {
    const r = await web('guidecitizen04', { text: '/nophoso' });
    expect(r[0]!.text).toBe('Bạn muốn nộp hồ sơ thủ tục nào? Hãy nhập tên thủ tục, ví dụ: đăng ký khai sinh.');
  });

  it('Telegram: kết hôn (no case to ask: straight to the checklist) and thường trú (buttons), each checklist in the records’ words', async () => {
    const { textUpdate, callbackUpdate } = await import('../fakes/telegram-server.ts');
    const { TG_SECRET } = await import('../helpers/product.ts');
    const hook = p.url('/webhooks/telegram');
    const sent = () => p.telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '901');
    const send = async (u: Parameters<typeof p.telegram.pushUpdate>[0]) => {
      const before = sent().length;
      await p.telegram.postWebhook(hook, p.telegram.pushUpdate(u), TG_SECRET);
      await p.telegram.waitFor(() => sent().length > before);
      await new Promise((res) => setTimeout(res, 200));
      return sent().slice(before);
    };
    const buttons = (c: { payload: Record<string, unknown> }) =>
      ((c.payload.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard ?? []).flat();

    await send(textUpdate('đăng ký kết hôn cần giấy tờ gì', { chatId: 901 }));
    let out = await send(textUpdate('/nophoso', { chatId: 901 }));
    const marriage = (await new ProcedureStore(p.running.db).get('1.000894'))!;
    const expected = renderChecklist(personalChecklist(marriage, {}), 'vi').map((m) => m.text);
    for (const line of expected) expect(out.map((c) => String(c.payload.text))).toContain(line);
    expect(buttons(out.at(-1)!).map((b) => b.text)).toEqual(['Nộp trực tuyến', 'Nộp trực tiếp', 'Hủy']);
    await send(callbackUpdate('guide:cancel', { chatId: 901 }));

    await send(textUpdate('đăng ký thường trú cần giấy tờ gì', { chatId: 901 }));
    out = await send(textUpdate('/nophoso', { chatId: 901 }));
    const answers: Record<string, 'yes' | 'no' | 'unknown'> = {};
    for (let i = 0; i < 6 && /^\d\/\d\. /.test(String(out.at(-1)!.payload.text)); i++) {
      const pick = buttons(out.at(-1)!).find((b) => b.text === (i === 0 ? 'Có' : 'Không'))!;
      const [, caseId, value] = /^guide:a:([^:]+):(yes|no|unknown)$/.exec(pick.callback_data)!;
      answers[caseId!] = value as 'yes' | 'no';
      out = await send(callbackUpdate(pick.callback_data, { chatId: 901 }));
    }
    const residence = (await new ProcedureStore(p.running.db).get('1.004222'))!;
    const want = renderChecklist(personalChecklist(residence, answers), 'vi').map((m) => m.text);
    for (const line of want) expect(out.map((c) => String(c.payload.text))).toContain(line);
    // other answers, another list
    expect(renderChecklist(personalChecklist(residence, {}), 'vi').map((m) => m.text)).not.toEqual(want);
  });

  it('Zalo: numbers answer the questions; "hủy" stops the guide; coming back days later asks whether to continue', async () => {
    let n = 0;
    const say = async (text: string) => {
      const before = p.zaloTexts('zg1').length;
      p.zalo.pushUpdate(zaloTextUpdate(text, { chatId: 'zg1', messageId: `zg${++n}`, date: n }));
      const end = Date.now() + 15_000;
      while (p.zaloTexts('zg1').length === before && Date.now() < end) await new Promise((res) => setTimeout(res, 25));
      await new Promise((res) => setTimeout(res, 150));
      return p.zaloTexts('zg1').slice(before).join('\n');
    };
    await say('đăng ký khai sinh cho con');
    let out = await say('/nophoso');
    expect(out).toMatch(/1\/\d\. .*\n1\. Có\n2\. Không\n3\. Không rõ\n4\. Hủy/s);
    out = await say('3'); // Không rõ
    const next = /(\d\/\d\. [^\n]+)/.exec(out)?.[1];
    expect(next).toMatch(/^[2-4]\/\d\. /);

    now = new Date(now.getTime() + 3 * 86_400_000);
    out = await say('2');
    expect(out).toContain('Lần trước bạn đang được hướng dẫn nộp hồ sơ');
    out = await say('1'); // Tiếp tục
    expect(out).toContain(next!); // the same question, where it stopped
    out = await say('hủy');
    expect(out).toContain('Đã dừng hướng dẫn');
    expect(await steps('zalo:zg1')).toEqual(['started', 'cancelled']);
  });
});
