import { describe, expect, it } from 'vitest';
import { checkGroundedAnswer } from '../../../src/assistant/guardrails/output-check.ts';
import { makeProcedure } from '../../helpers/procedures.ts';

/** A re-registration of a birth as the national listing records it: fee per channel, 5 working days, two papers. */
const record = makeProcedure({
  code: '1.004884',
  title: 'Thủ tục đăng ký lại khai sinh',
  channels: [
    {
      channel: 'truc_tiep',
      timeValue: 5,
      timeUnit: 'Ngày làm việc',
      feeText: '50,000 VNĐ',
      feeAmounts: [50000],
      description: '(Lệ phí theo Nghị quyết của Hội đồng nhân dân tỉnh)',
    },
    {
      channel: 'truc_tuyen',
      timeValue: 5,
      timeUnit: 'Ngày làm việc',
      feeText: '25,000 VNĐ',
      feeAmounts: [25000],
      description: 'Giảm 50% lệ phí khi nộp hồ sơ trực tuyến',
    },
  ],
  steps: [
    'Bước 1: Người yêu cầu nộp hồ sơ tại Ủy ban nhân dân cấp xã.',
    'Bước 2: Trong thời hạn 05 ngày làm việc, công chức tư pháp - hộ tịch kiểm tra, xác minh hồ sơ.',
    'Bước 3: Chủ tịch Ủy ban nhân dân cấp xã ký Giấy khai sinh.',
  ],
  documentGroups: [
    {
      title: null,
      documents: [
        { name: 'Tờ khai đăng ký lại khai sinh theo mẫu', originals: 1, copies: null, form: 'Mẫu TP/HT-2020-KS.1' },
        { name: 'Bản sao giấy tờ tùy thân của người yêu cầu', originals: null, copies: 2, form: null },
      ],
    },
  ],
  conditions: 'Người yêu cầu từ đủ 14 tuổi trở lên.',
  legalBasis: [
    { number: '123/2015/NĐ-CP', title: 'Nghị định 123/2015/NĐ-CP ngày 15/11/2015 quy định chi tiết Luật Hộ tịch' },
    { number: '04/2020/TT-BTP', title: 'Thông tư 04/2020/TT-BTP ngày 28 tháng 5 năm 2020' },
  ],
});

const check = (answer: string, opts?: Parameters<typeof checkGroundedAnswer>[2]) => checkGroundedAnswer(answer, [record], opts);

describe('checkGroundedAnswer: fees', () => {
  it.each([
    'Lệ phí: 50.000 đồng.',
    'Lệ phí là 50,000 VNĐ.',
    'Lệ phí 50000đ khi nộp trực tiếp.',
    'Lệ phí 50 nghìn đồng.',
    'Lệ phí 50 ngàn.',
    'Lệ phí 50k.',
    'Nộp trực tuyến chỉ 25.000 đồng (giảm 50%).',
    'The fee is VND 50,000 in person and 25,000 VND online.',
  ])('restating the record’s fee in another format is fine: %s', (answer) => {
    expect(check(answer)).toEqual({ ok: true, violations: [] });
  });

  it('flags an invented fee and names it as written', () => {
    expect(check('Lệ phí đăng ký lại khai sinh là 100.000 đồng.')).toEqual({
      ok: false,
      violations: [{ kind: 'number', value: '100.000 đồng' }],
    });
  });

  it('reads "5 triệu" as 5000000, which this record does not state', () => {
    expect(check('Lệ phí là 5 triệu.').violations).toEqual([{ kind: 'number', value: '5 triệu' }]);
    const costly = makeProcedure({
      code: '1.000111',
      title: 'Thủ tục có lệ phí cao',
      channels: [{ channel: 'truc_tiep', timeValue: 10, timeUnit: 'Ngày', feeText: '5,000,000 VNĐ', feeAmounts: [5000000], description: '' }],
    });
    expect(checkGroundedAnswer('Lệ phí là 5 triệu đồng.', [costly]).ok).toBe(true);
    expect(checkGroundedAnswer('Lệ phí là 5.000.000 đồng.', [costly]).ok).toBe(true);
  });

  it('reads a decimal with a multiplier: "1,5 triệu" is 1.500.000', () => {
    const p = makeProcedure({
      code: '1.000112',
      title: 'Thủ tục khác',
      channels: [{ channel: 'truc_tiep', timeValue: 10, timeUnit: 'Ngày', feeText: '1.500.000 đồng', feeAmounts: [], description: '' }],
    });
    expect(checkGroundedAnswer('Phí 1,5 triệu đồng.', [p]).ok).toBe(true);
    expect(checkGroundedAnswer('Phí 2,5 triệu đồng.', [p]).violations).toEqual([{ kind: 'number', value: '2,5 triệu đồng' }]);
  });

  it('reports one invented value once however often it is repeated', () => {
    expect(check('Phí 70.000 đồng. Nhắc lại: phí 70.000 đồng.').violations).toEqual([{ kind: 'number', value: '70.000 đồng' }]);
  });
});

