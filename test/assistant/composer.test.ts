import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../../src/assistant/answer/composer.ts';
import { clip, MAX_MESSAGE_CHARS } from '../../src/assistant/answer/text-fit.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { AspectSchema } from '../../src/domain/types.ts';
import { makeProcedure } from '../helpers/procedures.ts';

const vi = { lang: 'vi' as const, profile: EMPTY_PROFILE };
const en = { lang: 'en' as const, profile: EMPTY_PROFILE };

const marriage = makeProcedure({
  code: '1.000894',
  title: 'Thủ tục đăng ký kết hôn',
  channels: [
    { channel: 'truc_tiep', timeValue: 1, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '(Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn thực hiện theo Thông tư số 281/2016/TT-BTC.)' },
    { channel: 'truc_tuyen', timeValue: 1, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '(Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn thực hiện theo Thông tư số 281/2016/TT-BTC.)' },
  ],
  documentGroups: [
    { title: '* Giấy tờ phải xuất trình:', documents: [{ name: 'Hộ chiếu/Thẻ căn cước của hai bên nam, nữ. Trường hợp khác xem hướng dẫn.', originals: 1, copies: null, form: null }] },
    { title: '* Lưu ý:', documents: [{ name: '+ Người tiếp nhận có trách nhiệm tiếp nhận đúng, đủ hồ sơ.', originals: 0, copies: null, form: null }] },
    { title: null, documents: [{ name: 'Tờ khai đăng ký kết hôn theo mẫu', originals: 1, copies: 2, form: 'Mẫu TK-KH' }] },
  ],
  result: 'Giấy chứng nhận kết hôn',
  executingAgency: 'Ủy ban Nhân dân xã, phường, thị trấn. Ủy ban Nhân dân xã, phường, thị trấn.',
});

describe('offline composer', () => {
  it('names the procedure and its code and ends with the official page', () => {
    for (const aspect of AspectSchema.options) {
      const m = composeAnswer(marriage, aspect, vi);
      expect(m.text.startsWith('Thủ tục đăng ký kết hôn (mã 1.000894)')).toBe(true);
      expect(m.text.trimEnd().endsWith(marriage.url)).toBe(true);
      expect(m.link?.url).toBe(marriage.url);
      expect(m.text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
  });

  it('gives the fee per channel with the description verbatim, said once for channels that agree', () => {
    const t = composeAnswer(marriage, 'fee', vi).text;
    expect(t).toContain('Trực tiếp, Trực tuyến: Miễn phí — Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn thực hiện theo Thông tư số 281/2016/TT-BTC.');
    expect(t.match(/Miễn phí/g)).toHaveLength(1);
  });

  it('says the unit is missing rather than guessing it', () => {
    expect(composeAnswer(marriage, 'time', vi).text).toContain('1 (danh mục không ghi rõ đơn vị)');
    const withUnit = makeProcedure({ code: '1.1', title: 'Thủ tục X' });
    expect(composeAnswer(withUnit, 'time', vi).text).toContain('Trực tiếp: 3 ngày làm việc');
  });

  it('lists the papers to bring whole, with originals, copies and forms, and leaves the notes out', () => {
    const t = composeAnswer(marriage, 'documents', vi).text;
    // the item is never cut: its second sentence is part of what the record says
    expect(t).toContain('• Hộ chiếu/Thẻ căn cước của hai bên nam, nữ. Trường hợp khác xem hướng dẫn. (1 bản chính)');
    expect(t.indexOf('Giấy tờ phải nộp:')).toBeLessThan(t.indexOf('Giấy tờ phải xuất trình:'));
    expect(t).toContain('• Tờ khai đăng ký kết hôn theo mẫu (1 bản chính, 2 bản sao; Mẫu TK-KH)');
    expect(t).not.toContain('Người tiếp nhận');
  });

  it('says plainly when a procedure is not handled at the commune', () => {
    const passport = makeProcedure({ code: '1.001456', title: 'Cấp hộ chiếu phổ thông', levels: ['Cấp tỉnh'] });
    expect(composeAnswer(passport, 'overview', vi).text).toContain('do cấp tỉnh giải quyết, không làm tại UBND xã');
    expect(composeAnswer(marriage, 'overview', vi).text).not.toContain('không làm tại UBND xã');
  });

  it('says what the record does not state instead of filling it in', () => {
    const bare = makeProcedure({ code: '1.2', title: 'Thủ tục Y', channels: [], conditions: null, legalBasis: [], documentGroups: [] });
    expect(composeAnswer(bare, 'fee', vi).text).toContain('Danh mục không ghi lệ phí');
    expect(composeAnswer(bare, 'conditions', vi).text).toContain('không nêu điều kiện');
    expect(composeAnswer(bare, 'where', vi).text).toContain('không ghi rõ nơi tiếp nhận');
    expect(composeAnswer(bare, 'online', vi).text).toContain('không có hình thức nộp trực tuyến');
  });

  it('the listing\'s doubled agency cell is said once', () => {
    const t = composeAnswer(marriage, 'where', vi).text;
    expect(t.match(/Ủy ban Nhân dân xã, phường, thị trấn/g)).toHaveLength(1);
  });

  it('uses the commune profile only when it is filled in', () => {
    const withCentre = { lang: 'vi' as const, profile: { ...EMPTY_PROFILE, centre: { ...EMPTY_PROFILE.centre, address: 'Số 1 đường A', openingHours: '7h30–17h, thứ Hai–thứ Sáu' } } };
    expect(composeAnswer(marriage, 'where', withCentre).text).toContain('Số 1 đường A');
    expect(composeAnswer(marriage, 'where', vi).text).not.toContain('Giờ làm việc');
  });

  it('answers in English and keeps the official Vietnamese names', () => {
    const t = composeAnswer(marriage, 'fee', en).text;
    expect(t).toContain('Thủ tục đăng ký kết hôn (code 1.000894)');
    expect(t).toContain('In person, Online: Miễn phí');
    expect(t).toContain('Official source:');
  });

  it('a huge record stays under Zalo\'s limit, cut at sentence boundaries', () => {
    const long = 'Người yêu cầu nộp tờ khai theo mẫu quy định và xuất trình giấy tờ tùy thân. ';
    const huge = makeProcedure({
      code: '1.3',
      title: 'Thủ tục Z',
      steps: Array.from({ length: 40 }, (_, i) => `Bước ${i + 1}: ${long.repeat(6)}`),
      documentGroups: [{ title: null, documents: Array.from({ length: 55 }, (_, i) => ({ name: `Giấy tờ số ${i + 1}. ${long.repeat(3)}`, originals: 1, copies: null, form: null })) }],
      conditions: long.repeat(60),
    });
    for (const aspect of AspectSchema.options) {
      const t = composeAnswer(huge, aspect, vi).text;
      expect(t.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      expect(t).toContain(huge.url);
    }
    expect(composeAnswer(huge, 'documents', vi).text).toMatch(/… còn \d+ giấy tờ\/trường hợp nữa: chọn “Xem đủ giấy tờ” hoặc xem ở trang chính thức\./);
  });

  it('follow-up choices offer the other aspects', () => {
    const ids = composeAnswer(marriage, 'fee', vi).choices?.map((c) => c.id);
    expect(ids).toContain('aspect:documents');
    expect(ids).not.toContain('aspect:fee');
  });
});

describe('clip', () => {
  it('cuts after a full sentence and marks the cut', () => {
    expect(clip('Câu một đủ dài. Câu hai cũng dài hơn một chút nữa.', 30)).toBe('Câu một đủ dài. …');
    expect(clip('ngắn', 30)).toBe('ngắn');
  });
});
