import { describe, expect, it } from 'vitest';
import { bigrams, containsPhrase, contentTokens, fold } from '../../src/retrieval/text.ts';

describe('fold', () => {
  it('removes diacritics including đ, lowercases and drops punctuation', () => {
    expect(fold('Đăng ký KHAI SINH, cho con?')).toBe('dang ky khai sinh cho con');
    expect(fold('Sổ đỏ')).toBe('so do');
  });
  it('treats precomposed and decomposed input alike', () => {
    expect(fold('ke\u0302\u0301t ho\u0302n')).toBe(fold('kết hôn'));
  });
});

describe('tokens', () => {
  it('keeps words whose folded form collides with a filler (thẻ, bản sao, căn cước, khai tử)', () => {
    expect(contentTokens(fold('thẻ căn cước bản sao khai tử sổ đỏ'))).toEqual(
      ['the', 'can', 'cuoc', 'ban', 'sao', 'khai', 'tu', 'so', 'do'],
    );
  });
  it('drops fillers', () => {
    expect(contentTokens(fold('cho em hỏi với ạ khai sinh'))).toEqual(['khai', 'sinh']);
  });
  it('builds syllable bigrams but not from two fillers', () => {
    expect(bigrams(['cho', 'em', 'khai', 'sinh'])).toEqual(['em_khai', 'khai_sinh']);
  });
  it('matches phrases on word boundaries only', () => {
    expect(containsPhrase('xin cat khau cho me', 'cat khau')).toBe(true);
    expect(containsPhrase('xin cat khaui', 'cat khau')).toBe(false);
  });
});