describe('checkGroundedAnswer: time limits', () => {
  it.each(['Thời hạn: 05 ngày làm việc.', 'Thời hạn giải quyết là 5 ngày làm việc.', 'Khoảng 5 ngày.', 'Processing time: 5 working days.'])(
    'accepts the record’s time however written: %s',
    (answer) => expect(check(answer).ok).toBe(true),
  );

  it('flags an invented day count', () => {
    expect(check('Thời hạn giải quyết là 7 ngày làm việc.').violations).toEqual([{ kind: 'number', value: '7 ngày làm việc' }]);
  });

  it('needs a duration, not just the digit: "2 ngày" is not grounded by "Bước 2" or "2 bản sao"', () => {
    expect(check('Thời hạn 2 ngày.').violations).toEqual([{ kind: 'number', value: '2 ngày' }]);
    expect(check('Thời hạn 3 ngày làm việc.').violations).toEqual([{ kind: 'number', value: '3 ngày làm việc' }]);
    expect(check('Hồ sơ xử lý trong 5 giờ.').violations).toEqual([{ kind: 'number', value: '5 giờ' }]);
  });

  it('takes a time with no unit in the listing as any unit', () => {
    const p = makeProcedure({
      code: '1.000113',
      title: 'Thủ tục thiếu đơn vị',
      channels: [{ channel: 'truc_tiep', timeValue: 10, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '' }],
    });
    expect(checkGroundedAnswer('Thời hạn 10 ngày.', [p]).ok).toBe(true);
    expect(checkGroundedAnswer('Thời hạn 10 giờ.', [p]).ok).toBe(true);
    expect(checkGroundedAnswer('Thời hạn 12 ngày.', [p]).ok).toBe(false);
  });
});

describe('checkGroundedAnswer: numbers of copies', () => {
  it('accepts the record’s counts, "01" being 1', () => {
    expect(check('Tờ khai: 01 bản chính. Giấy tờ tùy thân: 2 bản sao.').ok).toBe(true);
    expect(check('Declaration form: 1 original; ID papers: 2 copies.').ok).toBe(true);
  });

  it('flags a count the record gives for the other kind of copy', () => {
    expect(check('Tờ khai: 2 bản chính.').violations).toEqual([{ kind: 'number', value: '2 bản chính' }]);
    expect(check('Giấy tờ tùy thân: 3 bản sao.').violations).toEqual([{ kind: 'number', value: '3 bản sao' }]);
  });
});

