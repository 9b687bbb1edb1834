import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../src/app/server.ts';
import { loadConfig } from '../../src/config.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { type FakeTelegram, startFakeTelegram, textUpdate } from '../fakes/telegram-server.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { serverDatabaseForApp } from '../helpers/db.ts';
import { TG_SECRET } from '../helpers/product.ts';

/**
 * A restart in the middle of a handover: the ticket, its owner and the conversation's flow are in the database, so
 * a new process carries on — the citizen's words still go to staff (and the bot stays silent), a staff reply
 * reaches them, and closing asks the rating.
 */
describe('handover across a restart', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restart-'));
  let telegram: FakeTelegram;
  let db: Awaited<ReturnType<typeof serverDatabaseForApp>>;
  let config: ReturnType<typeof loadConfig>;
  let running: RunningApp | null = null;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    db = await serverDatabaseForApp();
    config = loadConfig({
      KNOWLEDGE_DIR: SMALL_KB,
      DATA_DIR: path.join(work, 'data'),
      DATABASE_URL: db.url ?? '',
      PORT: '0',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    });
  });
  afterAll(async () => {
    await running?.close();
    await telegram?.close();
    await db?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const start = async () => {
    running = await startApp(config, { logger: pino({ level: 'silent' }) });
    await running.ready;
    return running;
  };
  const texts = () => telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '801').map((c) => String(c.payload.text));
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
    await first.close();
    running = null;

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
