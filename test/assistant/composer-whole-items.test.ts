import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../../src/assistant/answer/composer.ts';
import { tidy } from '../../src/assistant/answer/text-fit.ts';
import { loadCasePhrases } from '../../src/knowledge/case-phrases.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { withModel } from '../../src/knowledge/model/index.ts';
import { type Procedure, ProcedureSchema } from '../../src/knowledge/procedure.ts';
import { readJsonLines } from '../../src/util/json-lines.ts';
import { makeProcedure } from '../helpers/procedures.ts';

/**
 * An answer never cuts a record's paper: each one is shown in the record's whole words (its condition, its "hoặc …"
 * alternative, its unit) or not at all, and "Xem đủ giấy tờ" offers the rest. Records copied verbatim from
 * knowledge/procedures.jsonl (test/fixtures/composer-records.jsonl), so a change to the listing does not change
 * what is tested.
 */
const records = readJsonLines(path.resolve('test/fixtures/composer-records.jsonl'), ProcedureSchema, (bad) => {
  throw new Error(`composer-records.jsonl:${bad.line}: ${bad.reason}`);
});
const record = (code: string) => records.find((p) => p.code === code)!;
const casePhrases = loadCasePhrases(path.resolve('knowledge'));
const vi = { lang: 'vi' as const, profile: EMPTY_PROFILE, casePhrases };

/** The papers an answer lists ("• …"), each of which must be one of the record's items whole, its quantity after. */
function cutPapers(p: Procedure, text: string): string[] {
  const whole = withModel(p).model.groups.flatMap((g) => g.items.map((it) => tidy(it.text)));
  return text
    .split('\n')
    .filter((l) => l.startsWith('• '))
    .map((l) => l.slice(2))
    .filter((l) => !whole.some((t) => l === t || l.startsWith(`${t} (`)));
}

describe('document answers show each paper whole or not at all', () => {
  const residence = record('1.004222');
  const question = 'đăng ký thường trú cần giấy tờ gì';

  it('đăng ký thường trú: no paper cut mid-phrase, the "hoặc …" alternative kept with its paper, the rest offered', () => {
    const m = composeAnswer(residence, 'documents', { ...vi, question });
    // what a tester saw: names cut at a word, "(1 bản chính)" glued to the cut
    expect(m.text).not.toContain('đậu, đỗ thường xuyên trong trường (');
    expect(m.text).not.toContain('nhận chăm (');
    expect(m.text).not.toMatch(/của phương tiện \(1 bản chính\)/);
    expect(cutPapers(residence, m.text)).toEqual([]);
    expect(m.text).toContain(
      '• Giấy chứng nhận đăng ký phương tiện và giấy chứng nhận an toàn kỹ thuật và bảo vệ môi trường của phương tiện hoặc văn bản xác nhận của Ủy ban nhân dân cấp xã về việc sử dụng phương tiện đó vào mục đích để ở',
    );
    // the case is said once over its papers, not before each
    expect(m.text.split('Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình:')).toHaveLength(2);
    expect(m.text).toMatch(/… còn \d+ giấy tờ\/trường hợp nữa: chọn “Xem đủ giấy tờ”/);
    expect(m.choices?.map((c) => c.label)).toContain('Xem đủ giấy tờ');
  });

  it('the full list ("Xem đủ giấy tờ") is whole papers too, and sends what does not fit to the official page', () => {
    const m = composeAnswer(residence, 'documents', { ...vi, question, full: true });
    expect(cutPapers(residence, m.text)).toEqual([]);
    expect(m.text).toMatch(/… còn \d+ giấy tờ\/trường hợp nữa, xem ở trang chính thức\./);
    expect(m.text).not.toContain('chọn “Xem đủ giấy tờ”');
    // no case heading is left without a paper under it
    const lines = m.text.split('\n');
    lines.forEach((l, i) => {
      if (l.endsWith(':') && !l.startsWith('•') && i + 1 < lines.length) expect(lines[i + 1]).toMatch(/^(?:•|[^\n]*:$)/);
    });
  });

  it('a condition inside the paper stays in its words, said once: "Trường hợp không có Giấy chứng sinh thì …"', () => {
    const birth = record('2.000528');
    for (const full of [false, true]) {
      const t = composeAnswer(birth, 'documents', { ...vi, full }).text;
      expect(cutPapers(birth, t)).toEqual([]);
      expect(t).toContain(
        '• Trường hợp không có Giấy chứng sinh thì thay thế bằng: văn bản của người làm chứng xác nhận về việc sinh, nếu không có văn bản của người làm chứng thì thay thế bằng văn bản cam đoan về việc sinh;',
      );
      expect(t).not.toMatch(/Trường hợp không có Giấy chứng sinh: Trường hợp/);
    }
  });

  it('over the whole knowledge base, every paper listed is one of its record’s items whole', () => {
    const cut: string[] = [];
    for (const p of loadCatalogue(path.resolve('knowledge'))) {
      for (const full of [false, true]) {
        for (const line of cutPapers(p, composeAnswer(p, 'documents', { ...vi, full }).text)) cut.push(`${p.code}: ${line}`);
      }
    }
    expect(cut.slice(0, 5)).toEqual([]);
  });
});