describe('checkGroundedAnswer: numbers that are layout, not facts', () => {
  // Only 5, 123, 2015 and the counts 1 (one step, one document) are in this record.
  const bare = makeProcedure({
    code: '1.000555',
    title: 'Thủ tục một bước',
    channels: [{ channel: 'truc_tiep', timeValue: 5, timeUnit: 'Ngày', feeText: 'Miễn phí', feeAmounts: [], description: '' }],
    steps: ['Nộp hồ sơ và nhận kết quả.'],
    documentGroups: [{ title: null, documents: [{ name: 'Tờ khai', originals: null, copies: null, form: null }] }],
  });

  it('skips list markers at the start of a line', () => {
    const answer = 'Các việc cần làm:\n1. Chuẩn bị tờ khai\n2) Nộp hồ sơ\n  3. Chờ kết quả\n- 4. Nhận kết quả\n6. Lưu giữ';
    expect(checkGroundedAnswer(answer, [bare])).toEqual({ ok: true, violations: [] });
  });

  it('still checks the same numbers elsewhere in a line', () => {
    expect(checkGroundedAnswer('Cần 4 người làm chứng.', [bare]).violations).toEqual([{ kind: 'number', value: '4' }]);
  });

  it('skips "Bước 1" to "Bước 3" but not "Bước 4"', () => {
    expect(checkGroundedAnswer('Bước 2: nộp hồ sơ. Bước 3: nhận kết quả.', [bare]).ok).toBe(true);
    expect(checkGroundedAnswer('Bước 4: nộp lệ phí.', [bare]).violations).toEqual([{ kind: 'number', value: '4' }]);
  });
});

describe('checkGroundedAnswer: procedure codes and legal references', () => {
  it('accepts codes and document numbers the record states', () => {
    expect(
      check('Thủ tục 1.004884, căn cứ Nghị định 123/2015/NĐ-CP, Nghị định 123/2015 và Thông tư 04/2020/TT-BTP.'),
    ).toEqual({ ok: true, violations: [] });
  });

  it('compares document numbers without regard to diacritics or case', () => {
    expect(check('Căn cứ Nghị định 123/2015/ND-CP.').ok).toBe(true);
  });

  it('flags a procedure code the records do not contain', () => {
    expect(check('Xem thêm thủ tục 1.001193 và 2.000986.000.00.00.H12.').violations).toEqual([
      { kind: 'code', value: '1.001193' },
      { kind: 'code', value: '2.000986.000.00.00.H12' },
    ]);
  });

  it('does not take a longer or shorter number for a cited code', () => {
    expect(check('Thủ tục 1.0048841').ok).toBe(false);
    expect(check('Thủ tục 1.00488').ok).toBe(false);
    expect(check('Thông tư 104/2020/TT-BTP').violations).toEqual([{ kind: 'code', value: '104/2020/TT-BTP' }]);
  });

  it('reads "4/2020" and "04/2020" as one document number', () => {
    expect(check('Thông tư 4/2020/TT-BTP').ok).toBe(true);
  });

  it('flags an invented legal document number, in full or short', () => {
    expect(check('Căn cứ Nghị định 104/2022/NĐ-CP.').violations).toEqual([{ kind: 'code', value: '104/2022/NĐ-CP' }]);
    expect(check('Theo Nghị định 104/2022, ...').violations).toEqual([{ kind: 'code', value: '104/2022' }]);
    expect(check('Căn cứ Thông tư 14/2020/TT-BTP.').violations).toEqual([{ kind: 'code', value: '14/2020/TT-BTP' }]);
  });

  it('reads "tháng 7/2025" as a month and a year, not a document number', () => {
    expect(check('Từ tháng 7/2025 thủ tục thay đổi.').violations).toEqual([
      { kind: 'number', value: '7' },
      { kind: 'number', value: '2025' },
    ]);
  });
});

describe('checkGroundedAnswer: dates', () => {
  it('accepts a date the record gives, in either spelling', () => {
    expect(check('Nghị định ban hành ngày 15/11/2015.').ok).toBe(true);
    expect(check('Thông tư ban hành ngày 28/05/2020.').ok).toBe(true);
    expect(check('ban hành ngày 15 tháng 11 năm 2015').ok).toBe(true);
  });

  it('flags a date the record does not give', () => {
    expect(check('Áp dụng từ ngày 01/07/2025.').violations).toEqual([{ kind: 'number', value: '01/07/2025' }]);
  });
});

