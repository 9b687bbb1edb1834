import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatVnd,
  parsePortalRecord,
  parsePortalText,
  portalFees,
  portalTime,
} from '../../src/knowledge/portal-parser.ts';
import type { Procedure } from '../../src/knowledge/procedure.ts';

/**
 * Raw, unmodified lines: 1.014027, 1.010824 and 1.116909 from /work/shared/data/dvcqg-api/details_missing_cap_xa.jsonl,
 * 1.115959 and 1.013743 from /work/shared/data/haiphong/details.jsonl. The expected values were read from the records.
 */
const FIXTURE = new URL('../fixtures/portal-sample.jsonl', import.meta.url);
const fixtureText = fs.readFileSync(FIXTURE, 'utf8');
const fixtureLines = fixtureText.split('\n').filter((l) => l.trim() !== '');
type Raw = Record<string, unknown> & { code: string; executionSteps: { name: string; description: string }[] };
const raws: Raw[] = fixtureLines.map((l) => JSON.parse(l) as Raw);
const raw = (code: string): Raw => raws.find((r) => r.code === code)!;

function procedure(code: string): Procedure {
  const parsed = parsePortalRecord(raw(code));
  if (!parsed.ok) throw new Error(`${code}: ${parsed.reason}`);
  return parsed.procedure;
}

/** Text without whitespace and list dashes, to check that nothing was lost or added. */
const letters = (s: string) => s.replace(/[\s-]/g, '');

describe('1.014027 Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội', () => {
  const p = procedure('1.014027');

  it('reads the identifying fields, its page and where it came from', () => {
    expect(p).toMatchObject({
      code: '1.014027',
      title: 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội',
      levels: ['Cấp xã'],
      field: 'Bảo trợ xã hội',
      kind: 'TTHC được giao luật quy định chi tiết',
      targets: ['Công dân Việt Nam'],
      executingAgency: 'Ủy ban nhân dân cấp xã',
      url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bff-2d80-74d8-8515-90f6f61822f0',
      urlKind: 'page',
      decision: '2180/QĐ-BYT',
      source: 'Bộ Y tế',
      origin: 'portal',
      fullyOnline: false,
      updatedAt: '2026-05-04T04:02:10.132Z', // updatedAt 1777867330132
    });
  });

  it('has three channels of 10 working days, free', () => {
    expect(p.channels.map((c) => c.channel)).toEqual(['truc_tiep', 'truc_tuyen', 'buu_chinh']);
    for (const c of p.channels) {
      expect(c).toEqual({
        channel: c.channel,
        timeValue: 10,
        timeUnit: 'Ngày làm việc',
        feeText: 'Miễn phí',
        feeAmounts: [],
        description: '10 (mười) ngày làm việc kể từ ngày nhận được văn bản đề nghị hưởng trợ cấp hưu trí xã hội.',
      });
    }
  });

  it('keeps the one document whole, with its quantities and form file', () => {
    expect(p.documentGroups).toHaveLength(1);
    expect(p.documentGroups[0]!.title).toBeNull();
    expect(p.documentGroups[0]!.documents).toHaveLength(1);
    expect(p.documentGroups[0]!.documents[0]).toMatchObject({
      name: 'Văn bản đề nghị hưởng trợ cấp hưu trí xã hội (theo Mẫu số 01 ban hành kèm theo Nghị định số 176/2025/NĐ-CP)',
      originals: 1,
      copies: 0,
      form: 'Bieu mau 01 1.014027.docx',
      electronicForm: false,
    });
    // every document of the record says required: false, which the portal leaves unset: not taken as "optional"
    expect(p.documentGroups[0]!.documents[0]!.required ?? null).toBeNull();
  });

  it('splits the steps at "Bước N" and loses no text', () => {
    expect(p.steps).toHaveLength(2);
    expect(p.steps[0]).toMatch(/^Bước 1: Người đề nghị trợ cấp hưu trí xã hội có văn bản đề nghị/);
    expect(p.steps[1]).toMatch(/^Bước 2: Trong thời hạn 10 ngày làm việc/);
    expect(p.steps[1]).toContain('Chủ tịch Ủy ban nhân dân cấp xã quyết định thôi hưởng trợ cấp hưu trí xã hội.');
    expect(letters(p.steps.join(''))).toBe(letters(raw('1.014027').executionSteps[0]!.description));
  });

  it('reads conditions, legal basis and the three results', () => {
    expect(p.conditions).toMatch(/^- Công dân Việt Nam được hưởng trợ cấp hưu trí xã hội khi có đủ các điều kiện sau đây:\n\+ Từ đủ 75 tuổi trở lên;\n/);
    expect(p.legalBasis).toEqual([
      { number: '42/2025/NĐ-CP', title: 'Nghị định số 42/2025/NĐ-CP của Chính phủ: Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Y tế' },
      { number: '41/2024/QH15', title: 'Luật Bảo hiểm xã hội' },
    ]);
    expect(p.result).toBe(
      'Quyết định trợ cấp hưu trí xã hội (BYT)\nQuyết định thôi hưởng trợ cấp hưu trí xã hội (BYT)\nQuyết định điều chỉnh trợ cấp hưu trí xã hội (BYT)',
    );
  });
});