describe('the fee answer says "Lệ phí:" once', () => {
  it('drops the record’s own leading "Lệ phí:" after the answer’s, in the fee answer and the overview', () => {
    const p = makeProcedure({
      code: '9.000001',
      title: 'Thủ tục X',
      channels: [{ channel: 'truc_tiep', timeValue: 3, timeUnit: 'Ngày làm việc', feeText: 'Lệ phí: 12.345 đồng', feeAmounts: [12345], description: '' }],
    });
    const fee = composeAnswer(p, 'fee', vi).text;
    expect(fee).toContain('Lệ phí:\n• Trực tiếp: 12.345 đồng');
    expect(fee.match(/lệ phí\s*:/giu)).toHaveLength(1);
    const overview = composeAnswer(p, 'overview', vi).text;
    expect(overview).toContain('• Lệ phí: 12.345 đồng (Trực tiếp)');
    expect(overview.match(/lệ phí\s*:/giu)).toHaveLength(1);
  });

  it('keeps every amount of a cell of labelled lines (1.013563), and a "Phí :" label, which is another charge', () => {
    const seafarer = composeAnswer(record('1.013563'), 'fee', vi).text;
    expect(seafarer.match(/lệ phí\s*:/giu)).toHaveLength(1);
    expect(seafarer).toContain('• Trực tiếp: 05 USD (Đối với thuyền viên nghỉ qua đêm trên bờ: 05 USD/Giấy phép');
    expect(seafarer).toContain('), 1.5 USD (Đối với thuyền viên xuống tàu thuyền khác đang neo đậu tại cảng: 30.000 đồng/Giấy phép (1,5 USD/Giấy phép))');
    const charge = makeProcedure({
      code: '9.000002',
      title: 'Thủ tục Y',
      channels: [{ channel: 'truc_tiep', timeValue: 3, timeUnit: 'Ngày làm việc', feeText: 'Phí : 0 Đồng', feeAmounts: [0], description: '' }],
    });
    expect(composeAnswer(charge, 'fee', vi).text).toContain('• Trực tiếp: Phí : 0 Đồng');
  });

  it('says a fee once for all channels whose cells read the same once shortened (1.001471), not once per channel', () => {
    const bullets = composeAnswer(record('1.001471'), 'fee', vi).text.split('\n').filter((l) => l.startsWith('• '));
    expect(bullets).toHaveLength(1);
    expect(bullets[0]).toMatch(/^• Trực tiếp, Trực tuyến, Dịch vụ bưu chính: 200,000 Việt Nam Đồng — /);
  });
});
