import { describe, expect, it } from 'vitest';
import {
  KEYBOARD_ONLY_TEXT,
  photoSource,
  renderReply,
  TELEGRAM_CALLBACK_DATA_MAX_BYTES,
  TELEGRAM_TEXT_LIMIT,
} from '../../../src/channels/telegram/render.ts';

const sentence = 'Công dân nộp hồ sơ tại Bộ phận Một cửa của Ủy ban nhân dân xã trong giờ hành chính. ';

describe('renderReply', () => {
  it('short text → one sendMessage, plain text (no parse_mode), no keyboard', () => {
    const { ops, problems } = renderReply({ text: 'Lệ phí: *miễn* phí_ [xem] `mẫu`' });
    expect(ops).toEqual([{ method: 'sendMessage', text: 'Lệ phí: *miễn* phí_ [xem] `mẫu`' }]);
    expect(problems).toEqual([]);
    expect(JSON.stringify(ops)).not.toContain('parse_mode');
  });

  it('long text is split at 4,096 at sentence boundaries; the keyboard goes on the last part only', () => {
    const text = sentence.repeat(120).trim(); // ≈ 10,000 characters
    const { ops } = renderReply({ text, choices: [{ id: 'proc:1', label: 'Đăng ký khai sinh' }, { id: 'proc:2', label: 'Đăng ký kết hôn' }] });
    expect(ops.length).toBe(3);
    for (const op of ops) {
      expect(op.method).toBe('sendMessage');
      expect(op.method === 'sendMessage' && op.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      if (op.method === 'sendMessage') expect(op.text.endsWith('giờ hành chính.')).toBe(true);
    }
    expect(ops.slice(0, -1).every((o) => o.reply_markup === undefined)).toBe(true);
    expect(ops.at(-1)!.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Đăng ký khai sinh', callback_data: 'proc:1' }], [{ text: 'Đăng ký kết hôn', callback_data: 'proc:2' }]],
    });
    // Nothing lost but whitespace at the cuts.
    const joined = ops.map((o) => (o.method === 'sendMessage' ? o.text : '')).join(' ');
    expect(joined.replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('exactly 4,096 characters stays one message; 4,097 becomes two', () => {
    expect(renderReply({ text: 'a'.repeat(4096) }).ops).toHaveLength(1);
    expect(renderReply({ text: 'a'.repeat(4097) }).ops).toHaveLength(2);
  });

  it('callback_data over 64 bytes is dropped (not truncated) and reported; 64 bytes fits', () => {
    const fits = 'x'.repeat(TELEGRAM_CALLBACK_DATA_MAX_BYTES);
    const tooLong = 'thủ-tục-'.repeat(7).slice(0, 60); // ≤ 60 characters but > 64 UTF-8 bytes
    expect(tooLong.length).toBeLessThanOrEqual(60);
    expect(Buffer.byteLength(tooLong)).toBeGreaterThan(64);
    const { ops, problems } = renderReply({
      text: 'Chọn thủ tục:',
      choices: [
        { id: fits, label: 'Vừa đủ' },
        { id: tooLong, label: 'Quá dài' },
      ],
    });
    expect(ops[0]!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Vừa đủ', callback_data: fits }]] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/choice dropped/);
  });

  it('link → URL button under the choices; a non-http link is appended to the text', () => {
    const { ops } = renderReply({
      text: 'Nộp trực tuyến:',
      choices: [{ id: 'a', label: 'Giấy tờ cần có' }],
      link: { url: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193', label: 'Cổng Dịch vụ công' },
    });
    expect(ops[0]!.reply_markup!.inline_keyboard).toEqual([
      [{ text: 'Giấy tờ cần có', callback_data: 'a' }],
      [{ text: 'Cổng Dịch vụ công', url: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193' }],
    ]);
    const mail = renderReply({ text: 'Gửi thư:', link: { url: 'mailto:motcua@xa.gov.vn', label: 'Email' } });
    expect(mail.ops).toEqual([{ method: 'sendMessage', text: 'Gửi thư:\n\nEmail: mailto:motcua@xa.gov.vn' }]);
  });

  it('image → sendPhoto after the text with the alt text as caption, carrying the keyboard', () => {
    const { ops } = renderReply({
      text: 'Quét mã để nộp lệ phí.',
      choices: [{ id: 'done', label: 'Đã chuyển khoản' }],
      image: { url: 'https://img.vietqr.io/image/970415-113366668888-compact.png', alt: 'Mã VietQR nộp lệ phí 50.000 đồng' },
    });
    expect(ops).toHaveLength(2);
    expect(ops[0]).toEqual({ method: 'sendMessage', text: 'Quét mã để nộp lệ phí.' });
    expect(ops[1]).toMatchObject({
      method: 'sendPhoto',
      photo: { kind: 'url', url: 'https://img.vietqr.io/image/970415-113366668888-compact.png' },
      caption: 'Mã VietQR nộp lệ phí 50.000 đồng',
      reply_markup: { inline_keyboard: [[{ text: 'Đã chuyển khoản', callback_data: 'done' }]] },
    });
  });

  it('a data: URL image is uploaded; anything else is dropped and reported', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64');
    expect(photoSource(`data:image/png;base64,${png}`)).toMatchObject({ kind: 'bytes', filename: 'image.png' });
    const { ops, problems } = renderReply({ text: 'QR:', image: { url: '/tmp/qr.png', alt: 'QR' } });
    expect(ops).toEqual([{ method: 'sendMessage', text: 'QR:' }]);
    expect(problems[0]).toMatch(/image dropped/);
  });

  it('whitespace-only text with buttons still sends a message to hang the keyboard on', () => {
    const { ops } = renderReply({ text: '  ', choices: [{ id: 'a', label: 'A' }] });
    expect(ops).toEqual([{ method: 'sendMessage', text: KEYBOARD_ONLY_TEXT, reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } }]);
  });

  it('at most 100 buttons, the link kept', () => {
    const choices = Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, label: `Mục ${i}` }));
    const { ops, problems } = renderReply({ text: 'Danh sách', choices, link: { url: 'https://xa.gov.vn', label: 'Trang xã' } });
    const rows = ops[0]!.reply_markup!.inline_keyboard;
    expect(rows).toHaveLength(100);
    expect(rows.at(-1)).toEqual([{ text: 'Trang xã', url: 'https://xa.gov.vn' }]);
    expect(problems).toHaveLength(21);
  });
});
