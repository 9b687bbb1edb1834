import { Api, GrammyError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, TelegramApiError } from '../../../src/channels/telegram/index.ts';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-server.ts';
import { captureLogger, RecordingSink } from './helpers.ts';

let fake: FakeTelegram;
let logs: ReturnType<typeof captureLogger>;

beforeEach(async () => {
  fake = await startFakeTelegram();
  logs = captureLogger();
});
afterEach(async () => {
  await fake.close();
});

function channel() {
  return createTelegramChannel(
    { token: fake.token, mode: 'polling', webhookSecret: undefined, apiRoot: fake.apiRoot },
    { sink: new RecordingSink(), logger: logs.logger, botInfo: fake.botInfo },
  );
}

describe('the fake Bot API', () => {
  it('answers like Telegram: message too long, bad callback_data, wrong token, unknown method', async () => {
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    await expect(api.sendMessage(42, 'a'.repeat(4097))).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: message is too long' });
    await expect(
      api.sendMessage(42, 'x', { reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'đ'.repeat(33) }]] } }),
    ).rejects.toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
    await expect(new Api('999:wrong', { apiRoot: fake.apiRoot }).getMe()).rejects.toMatchObject({ error_code: 401, description: 'Unauthorized' });
    await expect(api.raw.getStarTransactions({})).rejects.toMatchObject({ error_code: 404 });
    const ok = await api.sendMessage('42', 'Xin chào');
    expect(ok).toMatchObject({ chat: { id: 42 }, text: 'Xin chào' });
  });
});

describe('TelegramSender against the fake', () => {
  it('sends a plain-text message (no parse_mode) to the chat', async () => {
    const { sender } = channel();
    expect(sender.channel).toBe('telegram');
    await sender.send('42', { text: 'Lệ phí đăng ký khai sinh: *miễn phí*.' });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ method: 'sendMessage', status: 200, payload: { chat_id: '42', text: 'Lệ phí đăng ký khai sinh: *miễn phí*.' } });
    expect(fake.sent[0]!.payload).not.toHaveProperty('parse_mode');
  });

  it('a 9,000-character answer with choices: three messages the fake accepts, keyboard on the last', async () => {
    const { sender } = channel();
    const text = 'Hồ sơ gồm tờ khai theo mẫu và giấy chứng sinh. '.repeat(190);
    await sender.send('42', { text, choices: [{ id: 'proc:1.001193', label: 'Đăng ký khai sinh' }] });
    expect(fake.sent.map((c) => [c.method, c.status])).toEqual([
      ['sendMessage', 200],
      ['sendMessage', 200],
      ['sendMessage', 200],
    ]);
    expect(fake.sent.slice(0, 2).every((c) => c.payload.reply_markup === undefined)).toBe(true);
    expect(fake.sent[2]!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Đăng ký khai sinh', callback_data: 'proc:1.001193' }]] });
  });

  it('typing() sends the typing chat action', async () => {
    const { sender } = channel();
    await sender.typing!('42');
    expect(fake.sent).toMatchObject([{ method: 'sendChatAction', status: 200, payload: { chat_id: '42', action: 'typing' } }]);
  });

  it('typing() is best effort: a failure is not thrown and not retried', async () => {
    const { sender } = channel();
    fake.failNext('sendChatAction', { status: 429, retryAfter: 1 });
    await expect(sender.typing!('42')).resolves.toBeUndefined();
    expect(fake.sent.map((c) => c.status)).toEqual([429]);
  });

  it('429 with retry_after, then success: auto-retry sends it again and send() resolves', async () => {
    const { sender } = channel();
    fake.failNext('sendMessage', { status: 429, retryAfter: 1 });
    await sender.send('42', { text: 'Thử lại sau khi bị giới hạn.' });
    expect(fake.sent.map((c) => [c.method, c.status])).toEqual([
      ['sendMessage', 429],
      ['sendMessage', 200],
    ]);
  });

  it('a 500, then success: retried once', async () => {
    const { sender } = channel();
    fake.failNext('sendMessage', { status: 500 });
    await sender.send('42', { text: 'Máy chủ Telegram lỗi tạm thời.' });
    expect(fake.sent.map((c) => c.status)).toEqual([500, 200]);
  });

  it('a retry_after beyond the bound is not waited for: thrown at once as TelegramApiError 429', async () => {
    const { sender } = channel();
    fake.failNext('sendMessage', { status: 429, retryAfter: 3600 });
    const err = await sender.send('42', { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramApiError);
    expect(err).toMatchObject({ errorCode: 429, retryAfter: 3600, method: 'sendMessage' });
    expect(fake.sent).toHaveLength(1);
  });

  it('403 (bot blocked) is thrown without the token or the message text', async () => {
    const { sender } = channel();
    fake.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const err = (await sender.send('42', { text: 'Nội dung riêng tư của công dân' }).catch((e: unknown) => e)) as TelegramApiError;
    expect(err).toBeInstanceOf(TelegramApiError);
    expect(err.errorCode).toBe(403);
    expect(err.description).toBe('Forbidden: bot was blocked by the user');
    expect(JSON.stringify({ ...err, message: err.message })).not.toMatch(/Nội dung riêng tư|TEST-fake-token/);
    expect(err).not.toBeInstanceOf(GrammyError);
  });

  it('a network error (API unreachable) is thrown and logged without the token', async () => {
    const { sender } = channel();
    await fake.close();
    const err = (await sender.send('42', { text: 'x' }).catch((e: unknown) => e)) as TelegramApiError;
    expect(err).toBeInstanceOf(TelegramApiError);
    expect(err.message).toMatch(/sendMessage/);
    expect(err.message).not.toContain(fake.token);
    await sender.typing!('42'); // logs at debug
    expect(logs.text()).toContain('sendChatAction failed');
    expect(logs.text()).not.toContain(fake.token);
    fake = await startFakeTelegram(); // for afterEach
  });

  it('an image URL → sendPhoto with the alt text as caption and the keyboard', async () => {
    const { sender } = channel();
    await sender.send('42', {
      text: 'Quét mã VietQR để nộp lệ phí.',
      choices: [{ id: 'paid', label: 'Tôi đã nộp' }],
      image: { url: 'https://img.vietqr.io/image/970415-113366668888-compact.png', alt: 'Mã VietQR 50.000 đồng' },
    });
    expect(fake.sent.map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto']);
    expect(fake.sent[0]!.payload).not.toHaveProperty('reply_markup');
    expect(fake.sent[1]).toMatchObject({
      status: 200,
      payload: {
        chat_id: '42',
        photo: 'https://img.vietqr.io/image/970415-113366668888-compact.png',
        caption: 'Mã VietQR 50.000 đồng',
        reply_markup: { inline_keyboard: [[{ text: 'Tôi đã nộp', callback_data: 'paid' }]] },
      },
    });
  });

  it('a data: URL image is uploaded as multipart/form-data', async () => {
    const { sender } = channel();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await sender.send('42', { text: 'Mã QR:', image: { url: `data:image/png;base64,${png.toString('base64')}`, alt: 'QR' } });
    const photo = fake.sent[1]!;
    expect(photo).toMatchObject({ method: 'sendPhoto', status: 200, payload: { chat_id: '42', caption: 'QR' } });
    expect(photo.files.photo!.data.equals(png)).toBe(true);
    expect(photo.files.photo!.filename).toBe('image.png');
  });
});
