import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, TELEGRAM_BOT_COMMANDS } from '../../../src/channels/telegram/index.ts';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-server.ts';
import { captureLogger, RecordingSink } from './helpers.ts';

const SECRET = 'webhook_Secret-0123456789abcdef';
let fake: FakeTelegram;
let logs: ReturnType<typeof captureLogger>;

beforeEach(async () => {
  fake = await startFakeTelegram();
  logs = captureLogger();
});
afterEach(async () => {
  await fake.close();
  expect(logs.text()).not.toContain(fake.token);
});

const webhookChannel = (publicUrl?: string) =>
  createTelegramChannel(
    { token: fake.token, mode: 'webhook', webhookSecret: SECRET, apiRoot: fake.apiRoot },
    { sink: new RecordingSink(), logger: logs.logger, botInfo: fake.botInfo, ...(publicUrl ? { publicUrl } : {}) },
  );

describe('start()', () => {
  it('registers the command menu with the Vietnamese descriptions', async () => {
    const channel = createTelegramChannel(
      { token: fake.token, mode: 'polling', webhookSecret: undefined, apiRoot: fake.apiRoot },
      { sink: new RecordingSink(), logger: logs.logger, botInfo: fake.botInfo },
    );
    await channel.start();
    await channel.stop();
    expect(fake.commands).toEqual([
      { command: 'start', description: 'Bắt đầu, giới thiệu trợ lý' },
      { command: 'help', description: 'Hướng dẫn sử dụng' },
      { command: 'menu', description: 'Các thủ tục thường gặp' },
      { command: 'lienhe', description: 'Liên hệ Trung tâm Phục vụ hành chính công' },
      { command: 'canbo', description: 'Gặp cán bộ Trung tâm' },
      { command: 'nophoso', description: 'Hướng dẫn nộp hồ sơ (trực tuyến hoặc trực tiếp)' },
      { command: 'bot', description: 'Quay lại trợ lý ảo (khi đang chờ hoặc nói chuyện với cán bộ)' },
      { command: 'dangky', description: 'Đăng ký nhận thông báo của Trung tâm' },
      { command: 'huy', description: 'Hủy nhận thông báo' },
    ]);
    expect(TELEGRAM_BOT_COMMANDS.map((c) => c.command)).toEqual(['start', 'help', 'menu', 'lienhe', 'canbo', 'nophoso', 'bot', 'dangky', 'huy']);
  });

  it('webhook mode with a public URL: setMyCommands, then setWebhook with the secret and allowed updates', async () => {
    await webhookChannel('https://troly.xa.gov.vn/').start();
    expect(fake.sent.map((c) => c.method)).toEqual(['setMyCommands', 'setWebhook']);
    expect(fake.webhook).toEqual({
      url: 'https://troly.xa.gov.vn/webhooks/telegram',
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query'],
    });
    expect(logs.text()).not.toContain(SECRET);
  });

  it('webhook mode without a public URL: no setWebhook, a warning instead', async () => {
    await webhookChannel().start();
    expect(fake.sent.map((c) => c.method)).toEqual(['setMyCommands']);
    expect(fake.webhook).toBeNull();
    expect(logs.text()).toContain('setWebhook not called');
  });

  it('a rejected setWebhook (not https) fails start() without the token in the message', async () => {
    const err = (await webhookChannel('http://troly.xa.gov.vn').start().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/setWebhook\(http:\/\/troly\.xa\.gov\.vn\/webhooks\/telegram\) failed: .*HTTPS URL must be provided/);
    expect(err.message).not.toContain(fake.token);
  });

  it('a failing setMyCommands is logged and does not stop the start', async () => {
    fake.failNext('setMyCommands', { status: 400, description: 'Bad Request: BOT_COMMAND_INVALID' });
    await webhookChannel('https://troly.xa.gov.vn').start();
    expect(logs.text()).toContain('setMyCommands failed');
    expect(fake.webhook?.url).toBe('https://troly.xa.gov.vn/webhooks/telegram');
  });
});
