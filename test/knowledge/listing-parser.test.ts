import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cleanResult,
  parseChannelTable,
  parseLegalBasis,
  parseListingRecord,
  parseListingText,
  splitLevels,
  splitNameAndForm,
  splitSteps,
  splitTargets,
} from '../../src/knowledge/listing-parser.ts';
import type { Procedure } from '../../src/knowledge/procedure.ts';

/** Raw, unmodified lines copied from /work/shared/data/tthc_dvcqg_2642.jsonl. */
const FIXTURE = new URL('../fixtures/listing-sample.jsonl', import.meta.url);
const fixtureText = fs.readFileSync(FIXTURE, 'utf8');
const fixtureLines = fixtureText.split('\n').filter((l) => l.trim() !== '');
const rawByCode = new Map<string, unknown>(
  fixtureLines.map((l) => {
    const raw = JSON.parse(l) as { ma_thu_tuc: string };
    return [raw.ma_thu_tuc, raw];
  }),
);

function procedure(code: string): Procedure {
  const parsed = parseListingRecord(rawByCode.get(code));
  if (!parsed.ok) throw new Error(`${code}: ${parsed.reason}`);
  return parsed.procedure;
}

const legal = (p: Procedure, number: string) => p.legalBasis.find((l) => l.number === number);
const group = (p: Procedure, title: string | null) => p.documentGroups.find((g) => g.title === title);

