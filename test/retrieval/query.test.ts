import { analyseQuery, compileVocabulary, QueryError, validateQuery } from '../../src/retrieval/query.ts';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadVocabulary } from '../../src/knowledge/vocabulary.ts';

const vocab = compileVocabulary({
  synonyms: [{ phrases: ['cắt khẩu', 'xóa hộ khẩu'], canonical: 'xóa đăng ký thường trú', codes: ['1.004194'] }],
  typos: { 'dang ki': 'đăng ký', 'khai sanh': 'khai sinh' },
  lifeEvents: [{ id: 'sinh-con', name: 'Sinh con', phrases: ['mới sinh em bé'], codes: ['1.001193', '1.004222'] }],
});

describe('validateQuery', () => {
  it('rejects empty and whitespace-only questions', () => {
    expect(() => validateQuery('')).toThrow(QueryError);
    expect(() => validateQuery('   \n ')).toThrow(/trống/);
    expect(() => validateQuery('?!...')).toThrow(/trống/);
  });
  it('rejects questions over 2,000 characters', () => {
    expect(() => validateQuery('khai sinh '.repeat(250))).toThrow(/2000/);
  });
  it('rejects binary data', () => {
    expect(() => validateQuery('abc\u0000\u0001def')).toThrow(/không phải văn bản/);
    expect(() => validateQuery(Buffer.from([0xff, 0xfe, 0x00]).toString('utf8'))).toThrow(QueryError);
    expect(() => validateQuery(42)).toThrow(QueryError);
  });
  it('accepts a normal question and normalises it to NFC', () => {
    expect(validateQuery('  ke\u0302\u0301t ho\u0302n  ')).toBe('kết hôn');
  });
});

describe('analyseQuery', () => {
  it('fixes typos and expands slang to the listing names with their codes', () => {
    const q = analyseQuery('cho em hoi cat khau cho me o dau a', vocab);
    expect(q.expanded).toContain('xoa dang ky thuong tru');
    expect(q.vocabCodes).toEqual(['1.004194']);
    expect(analyseQuery('dang ki khai sanh', vocab).folded).toBe('dang ky khai sinh');
  });
  it('maps life events to their procedures', () => {
    expect(analyseQuery('vợ tôi mới sinh em bé', vocab).lifeEventCodes).toEqual(['1.001193', '1.004222']);
  });
  it('notices when another level is named', () => {
    expect(analyseQuery('cấp lại căn cước ở cấp tỉnh', vocab).namedLevel).toBe('Cấp tỉnh');
    expect(analyseQuery('làm ở trung ương được không', vocab).namedLevel).toBe('Cấp bộ');
    expect(analyseQuery('cấp lại căn cước', vocab).namedLevel).toBeNull();
    // a place, not a level
    expect(analyseQuery('chuyển hộ khẩu sang tỉnh khác', vocab).namedLevel).toBeNull();
  });
});

describe('life events in everyday words', () => {
  const real = compileVocabulary(loadVocabulary(path.resolve('knowledge')));
  it.each(['bố tôi vừa mất thì cần làm gì', 'ông nội qua đời hôm qua', 'ba em mat roi lam giay to gi', 'mẹ tôi mới mất'])('%s → khai tử first', (q) => {
    expect(analyseQuery(q, real).lifeEventCodes[0]).toBe('1.000656');
  });
  it.each(['mẹ mất giấy khai sinh', 'tôi bị mất căn cước', 'làm khai sinh mất bao lâu'])('%s is not a death', (q) => {
    expect(analyseQuery(q, real).lifeEventCodes).not.toContain('1.000656');
  });
});
