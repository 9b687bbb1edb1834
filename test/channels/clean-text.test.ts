import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/channels/clean-text.ts';

describe('cleanText', () => {
  it.each([
    ['NUL', 'làm\u0000 giấy khai sinh', 'làm giấy khai sinh'],
    ['other C0 controls (bell, escape, form feed, vertical tab)', 'a\u0007b\u001bc\u000cd\u000be', 'abcde'],
    ['DEL and C1 controls', 'a\u007fb\u0080c\u009fd', 'abcd'],
    ['a lone high surrogate', 'lệ\ud800 phí', 'lệ phí'],
    ['a lone low surrogate', '\udc00lệ phí', 'lệ phí'],
    ['a high surrogate at the very end', 'lệ phí\ud83d', 'lệ phí'],
    ['two high surrogates before a low one (the second pairs)', 'x\ud83d\ud83d\ude00', 'x😀'],
    ['zero-width space, joiner, non-joiner, word joiner, BOM', '\ufeffđăng\u200b ký\u200c tạm\u200d trú\u2060', 'đăng ký tạm trú'],
    ['bidi embeddings and overrides', '\u202aa\u202bb\u202cc\u202dd\u202ee', 'abcde'],
    ['bidi isolates', '\u2066tạm\u2067 \u2068trú\u2069', 'tạm trú'],
  ])('removes %s', (_name, raw, clean) => {
    expect(cleanText(raw)).toBe(clean);
  });

  it('keeps newlines and tabs; CR and CR LF become newlines', () => {
    expect(cleanText('dòng 1\r\ndòng 2\rdòng 3\n\tthụt')).toBe('dòng 1\ndòng 2\ndòng 3\n\tthụt');
  });

  it('keeps Vietnamese, emoji and other scripts, and composes decomposed marks to NFC', () => {
    const nfd = 'Đăng ký khai sinh cho con ở Ủy ban nhân dân xã'.normalize('NFD');
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    expect(cleanText(nfd)).toBe('Đăng ký khai sinh cho con ở Ủy ban nhân dân xã');
    // a zero-width space between a letter and its mark: removed, then the two compose
    expect(cleanText('a\u200b\u0301')).toBe('á');
    for (const s of ['Thủ tục “cắt khẩu” 👍🏽 – 100%', '中文 العربية', 'ế ộ ữ ỹ ặ ợ']) expect(cleanText(s)).toBe(s);
  });

  it('is idempotent, and gives "" for nothing but junk', () => {
    const junk = '\u0000\u200b\ud800\u202e\u2066\ufeff';
    expect(cleanText(junk)).toBe('');
    const s = cleanText(`a${junk}b\r\n`.normalize('NFD'));
    expect(cleanText(s)).toBe(s);
  });

  it('cuts to the maximum length without leaving half a surrogate pair', () => {
    expect(cleanText('abcdef', 4)).toBe('abcd');
    expect(cleanText('abc😀', 4)).toBe('abc');
    expect(cleanText('abc😀', 5)).toBe('abc😀');
    expect(cleanText('a\u0000bcde', 3)).toBe('abc'); // the limit applies to the cleaned text
  });

  it('leaves nothing PostgreSQL refuses in jsonb (no NUL, every surrogate paired)', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
    all += '\ud800\udbff\udc00\udfff\ufeff';
    const out = cleanText(all);
    expect(out).not.toContain('\u0000');
    expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(out)).toBe(false);
    expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out); // no surrogate left to become U+FFFD
    expect(/[\u0001-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069\ufeff]/.test(out)).toBe(false);
  });
});