describe('1.001193 Thủ tục đăng ký khai sinh', () => {
  const p = procedure('1.001193');

  it('reads the identifying fields', () => {
    expect(p.code).toBe('1.001193');
    expect(p.title).toBe('Thủ tục đăng ký khai sinh');
    expect(p.levels).toEqual(['Cấp xã']);
    expect(p.field).toBe('Hộ tịch');
    expect(p.decision).toBe('163/QĐ-BTP');
    expect(p.source).toBe('bo-tu-phap');
    expect(p.url).toBe('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7');
    expect(p.targets).toEqual(['Công dân Việt Nam', 'Người Việt Nam định cư ở nước ngoài']);
    expect(p.competentAgency).toBeNull(); // "" in the listing
    expect(p.relatedProcedures).toBeNull(); // "Không có thông tin"
    expect(p.conditions).toBeNull();
  });

  it('keeps the time the listing gives without inventing the lost unit', () => {
    // "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí"
    expect(p.channels).toEqual([
      { channel: 'truc_tuyen', timeValue: 1, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '' },
      { channel: 'buu_chinh', timeValue: 1, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '' },
      { channel: 'truc_tiep', timeValue: 1, timeUnit: null, feeText: 'Miễn phí', feeAmounts: [], description: '' },
    ]);
  });

  it('splits the document table into its headed groups', () => {
    expect(p.documentGroups.map((g) => g.title)).toEqual([
      '* Giấy tờ phải nộp:',
      '* Giấy tờ phải xuất trình:',
      '* Lưu ý:',
      null,
    ]);
    const submit = group(p, '* Giấy tờ phải nộp:')!;
    expect(submit.documents).toHaveLength(5);
    expect(submit.documents[0]).toEqual({
      name: 'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.',
      originals: 1,
      copies: null,
      form: null,
    });
    const birthCertificate = submit.documents[4]!;
    expect(birthCertificate.name).toBe(
      'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.',
    );
    expect(birthCertificate.originals).toBe(1);
    expect(group(p, '* Giấy tờ phải xuất trình:')!.documents).toHaveLength(6);
    const forms = group(p, null)!.documents;
    expect(forms.map((d) => d.originals)).toEqual([0, 1, 1]);
    expect(forms[1]!.name).toMatch(/^Tờ khai đăng ký khai sinh theo mẫu {2}\(nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp/);
  });

  it('pairs every legal document title with its number', () => {
    expect(p.legalBasis).toHaveLength(15);
    expect(p.legalBasis.every((l) => l.number !== null)).toBe(true);
    expect(legal(p, '123/2015/NĐ-CP')!.title).toBe(
      'Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch',
    );
    expect(legal(p, '60/2014/QH13')!.title).toBe('Luật 60/2014/QH13'); // "Luật 60/2014/QH1360/2014/QH13"
    expect(legal(p, '03/2023/TT-BTP')!.title).toBe('Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp');
    expect(legal(p, '66.7/2025/NQ-CP')!.title).toBe(
      'Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ liệu',
    );
    // "…của Bộ Tư pháp18/2026/NĐ-CP Nghị định quy định về Cơ sở dữ liệu hộ tịch…87/2020/NĐ-CP"
    expect(legal(p, '18/2026/NĐ-CP')!.title).toMatch(/^Nghị định sửa đổi, bổ sung một số nghị định để cắt giảm/);
    expect(legal(p, '87/2020/NĐ-CP')!.title).toBe('Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử, đăng ký hộ tịch trực tuyến');
  });

  it('keeps the result without the portal UI text', () => {
    expect(p.result).toBe('Giấy khai sinh');
  });

  it('splits the steps on their bullets', () => {
    expect(p.steps).toHaveLength(12);
    expect(p.steps[0]).toMatch(/^Nếu lựa chọn hình thức nộp hồ sơ trực tiếp, người yêu cầu đăng ký khai sinh/);
    expect(p.steps[2]).toContain('\n(i) Trường hợp hồ sơ đầy đủ, hợp lệ thì tiếp nhận hồ sơ');
    expect(p.steps).toContain('* Lưu ý:');
  });
});

describe('1.000894 Thủ tục đăng ký kết hôn', () => {
  const p = procedure('1.000894');

  it('keeps the exemption text of each channel verbatim', () => {
    expect(p.channels.map((c) => [c.channel, c.timeValue, c.timeUnit, c.feeText])).toEqual([
      ['truc_tuyen', 1, null, 'Miễn phí'],
      ['buu_chinh', 1, null, 'Miễn phí'],
      ['truc_tiep', 1, null, 'Miễn phí'],
    ]);
    expect(p.channels[0]!.description).toBe(
      '(Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu) thực hiện theo quy định tại Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính.)',
    );
    expect(p.channels[1]!.description).toMatch(/^\(\(Miễn lệ phí\./); // the listing doubles the parentheses here
  });

  it('reads the documents to show and the forms', () => {
    const show = group(p, '* Giấy tờ phải xuất trình:')!;
    expect(show.documents).toHaveLength(6);
    expect(show.documents[0]!.name).toMatch(/^Hộ chiếu\/Thẻ căn cước công dân\/Thẻ căn cước\/Căn cước điện tử/);
    expect(show.documents[0]!.originals).toBe(1);
    expect(group(p, '* Lưu ý :')!.documents).toHaveLength(14);
    const declaration = group(p, null)!.documents.find((d) => d.name.startsWith('Tờ khai đăng ký kết hôn theo mẫu'))!;
    expect(declaration.originals).toBe(1);
  });

  it('separates law numbers written twice in a row', () => {
    expect(p.legalBasis).toHaveLength(16);
    expect(legal(p, '52/2014/QH13')).toEqual({ number: '52/2014/QH13', title: 'Luật 52/2014/QH13' });
    expect(legal(p, '60/2014/QH13')).toEqual({ number: '60/2014/QH13', title: 'Luật 60/2014/QH13' });
    expect(legal(p, '04/2020/TT-BTP')!.title).toBe(
      'Hướng dẫn Luật hộ tịch và Nghị định 123/2015/NĐ-CP hướng dẫn Luật hộ tịch do Bộ trưởng Bộ Tư pháp ban hành',
    );
  });

  it('cuts the result at the portal UI', () => {
    expect(p.result).toBe('Giấy chứng nhận kết hôn');
  });
});

describe('1.004222 Đăng ký thường trú', () => {
  const p = procedure('1.004222');

  it('reads time with unit, fee amount and the exemption description', () => {
    expect(p.channels).toHaveLength(2);
    expect(p.channels[0]).toEqual({
      channel: 'truc_tuyen',
      timeValue: 7,
      timeUnit: 'Ngày làm việc',
      feeText: '10,000 Việt Nam Đồng',
      feeAmounts: [10000],
      description: '(Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10.000 đồng/lần đăng ký.)',
    });
    const direct = p.channels[1]!;
    expect([direct.channel, direct.timeValue, direct.timeUnit, direct.feeText, direct.feeAmounts]).toEqual([
      'truc_tiep',
      7,
      'Ngày làm việc',
      '20,000 Việt Nam Đồng',
      [20000],
    ]);
    expect(direct.description).toMatch(
      /^\(Trường hợp công dân thuộc diện được miễn phí theo quy định tại Điều 4 Thông tư số 75\/2022\/TT-BTC/,
    );
  });

  it('splits the "Bước N" steps', () => {
    expect(p.steps).toHaveLength(5);
    expect(p.steps[0]).toBe('Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật.');
    expect(p.steps[1]).toBe('Bước 2: Cá nhân, tổ chức nộp hồ sơ đến Công an cấp xã.');
    expect(p.steps[4]).toMatch(/^Bước 5: Căn cứ theo ngày hẹn trên Phiếu tiếp nhận hồ sơ/);
  });

  it('makes one group per case heading', () => {
    const rented = group(p, 'Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ')!;
    expect(rented.documents).toHaveLength(2);
    expect(rented.documents[0]!.name).toMatch(/^Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ/);
    expect(rented.documents[0]!.originals).toBe(1);
    expect(group(p, 'Đăng ký thường trú tại cơ sở tín ngưỡng, cơ sở tôn giáo có công trình phụ trợ là nhà ở')!.documents).toHaveLength(5);
  });

  it('lists every result and drops the "Mã: KQ…" codes', () => {
    expect(p.result).toBe(
      [
        'Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư',
        'Thông báo kết quả giải quyết thủ tục về cư trú, hủy bỏ thủ tục về cư trú',
        'Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)',
        'Cập nhật thông tin trong Cơ sở dữ liệu về cư trú',
      ].join('\n'),
    );
  });

  it('reads the legal basis, including an all-caps title', () => {
    expect(p.legalBasis).toHaveLength(11);
    expect(legal(p, '68/2020/QH14')!.title).toBe('Luật Cư trú 2020');
    expect(legal(p, '154/2024/NĐ-CP')!.title).toBe('Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú');
    expect(legal(p, '57/2021/TT-BCA')!.title).toBe('Thông tư 57/2021/TT-BCA');
    expect(legal(p, '58/2026/NĐ-CP')!.title).toMatch(/^SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA CÁC NGHỊ ĐỊNH/);
    expect(p.decision).toBe('1523/QĐ-BCA-C06');
    expect(p.competentAgency).toBe('Công an cấp Xã');
  });
});

describe('1.001612 Đăng ký thành lập hộ kinh doanh', () => {
  const p = procedure('1.001612');

  it('reads levels and the target list with commas inside parentheses', () => {
    expect(p.levels).toEqual(['Cấp bộ', 'Cấp xã']);
    expect(p.targets).toEqual(['Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Công dân Việt Nam']);
  });

  it('leaves the time empty where the listing says "Không có thông tin"', () => {
    expect(p.channels.map((c) => [c.channel, c.timeValue, c.timeUnit, c.feeText, c.feeAmounts])).toEqual([
      ['truc_tuyen', null, null, '150,000 Việt Nam Đồng', [150000]],
      ['buu_chinh', null, null, '150,000 Việt Nam Đồng', [150000]],
      ['truc_tiep', null, null, '50,000 VNĐ', [50000]],
    ]);
    expect(p.channels[2]!.description).toMatch(/^\(- Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định/);
  });

  it('reads "0 bản chính,1 bản sao" rows and the heading of the group', () => {
    const proxy = group(p, 'Trường hợp ủy quyền thực hiện thủ tục thì hồ sơ phải kèm theo một trong những giấy tờ sau:')!;
    expect(proxy.documents).toHaveLength(6);
    expect(proxy.documents.every((d) => d.originals === 0 && d.copies === 1)).toBe(true);
    expect(proxy.documents[4]!.name).toMatch(/^\(i\) Trường hợp ủy quyền cho cá nhân thực hiện thủ tục đăng ký hộ kinh doanh/);
    expect(group(p, null)!.documents[0]).toEqual({ name: 'Giấy đề nghị đăng ký hộ kinh doanh;', originals: 1, copies: null, form: null });
  });

  it('splits a year glued to the next number ("Luật Doanh nghiệp 202076/2025/QH15")', () => {
    expect(p.legalBasis).toEqual([
      { number: '76/2025/QH15', title: 'Luật sửa đổi, bổ sung một số điều của Luật Doanh nghiệp 2020' },
      {
        number: '68/2025/TT-BTC',
        title: 'Thông tư số 68/2025/TT-BTC của Bộ Tài chính: Ban hành biểu mẫu sử dụng trong đăng ký doanh nghiệp, đăng ký hộ kinh doanh',
      },
      { number: '168/2025/NĐ-CP', title: 'Nghị định số 168/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ về đăng ký doanh nghiệp' },
      {
        number: '85/2019/TT-BTC',
        title: 'Thông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương',
      },
      { number: '59/2020/QH14', title: 'Luật Doanh nghiệp' },
    ]);
  });

  it('keeps both results', () => {
    expect(p.result).toBe(
      'Thông báo bằng văn bản nội dung cần sửa đổi, bổ sung của Cơ quan đăng ký kinh doanh cấp xã\nGiấy chứng nhận đăng ký  hộ kinh doanh',
    );
  });
});

describe('2.000815 Chứng thực bản sao từ bản chính', () => {
  const p = procedure('2.000815');

  it('keeps both fee rows of the same channel, VND amounts only', () => {
    expect(p.channels).toHaveLength(2);
    expect(p.channels[0]!).toMatchObject({ channel: 'truc_tiep', timeValue: null, feeText: '2,000 Việt Nam Đồng', feeAmounts: [2000] });
    expect(p.channels[0]!.description).toMatch(/^\(\/trang\)Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng: 2\.000 đồng\/trang;/);
    expect(p.channels[1]).toEqual({
      channel: 'truc_tiep',
      timeValue: null,
      timeUnit: null,
      feeText: '10 USD',
      feeAmounts: [],
      description: '(/bản)Tại cơ quan đại diện: 10 USD/bản.',
    });
  });

  it('reads the single document and the legal basis', () => {
    expect(p.levels).toEqual(['Cấp xã', 'Cơ quan khác']);
    expect(p.documentGroups).toHaveLength(1);
    expect(p.documentGroups[0]!.title).toBeNull(); // "--"
    expect(p.documentGroups[0]!.documents).toHaveLength(1);
    expect(p.documentGroups[0]!.documents[0]!.name).toMatch(/^Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao/);
    expect(p.documentGroups[0]!.documents[0]!.originals).toBe(1);
    expect(p.legalBasis).toHaveLength(6);
    expect(legal(p, '23/2015/NĐ-CP')!.title).toBe(
      'Về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch',
    );
    expect(legal(p, '226/2016/TT-BTC')!.title).toBe('Thông tư 226/2016/TT-BTC'); // "Thông tư \t226/2016/TT-BTC226/2016/TT-BTC"
    expect(p.result).toBe('Bản sao được chứng thực từ bản chính');
  });
});

describe('1.014064 Cấp lại thẻ căn cước', () => {
  const p = procedure('1.014064');

  it('reads the channels', () => {
    expect(p.channels.map((c) => [c.channel, c.timeValue, c.timeUnit, c.feeText, c.feeAmounts])).toEqual([
      ['truc_tiep', 7, 'Ngày làm việc', '70,000 Việt Nam Đồng', [70000]],
      ['truc_tuyen', 7, 'Ngày làm việc', '70,000 Việt Nam Đồng', [70000]],
      ['buu_chinh', 7, 'Ngày làm việc', null, []],
    ]);
    expect(p.channels[0]!.description).toMatch(
      /^\(- Cấp lại thẻ căn cước đối với các trường hợp quy định tại khoản 2 Điều 24 Luật Căn cước: 70\.000 đồng\/thẻ căn cước\./,
    );
    expect(p.channels[2]!.description).toBe('Trả kết quả qua dịch vụ bưu chính, trả phí theo quy định.');
  });

  it('separates the form file from the document name', () => {
    const docs = p.documentGroups[0]!.documents;
    expect(docs).toHaveLength(4);
    expect(docs[1]).toEqual({
      name: 'Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02 ban hành kèm theo Thông tư số 17/2024/TT-BCA của Bộ Công an)',
      originals: 1,
      copies: null,
      form: 'Mẫu DC02 Phiếu đề nghị giải quyết thủ tục về căn cước.doc',
    });
    expect(docs[0]!.originals).toBe(0);
  });

  it('reads the legal basis, the steps and the result', () => {
    expect(p.legalBasis.map((l) => l.number)).toEqual([
      '190/2025/NQ-QH15',
      '16/2024/TT-BCA',
      '17/2024/TT-BCA',
      '53/2025/TT-BCA',
      '70/2024/NĐ-CP',
      '18/2024/TT-BCA',
      '26/2023/QH15',
    ]);
    expect(legal(p, '26/2023/QH15')!.title).toBe('Luật Căn cước');
    // "Thông tư số 53/2025/TT-BCAngày 01/7/2025 …": a space lost inside the title is not a cell boundary
    expect(legal(p, '53/2025/TT-BCA')!.title).toMatch(/^Thông tư số 53\/2025\/TT-BCAngày 01\/7\/2025 của Bộ Công an/);
    expect(p.steps).toHaveLength(7);
    expect(p.steps[1]).toBe(
      'Bước 2: Cán bộ thu nhận thông tin công dân tìm kiếm thông tin trong Cơ sở dữ liệu quốc gia về dân cư để lập hồ sơ cấp lại thẻ căn cước.',
    );
    expect(p.result).toBe('Thẻ căn cước');
  });
});

describe('channel cells that cannot be split safely', () => {
  it('keeps "120,000 VNĐ" whole when the lost time could be 1 or nothing (1.000005)', () => {
    expect(procedure('1.000005').channels).toEqual([
      {
        channel: 'truc_tuyen',
        timeValue: null,
        timeUnit: null,
        feeText: '120,000 VNĐ',
        feeAmounts: [],
        description:
          '(Theo khoản 1 Điều 3 Thông tư số 172/2010/TT-BTC ngày 02/11/2010 của Bộ Tài chính hướng dẫn mức mức thu, chế độ thu, nộp, quản lý và sử dụng lệ phí trong lĩnh vực hải quan)',
      },
    ]);
  });

  it('splits "1100,000 VNĐ" (only 1 + 100,000 is well formed) but not "1100 VNĐ" (2.002044)', () => {
    const [online, post, direct] = procedure('2.002044').channels;
    expect(online).toMatchObject({ timeValue: 1, timeUnit: null, feeText: 'Miễn phí' });
    expect(post).toMatchObject({ channel: 'buu_chinh', timeValue: null, feeText: '1100 VNĐ', feeAmounts: [] });
    expect(direct).toMatchObject({ channel: 'truc_tiep', timeValue: 1, timeUnit: null, feeText: '100,000 VNĐ', feeAmounts: [100000] });
  });

  it('keeps a time cell written in words (1.009824)', () => {
    expect(procedure('1.009824').channels[0]).toEqual({
      channel: 'truc_tiep',
      timeValue: null,
      timeUnit: null,
      timeText: 'Hệ thống giải quyết thủ tục hành chính ngành Thuế thực hiện phản hồi tự động thông qua phương thức điện tử.',
      feeText: null,
      feeAmounts: [],
      description: 'Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã',
    });
  });
});

describe('parseListingRecord rejections', () => {
  it('drops a record whose saved page is another procedure', () => {
    const result = parseListingRecord(rawByCode.get('1.002544'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^code mismatch/);
  });

  it('reports missing required fields and invalid values', () => {
    expect(parseListingRecord({ ten_thu_tuc: 'x' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^malformed record/) });
    expect(parseListingRecord(null)).toMatchObject({ ok: false });
    const badUrl = { ...(rawByCode.get('1.001193') as object), detail_url: 'not a url' };
    expect(parseListingRecord(badUrl)).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid procedure: url/) });
  });
});

describe('parseListingText', () => {
  it('imports the fixture and reports the code-mismatch line', () => {
    const { procedures, errors } = parseListingText(fixtureText);
    expect(procedures).toHaveLength(fixtureLines.length - 1);
    expect(errors).toEqual([{ line: 10, reason: expect.stringMatching(/^code mismatch/) }]);
  });

  it('reports a bad JSON line by number, skips blanks and later duplicates, imports the rest', () => {
    const [first, second, third] = fixtureLines;
    const text = [first, '', '{"ma_thu_tuc": "9.999999", broken', second, '   ', third, first, '{"ten_thu_tuc": "no code"}'].join('\n');
    const { procedures, errors } = parseListingText(text);
    expect(procedures.map((p) => p.code)).toEqual(['1.001193', '1.000894', '1.004222']);
    expect(errors.map((e) => e.line)).toEqual([3, 7, 8]);
    expect(errors[0]!.reason).toMatch(/^bad JSON/);
    expect(errors[1]!.reason).toBe('duplicate code 1.001193 (first at line 1)');
    expect(errors[2]!.reason).toMatch(/^malformed record: ma_thu_tuc/);
  });
});

describe('helpers', () => {
  it('splitLevels / splitTargets', () => {
    expect(splitLevels('Cấp bộ, Cấp tỉnh, Cấp xã')).toEqual(['Cấp bộ', 'Cấp tỉnh', 'Cấp xã']);
    expect(splitTargets('Công dân Việt Nam, Cán bộ, công chức, viên chức, Tổ chức (không bao gồm doanh nghiệp, HTX)')).toEqual([
      'Công dân Việt Nam',
      'Cán bộ, công chức, viên chức',
      'Tổ chức (không bao gồm doanh nghiệp, HTX)',
    ]);
    expect(splitTargets('Không có thông tin')).toEqual([]);
  });

  it('parseChannelTable reads an empty table as no rows', () => {
    expect(parseChannelTable('Hình thức nộpThời gianPhí, lệ phíMô tả')).toEqual([]);
    // a channel name inside a description ("Trực tuyến: nộp…") does not start a row
    expect(parseChannelTable('Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến2 GiờMiễn phíTrực tuyến: nộp qua Cổng').length).toBe(1);
  });

  it('parseLegalBasis handles glued runs of numbers and cell prefixes', () => {
    expect(parseLegalBasis('Không có thông tin')).toEqual([]);
    expect(
      parseLegalBasis('Tên văn bản pháp lýMã văn bảnLuật Địa chất và Khoáng sản54/2024/QH15193/2025/NĐ-CP193/2025/NĐ-CPLuật sửa đổiLuật số 146/2025/QH15'),
    ).toEqual([
      { number: '54/2024/QH15', title: 'Luật Địa chất và Khoáng sản' },
      { number: '193/2025/NĐ-CP', title: '193/2025/NĐ-CP' },
      { number: '146/2025/QH15', title: 'Luật sửa đổi' },
    ]);
    expect(parseLegalBasis('Tên văn bản pháp lýMã văn bảnLuật Khiếu nại năm 201102/2011/QH13Quy định chi tiết75/2012/NĐ-CPQUY ĐỊNH X')).toEqual([
      { number: '02/2011/QH13', title: 'Luật Khiếu nại năm 2011' },
      { number: '75/2012/NĐ-CP', title: 'Quy định chi tiết' },
      { number: null, title: 'QUY ĐỊNH X' },
    ]);
  });

  it('splitNameAndForm only separates a file name it can find', () => {
    expect(splitNameAndForm('Giấy đề nghị theo mẫuTK 1.002334.docx')).toEqual({ name: 'Giấy đề nghị theo mẫu', form: 'TK 1.002334.docx' });
    expect(splitNameAndForm('Báo cáo tài chínhMẫu số 01.docxMẫu số 02.docx')).toEqual({
      name: 'Báo cáo tài chính',
      form: 'Mẫu số 01.docx; Mẫu số 02.docx',
    });
    expect(splitNameAndForm('Đơn đề nghị theo mẫu quy địnhvăn bản đề nghị.docx').form).toBeNull();
  });

  it('splitSteps and cleanResult', () => {
    expect(splitSteps('Bước 1: Nộp hồ sơ. Bước 2: Nhận kết quả.')).toEqual(['Bước 1: Nộp hồ sơ.', 'Bước 2: Nhận kết quả.']);
    expect(splitSteps('Không có thông tin')).toEqual([]);
    expect(cleanResult('Văn bản tố tụng của Tòa án theo tiến trình giải quyếtMã: VBTT')).toBe(
      'Văn bản tố tụng của Tòa án theo tiến trình giải quyết',
    );
    expect(cleanResult('')).toBeNull();
  });
});