describe('checkGroundedAnswer: links', () => {
  it('accepts the record’s own page, with or without a trailing slash or full stop', () => {
    expect(check(`Xem tại ${record.url}.`).ok).toBe(true);
    expect(check(`Xem tại ${record.url}/`).ok).toBe(true);
    expect(check(`Xem tại <${record.url}>`).ok).toBe(true);
  });

  it('flags an invented link, with or without a scheme', () => {
    expect(check('Nộp tại https://dichvucong.gov.vn/p/home/dvc-nop-ho-so.html').violations).toEqual([
      { kind: 'url', value: 'https://dichvucong.gov.vn/p/home/dvc-nop-ho-so.html' },
    ]);
    expect(check('Xem tại hotich.gov.vn').violations).toEqual([{ kind: 'url', value: 'hotich.gov.vn' }]);
  });

  it('accepts an allowed link exactly, and the pages below it only when it ends in "/"', () => {
    expect(check('Cổng: https://dichvucong.gov.vn/', { allowedUrls: ['https://dichvucong.gov.vn'] }).ok).toBe(true);
    expect(check('Cổng: dichvucong.gov.vn', { allowedUrls: ['https://dichvucong.gov.vn'] }).ok).toBe(true);
    expect(check('Xem https://dichvucong.gov.vn/p/a.html', { allowedUrls: ['https://dichvucong.gov.vn'] }).ok).toBe(false);
    expect(check('Xem https://dichvucong.gov.vn/p/a.html', { allowedUrls: ['https://dichvucong.gov.vn/'] }).ok).toBe(true);
  });

  it('flags an e-mail address the record does not give', () => {
    expect(check('Gửi hồ sơ về tuphap@xa.gov.vn').violations).toEqual([{ kind: 'url', value: 'tuphap@xa.gov.vn' }]);
  });
});

describe('checkGroundedAnswer: allow-lists and several records', () => {
  it('accepts allowed numbers (emergency numbers, a hotline)', () => {
    expect(check('Khẩn cấp gọi 113 hoặc 1900 1234.').violations).toEqual([
      { kind: 'number', value: '113' },
      { kind: 'number', value: '1900' },
      { kind: 'number', value: '1234' },
    ]);
    expect(check('Khẩn cấp gọi 113 hoặc 1900 1234.', { allowedNumbers: ['113', '1900 1234'] }).ok).toBe(true);
  });

  it('grounds a fact in any of the cited records', () => {
    const other = makeProcedure({
      code: '1.000893',
      title: 'Thủ tục trích lục',
      channels: [{ channel: 'truc_tiep', timeValue: 1, timeUnit: 'Ngày làm việc', feeText: '8,000 VNĐ', feeAmounts: [8000], description: '' }],
    });
    const answer = 'Đăng ký lại khai sinh: 50.000 đồng (1.004884). Trích lục: 8.000 đồng (1.000893).';
    expect(checkGroundedAnswer(answer, [record, other]).ok).toBe(true);
    expect(checkGroundedAnswer(answer, [record]).violations).toEqual([
      { kind: 'code', value: '1.000893' },
      { kind: 'number', value: '8.000 đồng' },
    ]);
  });

  it('accepts counts of what the record lists', () => {
    expect(check('Hồ sơ gồm 2 loại giấy tờ, làm theo 3 bước.').ok).toBe(true);
  });

  it('accepts an answer with no facts at all', () => {
    expect(check('Bạn có thể nộp trực tiếp hoặc trực tuyến.')).toEqual({ ok: true, violations: [] });
    expect(check('')).toEqual({ ok: true, violations: [] });
  });

  it('rejects every number when nothing is cited', () => {
    expect(checkGroundedAnswer('Lệ phí 50.000 đồng.', []).violations).toEqual([{ kind: 'number', value: '50.000 đồng' }]);
  });
});
