import { describe, expect, it } from 'vitest';
import { choiceHint, listsChoices, renderZaloMessage, ZALO_TEXT_LIMIT } from '../../../src/channels/zalo/render.ts';

const texts = (m: Parameters<typeof renderZaloMessage>[0]) =>
  renderZaloMessage(m).flatMap((o) => (o.type === 'text' ? [o.text] : []));

const CHOICES = [
  { id: 'proc:1.001193', label: 'Đăng ký khai sinh' },
  { id: 'proc:1.001022', label: 'Đăng ký khai sinh có yếu tố nước ngoài' },
  { id: 'proc:2.000986', label: 'Đăng ký lại khai sinh' },
];

describe('renderZaloMessage', () => {
  it('sends a short text as one message', () => {
    expect(renderZaloMessage({ text: 'Xin chào!' })).toEqual([{ type: 'text', text: 'Xin chào!' }]);
  });

  it('splits long text into parts of at most 2,000 characters at sentence boundaries, losing nothing', () => {
    const sentence = 'Hồ sơ gồm tờ khai đăng ký khai sinh theo mẫu và giấy chứng sinh bản chính. ';
    const text = sentence.repeat(80).trim();
    const parts = texts({ text });
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('renders choices as numbered lines ending with the Vietnamese reply hint', () => {
    expect(texts({ text: 'Bạn muốn hỏi thủ tục nào?', choices: CHOICES })).toEqual([
      'Bạn muốn hỏi thủ tục nào?\n1. Đăng ký khai sinh\n2. Đăng ký khai sinh có yếu tố nước ngoài\n3. Đăng ký lại khai sinh\nTrả lời 1, 2 hoặc 3.',
    ]);
    expect(texts({ text: 'Chọn một:', choices: CHOICES.slice(0, 2) })[0]).toMatch(/\n2\. .+\nTrả lời 1 hoặc 2\.$/);
    expect(choiceHint(1)).toBe('Trả lời 1.');
    expect(choiceHint(4)).toBe('Trả lời 1, 2, 3 hoặc 4.');
  });

  it('does not number twice when the text already lists the choices (the assistant clarify reply)', () => {
    const clarify = [
      'Bạn muốn hỏi trường hợp nào?',
      '1. Đăng ký khai sinh',
      '2. Đăng ký khai sinh có yếu tố nước ngoài',
      '3. Đăng ký lại khai sinh',
      'Trả lời 1, 2 hoặc 3.',
    ].join('\n');
    expect(texts({ text: clarify, choices: CHOICES })).toEqual([clarify]);
    // English clarify: listed and hinted already.
    const en = 'Which case do you mean?\n1. Đăng ký khai sinh\n2. Đăng ký khai sinh có yếu tố nước ngoài\n3. Đăng ký lại khai sinh\nReply 1, 2 or 3.';
    expect(texts({ text: en, choices: CHOICES })).toEqual([en]);
  });

  it('adds only the hint when the list is there without one', () => {
    const listed = 'Bạn muốn hỏi trường hợp nào?\n1. Đăng ký khai sinh\n2. Đăng ký lại khai sinh';
    const out = texts({ text: listed, choices: [CHOICES[0]!, CHOICES[2]!] });
    expect(out).toEqual([`${listed}\nTrả lời 1 hoặc 2.`]);
  });

  it('numbers the choices when the text has an unrelated numbered list (steps)', () => {
    const steps = 'Các bước:\n1. Nộp hồ sơ\n2. Nhận kết quả';
    const out = texts({ text: steps, choices: CHOICES.slice(0, 2) })[0]!;
    expect(out).toContain('1. Đăng ký khai sinh\n2. Đăng ký khai sinh có yếu tố nước ngoài\nTrả lời 1 hoặc 2.');
    expect(listsChoices(steps, CHOICES.slice(0, 2))).toBe(false);
  });

  it('keeps the choices together and within the limit when the text is long', () => {
    const text = 'Thông tin thủ tục rất dài. '.repeat(150).trim();
    const parts = texts({ text, choices: CHOICES });
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    expect(parts.at(-1)).toMatch(/1\. Đăng ký khai sinh\n2\. .+\n3\. .+\nTrả lời 1, 2 hoặc 3\.$/);
    expect(parts.filter((p) => p.includes('Trả lời 1, 2 hoặc 3.'))).toHaveLength(1);
  });

  it('appends the link as its URL unless the text already has it', () => {
    const link = { url: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html', label: 'Cổng Dịch vụ công quốc gia' };
    expect(texts({ text: 'Tra cứu thêm.', link })).toEqual([`Tra cứu thêm.\nCổng Dịch vụ công quốc gia: ${link.url}`]);
    expect(texts({ text: `Xem tại ${link.url} nhé.`, link })).toEqual([`Xem tại ${link.url} nhé.`]);
    expect(texts({ text: 'Nguồn:', link: { url: link.url, label: link.url } })).toEqual([`Nguồn:\n${link.url}`]);
  });

  it('puts the link before the choices so the reply hint stays last', () => {
    const out = texts({ text: 'Không tìm thấy.', link: { url: 'https://dichvucong.gov.vn', label: 'Cổng DVC' }, choices: CHOICES.slice(0, 2) })[0]!;
    expect(out).toBe('Không tìm thấy.\nCổng DVC: https://dichvucong.gov.vn\n1. Đăng ký khai sinh\n2. Đăng ký khai sinh có yếu tố nước ngoài\nTrả lời 1 hoặc 2.');
  });

  it('sends an image as a photo with its alt as caption, after the text; drops non-http(s) images', () => {
    expect(renderZaloMessage({ text: 'Mã QR nộp lệ phí:', image: { url: 'https://placehold.co/300.png', alt: 'Mã QR chuyển khoản' } })).toEqual([
      { type: 'text', text: 'Mã QR nộp lệ phí:' },
      { type: 'photo', url: 'https://placehold.co/300.png', caption: 'Mã QR chuyển khoản' },
    ]);
    expect(renderZaloMessage({ text: 'x', image: { url: 'https://placehold.co/300.png', alt: ' ' } })[1]).toEqual({
      type: 'photo',
      url: 'https://placehold.co/300.png',
    });
    expect(renderZaloMessage({ text: 'x', image: { url: 'data:image/png;base64,AAAA', alt: 'qr' } })).toEqual([{ type: 'text', text: 'x' }]);
    const long = renderZaloMessage({ text: 'x', image: { url: 'https://placehold.co/1.png', alt: 'a'.repeat(3000) } })[1];
    expect(long?.type === 'photo' && long.caption!.length).toBe(ZALO_TEXT_LIMIT);
  });
});