describe('1.010824 Hưởng trợ cấp khi người có công đang hưởng trợ cấp ưu đãi từ trần', () => {
  const p = procedure('1.010824');

  it('keeps both rows of a channel listed for two cases, the case in each description', () => {
    const rows = p.channels.map((c) => [c.channel, c.timeValue, c.timeUnit, c.feeText]);
    expect(rows).toEqual([
      ['truc_tiep', 19, 'Ngày', 'Miễn phí'],
      ['truc_tiep', 24, 'Ngày', 'Miễn phí'],
      ['buu_chinh', 24, 'Ngày', 'Miễn phí'],
      ['buu_chinh', 19, 'Ngày', 'Miễn phí'],
    ]);
    expect(p.channels[0]!.description).toBe(
      'Kể từ ngày nhận đủ hồ sơ theo quy định. Đối với trợ cấp một lần và mai táng\n(Thời gian cụ thể được quy định tại từng bước của quy trình thực hiện)',
    );
    expect(p.channels[1]!.description).toMatch(/^Kể từ ngày nhận đủ hồ sơ đối với trường hợp đủ điều kiện\. Đối với trợ cấp tuất hằng tháng/);
  });

  it('has levels, toàn trình, decision and the legal numbers read out of "Nghị định số …" cells', () => {
    expect(p).toMatchObject({ levels: ['Cấp tỉnh', 'Cấp xã'], fullyOnline: true, decision: '320/QĐ-BNV', source: 'Bộ Nội vụ' });
    expect(p.legalBasis.map((l) => l.number)).toEqual([
      '45/2025/NĐ-CP',
      '190/2025/NQ-QH15',
      '25/2025/NĐ-CP', // cell "Nghị định số 25/2025/NĐ-CP"
      '129/2025/NĐ-CP',
      '131/2021/NĐ-CP', // cell "Nghị định số 131/2021/NĐ-CP"
      '02/2020/UBTVQH14', // cell "Pháp lệnh số: 02/2020/UBTVQH14"
    ]);
  });

  it('keeps each document whole (the case inside the name), one original and one copy', () => {
    const docs = p.documentGroups[0]!.documents;
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({
      name: 'a) Trợ cấp một lần, mai táng - Bản khai theo Mẫu số 12 Phụ lục I Nghị định số 131/2021/NĐ-CP. - Bản sao được chứng thực từ giấy báo tử hoặc trích lục khai tử.',
      originals: 1,
      copies: 1,
      form: 'Mauso12_ND131_2021.docx',
    });
    expect(docs[1]!.name).toMatch(/^b\) Trợ cấp tuất hằng tháng, trợ cấp tuất nuôi dưỡng hằng tháng: - Bản khai theo Mẫu số 12/);
    expect(docs[1]!.name).toMatch(/về thời điểm kết thúc học\.$/);
    expect(docs[1]).toMatchObject({ originals: 1, copies: 1, form: null });
  });

  it('puts each case heading with its own "Bước 1", not at the end of the previous step', () => {
    expect(p.steps).toHaveLength(9);
    expect(p.steps[0]).toMatch(/^a\.1 Trợ cấp một lần\nBước 1: Đại diện thân nhân/);
    expect(p.steps[2]).toMatch(/^Bước 3: Sở Nội vụ/);
    expect(p.steps[2]).not.toContain('a.2');
    expect(p.steps[3]).toMatch(/^a\.2 Trợ cấp mai táng\nBước 1: Cá nhân hoặc tổ chức thực hiện mai táng/);
    expect(p.steps[6]).toMatch(/^a\.3 Trợ cấp tuất hằng tháng, trợ cấp tuất nuôi dưỡng hằng tháng\nBước 1:/);
    expect(letters(p.steps.join(''))).toBe(letters(raw('1.010824').executionSteps.map((s) => s.description).join('')));
  });
});

