import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app/server.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { type FakeTelegram, textUpdate } from '../fakes/telegram-server.ts';
import { type RestartableProduct, restartableProduct, TG_SECRET } from '../helpers/product.ts';

/**
 * A restart in the middle of a handover: the ticket, its owner and the conversation's flow are in the database, so
 * a new process carries on — the citizen's words still go to staff (and the bot stays silent), a staff reply
 * reaches them, and closing asks the rating.
 */
describe('handover across a restart', () => {
  let product: RestartableProduct;
  let telegram: FakeTelegram;

  beforeAll(async () => {
    product = await restartableProduct('restart-');
    telegram = product.telegram;
  });
  afterAll(async () => {
    await product?.close();
  });

  const start = () => product.start();
  const texts = () => product.texts(801);
  const say = async (app: RunningApp, text: string) => {
    const u = telegram.pushUpdate(textUpdate(text, { chatId: 801 }));
    expect((await telegram.postWebhook(new URL('/webhooks/telegram', app.url).toString(), u, TG_SECRET)).status).toBe(200);
  };

  it('the ticket, its owner and the silence survive the restart; relays and the rating go on', async () => {
    const first = await start();
    const lan = await new Accounts(first.db).add({ username: 'lan', role: 'staff', password: 'mat-khau-dai-1', displayName: 'Lan' }, CLI_ACTOR);
    await say(first, 'cho tôi gặp cán bộ');
    await telegram.waitFor(() => texts().some((t) => t.includes('vị trí số 1')));
    const [ticket] = await first.handover.listTickets();
    await first.handover.claim(ticket!.id, lan);
    await telegram.waitFor(() => texts().some((t) => t.includes('Cán bộ Lan đã nhận')));
    await product.stop();

    const second = await start();
    const sentBefore = texts().length;
    await say(second, 'đăng ký khai sinh cần giấy tờ gì');
    const logged = async () => (await second.handover.ticketEvents(ticket!.id)).some((e) => e.text === 'đăng ký khai sinh cần giấy tờ gì');
    for (let i = 0; i < 400 && !(await logged()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await logged()).toBe(true);
    await second.engine.stop();
    expect(texts()).toHaveLength(sentBefore); // no bot answer while Lan owns the conversation
    second.engine.startRecovery();

    expect((await second.handover.reply(ticket!.id, lan, 'Bạn cần giấy chứng sinh và CCCD của cha mẹ.', 'console:r1')).ok).toBe(true);
    await telegram.waitFor(() => texts().some((t) => t === 'Cán bộ Lan:\nBạn cần giấy chứng sinh và CCCD của cha mẹ.'));
    await second.handover.close(ticket!.id, lan, 'resolved');
    await telegram.waitFor(() => texts().some((t) => t.includes('Bạn có hài lòng với sự hỗ trợ lần này không?')));
    const rating = telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '801').at(-1)!;
    expect(JSON.stringify(rating.payload.reply_markup)).toContain('rate:5');
  });
});