describe('1.116909 Thực hiện trợ cấp xã hội và nhận chăm sóc, nuôi dưỡng … hằng tháng', () => {
  const p = procedure('1.116909');

  it('reads 7 working days on every channel and both declaration forms, with e-forms', () => {
    expect(p.channels.map((c) => [c.channel, c.timeValue, c.timeUnit, c.feeText])).toEqual([
      ['truc_tiep', 7, 'Ngày làm việc', 'Miễn phí'],
      ['truc_tuyen', 7, 'Ngày làm việc', 'Miễn phí'],
      ['buu_chinh', 7, 'Ngày làm việc', 'Miễn phí'],
    ]);
    expect(p.documentGroups[0]!.documents.map((d) => [d.name, d.originals, d.copies, d.form, d.electronicForm])).toEqual([
      ['Tờ khai đề nghị trợ cấp xã hội, trợ cấp hưu trí xã hội (Mẫu số 01 ban hành kèm theo Nghị định số 335/2026/NĐ-CP)', 1, 0, null, true],
      [
        'Tờ khai nhận chăm sóc, nuôi dưỡng, đề nghị hỗ trợ kinh phí nhận chăm sóc, nuôi dưỡng (Mẫu số 02 ban hành kèm theo Nghị định số 335/2026/NĐ-CP)',
        1,
        0,
        null,
        true,
      ],
    ]);
  });

  it('collapses the line break inside a legal title and reads the rest', () => {
    expect(p.legalBasis).toEqual([
      { number: '335/2026/NĐ-CP', title: 'Nghị định số 335/2026/NĐ-CP ngày 21/8/2026 của Chính phủ quy định chính sách trợ giúp xã hội' },
    ]);
    expect(p).toMatchObject({
      url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/01a0f668-d09b-7368-9850-3c8288daf506',
      decision: '3033/QĐ-BYT',
      fullyOnline: false,
      updatedAt: '2026-10-02T10:23:40.279Z',
      targets: [
        'Công dân Việt Nam',
        'Người nước ngoài đã cư trú tại Việt Nam',
        'Công dân Việt Nam mà không xác định được nơi thường trú hoặc nơi tạm trú',
        'Người Việt Nam định cư ở nước ngoài',
      ],
    });
    expect(p.steps[0]).toBe(
      'Bước 1: Đối tượng hoặc người giám hộ chuẩn bị hồ sơ theo quy định gửi Chủ tịch Ủy ban nhân dân cấp xã nơi cư trú.',
    );
  });
});

describe('Hải Phòng records', () => {
  it('1.115959 thi tuyển viên chức: three fee tiers, each amount with its own note; fully online', () => {
    const p = procedure('1.115959');
    expect(p).toMatchObject({ levels: ['Cấp bộ', 'Cấp tỉnh', 'Cấp xã'], fullyOnline: true, decision: '862/QĐ-BNV', field: 'Công chức, viên chức' });
    expect(p.channels).toHaveLength(3);
    for (const c of p.channels) {
      expect(c).toMatchObject({ timeValue: 140, timeUnit: 'Ngày làm việc', feeAmounts: [500000, 400000, 300000] });
      expect(c.feeText).toBe(
        '500.000 đồng (Phí dự tuyển dụng viên chức: - Dưới 100 thí sinh mức thu 500.000 đồng/thí sinh/lần dự thi.); ' +
          '400.000 đồng (- Từ 100 đến dưới 500 thí sinh mức thu 400.000 đồng/thí sinh/lần dự thi.); ' +
          '300.000 đồng (Từ 500 thí sinh trở lên mức thu 300.000 đồng/thí sinh/lần dự thi.)',
      );
      expect(c.description).toMatch(/Tối đa 140 ngày kể từ ngày hết thời hạn nhận Phiếu đăng ký dự tuyển \(theo Nghị định\)\.$/);
    }
    // agencies whose names hold commas are listed with semicolons
    expect(p.executingAgency).toBe(
      'Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ; Ủy ban nhân dân cấp tỉnh; Ủy ban nhân dân cấp xã; Đơn vị sự nghiệp công lập; ' +
        'Cơ quan, tổ chức, đơn vị có thẩm quyền quản lý hoặc được giao trực tiếp quản lý đơn vị sự nghiệp công lập; Cơ quan quản lý viên chức',
    );
    expect(p.documentGroups[0]!.documents).toHaveLength(1);
    expect(p.documentGroups[0]!.documents[0]).toMatchObject({
      name: 'Phiếu đăng ký dự tuyển theo Mẫu số 01 ban hành kèm theo Nghị định số 259/2026/NĐ-CP.',
      originals: 1,
      copies: 0,
      form: 'MẪU PHIẾU ĐĂNG KÝ DỰ TUYỂN.docx',
      electronicForm: true,
    });
    expect(p.steps.map((s) => s.split('\n')[0])).toEqual([
      expect.stringMatching(/^Bước 1\. Người đăng ký dự tuyển nộp Phiếu đăng ký dự tuyển/),
      'Bước 2. Kiểm tra Phiếu đăng ký dự tuyển',
      'Bước 3. Tổ chức thi tuyển viên chức',
      'Bước 4. Phê duyệt và thông báo kết quả tuyển dụng viên chức',
      'Bước 5. Hoàn thiện hồ sơ tuyển dụng',
      'Bước 6. Ký kết hợp đồng làm việc và nhận việc',
    ]);
  });

  it('1.013743: a bare "1" with unit OTHER is no time; the legal number with many issuers is read whole', () => {
    const p = procedure('1.013743');
    expect(p.channels).toEqual([
      { channel: 'truc_tiep', timeValue: null, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '' },
      { channel: 'buu_chinh', timeValue: null, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '' },
    ]);
    expect(p.legalBasis.map((l) => l.number)).toEqual(['09/2025/TT-BNV', '17/1999/TTLT-BLĐTBXH-BTC-BTCCBCP', '13/2002/BLĐTBXH-TT']);
    expect(p.documentGroups[0]!.documents.map((d) => [d.originals, d.copies, d.form])).toEqual([
      [1, 0, 'Mauso04_TT09_2025.docx'],
      [1, 0, 'Mauso03_TT09_2025.docx'],
    ]);
    expect(p).toMatchObject({ levels: ['Cấp bộ', 'Cấp tỉnh', 'Cấp xã'], decision: '639/QĐ-BNV', result: 'Duyệt đối tượng được hưởng chế độ và chi trả theo đối tượng' });
  });
});

describe('portal times and fees', () => {
  it('maps the units and keeps a time in words verbatim', () => {
    expect(portalTime(5, 'WORKING_DAY')).toEqual({ timeValue: 5, timeUnit: 'Ngày làm việc' });
    expect(portalTime(24, 'DAY')).toEqual({ timeValue: 24, timeUnit: 'Ngày' });
    expect(portalTime(8, 'HOUR')).toEqual({ timeValue: 8, timeUnit: 'Giờ' });
    // 1.116908: "tiếp nhận ngay - cách tính ngày"
    expect(portalTime('tiếp nhận ngay - cách tính ngày', 'OTHER')).toEqual({ timeValue: null, timeUnit: null, timeText: 'tiếp nhận ngay - cách tính ngày' });
    expect(portalTime(0, 'OTHER')).toEqual({ timeValue: null, timeUnit: null });
  });

  it('says "Miễn phí" for no fee or 0, keeping a 0 fee\'s note for the description', () => {
    expect(portalFees([])).toEqual({ feeText: 'Miễn phí', feeAmounts: [], notes: [] });
    expect(portalFees([{ type: 'FEE', value: 0, description: 'Không quy định' }])).toEqual({ feeText: 'Miễn phí', feeAmounts: [], notes: ['Không quy định'] });
    expect(portalFees([{ type: 'FEE', value: 50000, currencyName: 'Việt Nam Đồng', description: '' }])).toEqual({ feeText: '50.000 đồng', feeAmounts: [50000], notes: [] });
    expect(formatVnd(1200000)).toBe('1.200.000');
  });
});

describe('parsePortalText', () => {
  it('reads every fixture line and reports bad lines by number', () => {
    const internal = { ...raws[0], code: '1.999001', isInternal: true };
    const noId = { ...raws[0], id: '' };
    const noCode = { ...raws[0], code: '', codeNotation: '' };
    const lines = [fixtureLines[0], '{"broken": ', JSON.stringify(internal), '', JSON.stringify(noId), JSON.stringify(noCode), fixtureLines[0], ...fixtureLines.slice(1)];
    const { procedures, errors } = parsePortalText(lines.join('\n'));
    expect(procedures.map((p) => p.code)).toEqual(['1.014027', '1.010824', '1.116909', '1.115959', '1.013743']);
    expect(errors).toEqual([
      { line: 2, reason: expect.stringMatching(/^bad JSON/) },
      { line: 3, reason: '1.999001: internal procedure (isInternal: between agencies, not for citizens)' },
      { line: 5, reason: '1.014027: no id, so no portal page address' },
      { line: 6, reason: 'no code' },
      { line: 7, reason: 'duplicate code 1.014027 (first at line 1)' },
    ]);
  });

  it('drops HTML tags and composes decomposed Vietnamese', () => {
    const r = { ...raws[0], name: 'Thực hiện <b>trợ cấp</b>\n hưu trí xã hội'.normalize('NFD') };
    const parsed = parsePortalRecord(r);
    expect(parsed.ok && parsed.procedure.title).toBe('Thực hiện trợ cấp hưu trí xã hội');
  });
});
