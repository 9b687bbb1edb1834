import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { type CommuneProfile, CommuneProfileSchema, EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadGuideQuestions } from '../../src/knowledge/guide-questions.ts';
import { withModel } from '../../src/knowledge/model/index.ts';
import { SHIPPED_KNOWLEDGE_DIR } from '../../src/knowledge/phrase-lists.ts';
import type { Procedure } from '../../src/knowledge/procedure.ts';
import { isCommuneLevel } from '../../src/retrieval/indexer.ts';
import {
  type CaseAnswer,
  type Checklist,
  checklistLines,
  feeFacts,
  feeMessage,
  guideQuestions,
  handledAtCommune,
  hasOnlineChannel,
  inPersonSteps,
  onlineSteps,
  parseGuideAnswer,
  personalChecklist,
  renderChecklist,
} from '../../src/services/guide/index.ts';

const ALL = loadCatalogue(SHIPPED_KNOWLEDGE_DIR).map(withModel);
const record = (code: string) => ALL.find((p) => p.code === code)!;
const KHAI_SINH = record('1.001193');
const KET_HON = record('1.000894');
const THUONG_TRU = record('1.004222');
const CHUNG_THUC = record('2.000815');
const HO_KINH_DOANH = record('1.001612');

const item = (p: ReturnType<typeof record>, g: number, i: number) => p.model.groups[g]!.items[i]!;
const texts = (c: Checklist, kind: 'submit' | 'show' | 'other' = 'submit') => c[kind].map((l) => l.text);
const line = (c: Checklist, text: string) => checklistLines(c).find((l) => l.text === text);
const caseId = (p: ReturnType<typeof record>, label: string) => p.model.cases.find((c) => c.label === label)!.id;

const PROFILE: CommuneProfile = CommuneProfileSchema.parse({
  centre: { name: 'Trung tâm Phục vụ hành chính công xã Thử Nghiệm', address: 'Số 1 đường Thử Nghiệm', openingHours: null, hotline: '0225 3000 000' },
  hours: { weekly: { mon: '07:30-17:00', tue: '07:30-17:00', wed: '07:30-17:00', thu: '07:30-17:00', fri: '07:30-17:00', sat: '07:30-11:30' }, lunchBreak: '11:30-13:30' },
  uploadRules: { formats: ['PDF', 'JPG', 'PNG'], maxSizeMb: 10 },
});

describe('the five procedures of the issue, read by eye', () => {
  it('are the commune-level records the issue names', () => {
    expect([KHAI_SINH, KET_HON, THUONG_TRU, CHUNG_THUC, HO_KINH_DOANH].map((p) => [p.title, handledAtCommune(p)])).toEqual([
      ['Thủ tục đăng ký khai sinh', true],
      ['Thủ tục đăng ký kết hôn', true],
      ['Đăng ký thường trú', true],
      [expect.stringMatching(/^Chứng thực bản sao từ bản chính/), true],
      ['Đăng ký thành lập hộ kinh doanh', true],
    ]);
  });
});

describe('questions: only the cases that change what to bring', () => {
  it('khai sinh asks about the birth certificate first (inverted), its witness follow-up, then the rarer cases', () => {
    const qs = guideQuestions(KHAI_SINH);
    expect(qs.map((q) => [q.text, q.label])).toEqual([
      ['Bé có Giấy chứng sinh không?', 'không có Giấy chứng sinh'],
      ['Có người làm chứng xác nhận về việc sinh không?', 'không có người làm chứng'],
      ['Có phải trường hợp trẻ em bị bỏ rơi không?', 'trẻ em bị bỏ rơi'],
      ['Bạn có nhờ người khác đi nộp thay (ủy quyền) không?', 'ủy quyền thực hiện việc đăng ký khai sinh'],
    ]);
    const [gcs, witness] = qs;
    // "Có" to "Bé có Giấy chứng sinh không?" means the record's case "không có Giấy chứng sinh" does not hold
    expect(gcs!.choices).toEqual([
      { id: `guide:a:${gcs!.caseId}:no`, label: 'Có' },
      { id: `guide:a:${gcs!.caseId}:yes`, label: 'Không' },
      { id: `guide:a:${gcs!.caseId}:unknown`, label: 'Không rõ' },
    ]);
    expect(witness!.onlyIf).toEqual({ caseId: gcs!.caseId, answers: ['yes'] });
  });

  it('no question asks how the dossier is sent, a legal reference, or a case only notes and steps mention', () => {
    const asked = guideQuestions(KHAI_SINH).map((q) => q.label);
    expect(asked).not.toContain('người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính');
    expect(asked).not.toContain('người được ủy quyền là ông'); // a note's case
    expect(guideQuestions(KET_HON)).toEqual([]); // its cases are all in notes and steps
    expect(guideQuestions(CHUNG_THUC)).toEqual([]);
  });

  it('thường trú asks which kind of residence, most papers first, in the record’s words', () => {
    expect(guideQuestions(THUONG_TRU).map((q) => [q.label, q.impact])).toEqual([
      ['Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình', 5],
      ['Đăng ký thường trú tại cơ sở tín ngưỡng, cơ sở tôn giáo có công trình phụ trợ là nhà ở', 3],
      ['Đăng ký thường trú tại nơi đơn vị đóng quân trong Công an nhân dân, Quân đội nhân nhân nhân (đơn vị đóng quân, nhà ở công vụ)', 3],
      ['Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ', 2],
    ]);
    expect(guideQuestions(THUONG_TRU)[3]!.text).toBe('Bạn đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ, đúng không?');
  });

  it('hộ kinh doanh asks about authorisation, then the identity account only for those who authorise', () => {
    const qs = guideQuestions(HO_KINH_DOANH);
    expect(qs.map((q) => q.text)).toEqual([
      'Bạn có nhờ người khác đi nộp thay (ủy quyền) không?',
      'Bạn đã có tài khoản định danh điện tử để thực hiện xác thực điện tử chưa?',
      'Có phải hộ kinh doanh do các thành viên hộ gia đình đăng ký thành lập không?',
    ]);
    expect(qs[1]!.onlyIf).toEqual({ caseId: qs[0]!.caseId, answers: ['yes', 'unknown'] });
    expect(qs[1]!.inverted).toBe(true);
  });

  it('at most `max`, English choices on request, answer ids parse back', () => {
    expect(guideQuestions(KHAI_SINH, { max: 2 })).toHaveLength(2);
    const en = guideQuestions(KHAI_SINH, { lang: 'en' })[0]!;
    expect(en.choices.map((c) => c.label)).toEqual(['Yes', 'No', 'Not sure']);
    expect(en.text).toContain('không có Giấy chứng sinh');
    expect(parseGuideAnswer('guide:a:c4:no')).toEqual({ caseId: 'c4', answer: 'no' });
    expect(parseGuideAnswer('proc:1.001193')).toBeNull();
  });
});

describe('the personal checklist, line by line against the record', () => {
  const ks = {
    abandoned: caseId(KHAI_SINH, 'trẻ em bị bỏ rơi'),
    proxy: caseId(KHAI_SINH, 'ủy quyền thực hiện việc đăng ký khai sinh'),
    surrogacy: caseId(KHAI_SINH, 'khai sinh cho trẻ em sinh ra do mang thai hộ'),
    noCertificate: caseId(KHAI_SINH, 'không có Giấy chứng sinh'),
    noWitness: caseId(KHAI_SINH, 'không có người làm chứng'),
  };

  it('khai sinh with a birth certificate, nobody abandoned, no proxy: the papers for everyone', () => {
    const c = personalChecklist(KHAI_SINH, { [ks.noCertificate]: 'no', [ks.abandoned]: 'no', [ks.proxy]: 'no', [ks.surrogacy]: 'no' });
    expect(texts(c)).toEqual([item(KHAI_SINH, 0, 3).text, item(KHAI_SINH, 2, 0).text, item(KHAI_SINH, 2, 1).text]);
    expect(line(c, item(KHAI_SINH, 0, 3).text)).toMatchObject({ condition: null, applies: null, originals: 1 });
    expect(texts(c, 'show')).toEqual([item(KHAI_SINH, 1, 0).text, item(KHAI_SINH, 1, 1).text]);
    // the proxy's note goes with the proxy's paper
    expect(c.notNeeded.some((n) => n.includes('văn bản ủy quyền không phải chứng thực'))).toBe(false);
    expect(c.decision).toBe('163/QĐ-BTP');
    expect(c.listingDate).toBe('2026-07-20');
  });

  it('born at home, no witness, abandoned, by proxy: the fallback that applies, the extra papers, no condition left', () => {
    const c = personalChecklist(KHAI_SINH, { [ks.noCertificate]: 'yes', [ks.noWitness]: 'yes', [ks.abandoned]: 'yes', [ks.proxy]: 'yes', [ks.surrogacy]: 'no' });
    expect(texts(c)).toEqual([item(KHAI_SINH, 0, 0).text, item(KHAI_SINH, 0, 1).text, item(KHAI_SINH, 0, 3).text, item(KHAI_SINH, 2, 0).text, item(KHAI_SINH, 2, 1).text]);
    expect(line(c, item(KHAI_SINH, 0, 0).text)!.condition).toBeNull();
    expect(line(c, item(KHAI_SINH, 0, 3).text)!.applies).toBe(item(KHAI_SINH, 0, 3).alternatives[1]!.text);
    expect(c.notNeeded).toContain(item(KHAI_SINH, 0, 1).notes[0]);
    // with a witness: the first fallback
    const witness = personalChecklist(KHAI_SINH, { [ks.noCertificate]: 'yes', [ks.noWitness]: 'no' });
    expect(line(witness, item(KHAI_SINH, 0, 3).text)!.applies).toBe(item(KHAI_SINH, 0, 3).alternatives[0]!.text);
  });

  it('"Không rõ" keeps the item with the record’s condition', () => {
    const c = personalChecklist(KHAI_SINH, { [ks.abandoned]: 'unknown', [ks.proxy]: 'no' });
    expect(line(c, item(KHAI_SINH, 0, 0).text)!.condition).toBe('trẻ em bị bỏ rơi');
    expect(line(c, item(KHAI_SINH, 0, 2).text)!.condition).toBe('khai sinh cho trẻ em sinh ra do mang thai hộ'); // not asked
    expect(line(c, item(KHAI_SINH, 0, 1).text)).toBeUndefined();
  });

  it('the channel chosen settles the papers of one way of sending', () => {
    const tờKhai = item(KHAI_SINH, 2, 0).text;
    expect(line(personalChecklist(KHAI_SINH, {}, { channel: 'truc_tuyen' }), tờKhai)).toBeUndefined();
    expect(line(personalChecklist(KHAI_SINH, {}, { channel: 'truc_tiep' }), tờKhai)!.condition).toBeNull();
    expect(line(personalChecklist(KHAI_SINH, {}), tờKhai)!.condition).toMatch(/hình thức trực tiếp/);
  });

  it('thường trú in rented housing: that group’s papers, not the owner’s; groups no question settles keep their condition', () => {
    const [own, religious, barracks, rented] = guideQuestions(THUONG_TRU).map((q) => q.caseId);
    const c = personalChecklist(THUONG_TRU, { [own!]: 'no', [religious!]: 'no', [barracks!]: 'no', [rented!]: 'yes' });
    const g = THUONG_TRU.model.groups;
    expect(texts(c)).toEqual([...g[1]!.items, ...g[2]!.items, ...g[6]!.items].map((i) => i.text));
    expect(c.submit.filter((l) => g[6]!.items.some((i) => i.text === l.text)).map((l) => l.condition)).toEqual([null, null]);
    expect(line(c, g[1]!.items[0]!.text)!.condition).toBe(g[1]!.when);
    // the owner: the model files "… không thuộc quyền sở hữu của mình …" under the owner's case; its papers go
    const owner = personalChecklist(THUONG_TRU, { [own!]: 'yes', [religious!]: 'no', [barracks!]: 'no', [rented!]: 'no' });
    expect(texts(owner)).toEqual([...g[0]!.items, ...g[1]!.items, ...g[7]!.items].map((i) => i.text));
    expect(owner.forms).toContain('Mẫu CT01');
  });

  it('the forms list never shows a paper’s name cut for length: the paper is whole in the list above it', () => {
    const p = record('1.000005');
    const long = p.model.groups.flatMap((g) => g.items).find((i) => i.name.startsWith('Tờ khai hàng hóa nhập khẩu theo các chỉ tiêu'))!;
    expect(long.name.endsWith('Thông tư số')).toBe(true); // the name is cut at a word, mid-clause
    const c = personalChecklist(p, {});
    expect(c.forms).not.toContain(long.name);
    expect(texts(c)).toContain(long.text);
  });

  it('hộ kinh doanh without a proxy drops every proxy paper; with one keeps them, each with its own kind of proxy', () => {
    const [proxy, account, family] = guideQuestions(HO_KINH_DOANH).map((q) => q.caseId);
    const g = HO_KINH_DOANH.model.groups;
    const none = personalChecklist(HO_KINH_DOANH, { [proxy!]: 'no', [family!]: 'no' });
    expect(texts(none)).toEqual([g[1]!.items[0]!.text]);
    const some = personalChecklist(HO_KINH_DOANH, { [proxy!]: 'yes', [account!]: 'no', [family!]: 'yes' });
    expect(texts(some)).toEqual([0, 1, 2, 3, 4].map((i) => g[0]!.items[i]!.text).concat(g[1]!.items.map((i) => i.text)));
    expect(line(some, g[0]!.items[2]!.text)!.condition).toBe(g[0]!.items[2]!.when);
    expect(line(some, g[0]!.items[1]!.text)!.condition).toBeNull();
  });

  it('kết hôn and chứng thực: one checklist for everyone, the record’s items whole', () => {
    expect(texts(personalChecklist(KET_HON, {}))).toEqual([...KET_HON.model.groups[1]!.items, ...KET_HON.model.groups[2]!.items].map((i) => i.text));
    expect(texts(personalChecklist(CHUNG_THUC, {}))).toEqual([item(CHUNG_THUC, 0, 0).text]);
  });

  it('a record with neither updatedAt nor a known copy date says so', () => {
    const bqp = ALL.find((p) => p.origin === 'bqp')!;
    expect(personalChecklist(bqp, {}).listingDate).toBeNull();
    expect(renderChecklist(personalChecklist(bqp, {}), 'vi').at(-1)!.text).toContain('không rõ ngày của bản lưu danh mục');
    const portal = ALL.find((p) => p.updatedAt)!;
    expect(personalChecklist(portal, {})).toMatchObject({ listingDate: portal.updatedAt!.slice(0, 10), listingDateKind: 'updated' });
  });

  it('renders every line whole, the decision, the date and the official page', () => {
    const msgs = renderChecklist(personalChecklist(KHAI_SINH, { [ks.noCertificate]: 'yes' }), 'vi');
    const all = msgs.map((m) => m.text).join('\n');
    for (const l of checklistLines(personalChecklist(KHAI_SINH, { [ks.noCertificate]: 'yes' }))) expect(all).toContain(l.text);
    expect(all).toContain(`→ Trường hợp của bạn: ${item(KHAI_SINH, 0, 3).alternatives[0]!.text}`);
    expect(all).toContain('Theo Quyết định công bố 163/QĐ-BTP. Bản lưu danh mục thủ tục ngày 20/07/2026.');
    for (const m of msgs) expect(m.text).toContain(KHAI_SINH.url);
    expect(renderChecklist(personalChecklist(KHAI_SINH, {}), 'en')[0]!.text).toMatch(/^Papers for your case — Thủ tục đăng ký khai sinh/);
  });
});

describe('online steps and in person', () => {
  it('online: VNeID level 2 at the commune police, the record’s page, the uploads as the profile says, the mã hồ sơ', () => {
    const m = onlineSteps(KHAI_SINH, EMPTY_PROFILE, null, 'vi')!;
    expect(m.text).toContain('VNeID mức độ 2');
    expect(m.text).toContain('Công an cấp xã');
    expect(m.text).toContain(`Mở trang thủ tục: ${KHAI_SINH.url}`);
    expect(m.text).toContain('Cổng dịch vụ công ghi rõ định dạng và dung lượng');
    expect(m.text).not.toMatch(/\bMB\b|PDF/);
    expect(m.text).toContain('mã hồ sơ');
    expect(m.text).toContain('Danh mục thủ tục cho phép nộp hồ sơ trực tuyến.');
    expect(m.text).not.toMatch(/toàn trình/i);
    expect(m.text).toContain('Phí, lệ phí: miễn phí (hồ sơ ghi: "Miễn phí")');
  });

  it('online with an admin’s override and the profile’s upload rules', () => {
    const m = onlineSteps(THUONG_TRU, PROFILE, { fullyOnline: true, portalUrl: 'https://dichvucong.haiphong.gov.vn/thu-tuc/1.004222' }, 'vi')!;
    expect(m.text).toContain('Mở trang thủ tục: https://dichvucong.haiphong.gov.vn/thu-tuc/1.004222');
    expect(m.text).toContain('toàn trình');
    expect(m.text).toContain('định dạng PDF, JPG, PNG, mỗi tệp tối đa 10 MB');
    expect(m.text).toContain('Thời hạn giải quyết: 7 ngày làm việc');
    expect(m.text).toContain('Phí, lệ phí: 10,000 Việt Nam Đồng');
    expect(onlineSteps(THUONG_TRU, PROFILE, { fullyOnline: false, portalUrl: null }, 'vi')!.text).not.toMatch(/toàn trình/i);
  });

  it('no online channel: null; a record without a page of its own: search its code', () => {
    expect(hasOnlineChannel(CHUNG_THUC)).toBe(false);
    expect(onlineSteps(CHUNG_THUC, PROFILE, null, 'vi')).toBeNull();
    const bqp = ALL.find((p) => p.urlKind === 'search' && hasOnlineChannel(p))!;
    expect(onlineSteps(bqp, EMPTY_PROFILE, null, 'vi')!.text).toContain(`tìm mã thủ tục ${bqp.code}`);
  });

  it('in person without profile values: says so, never an hour or an address', () => {
    const m = inPersonSteps(KHAI_SINH, EMPTY_PROFILE, 'vi');
    expect(m.text).toContain('Trợ lý chưa có địa chỉ của Trung tâm');
    expect(m.text).toContain('Trợ lý chưa có giờ làm việc của Trung tâm.');
    expect(m.text).not.toMatch(/\d{1,2}:\d{2}|\d{1,2}h\d{0,2}\b/);
    expect(m.text).toContain('danh sách ở trên');
  });

  it('in person with the profile: the centre, its hours, the in-person fee verbatim', () => {
    const m = inPersonSteps(THUONG_TRU, PROFILE, 'vi');
    expect(m.text).toContain('Nơi nộp: Trung tâm Phục vụ hành chính công xã Thử Nghiệm, Số 1 đường Thử Nghiệm');
    expect(m.text).toContain('Giờ làm việc: Thứ Hai–Thứ Sáu 07:30-17:00; Thứ Bảy 07:30-11:30; nghỉ trưa 11:30-13:30');
    expect(m.text).toContain('Phí, lệ phí: 20,000 Việt Nam Đồng');
    const text = CommuneProfileSchema.parse({ ...PROFILE, centre: { ...PROFILE.centre, openingHours: 'Sáng 7h30–11h30, chiều 13h30–17h' } });
    expect(inPersonSteps(KHAI_SINH, text, 'en').text).toContain('Opening hours: Sáng 7h30–11h30, chiều 13h30–17h');
  });
});

describe('fees', () => {
  it('free, said plainly', () => {
    expect(feeFacts(KHAI_SINH, 'truc_tuyen')).toMatchObject({ feeText: 'Miễn phí', free: true, exactAmount: null });
    const m = feeMessage(KHAI_SINH, 'truc_tuyen', 'vi').text;
    expect(m).toContain('Thủ tục này miễn phí khi nộp trực tuyến');
    expect(m).not.toContain('Quản lý hồ sơ');
  });

  it('one amount for the channel: exact; the online message leads with the portal’s payment path', () => {
    expect(feeFacts(THUONG_TRU, 'truc_tuyen')).toMatchObject({ feeText: '10,000 Việt Nam Đồng', free: false, exactAmount: 10000 });
    const m = feeMessage(THUONG_TRU, 'truc_tuyen', 'vi').text;
    expect(m.indexOf('"Quản lý hồ sơ"')).toBeLessThan(m.indexOf('Hồ sơ ghi: 10,000 Việt Nam Đồng'));
    expect(m).toContain('"Yêu cầu thanh toán"');
    expect(m).toContain('cách duy nhất được tính là thanh toán trực tuyến');
    expect(m).toContain('Số tiền phải nộp: 10.000 đồng.');
  });

  it('exemptions in the record’s words', () => {
    const f = feeFacts(THUONG_TRU, 'truc_tiep');
    expect(f.exemptions).toHaveLength(1);
    expect(THUONG_TRU.channels.find((c) => c.channel === 'truc_tiep')!.description).toContain(f.exemptions[0]!.replace(/^\(/, ''));
    expect(feeMessage(THUONG_TRU, 'truc_tiep', 'vi').text).toContain('Miễn, giảm (theo hồ sơ):');
  });

  it('several amounts, per page, or set by the province: no amount, the centre states it', () => {
    expect(feeFacts(CHUNG_THUC, 'truc_tiep')).toMatchObject({ feeText: '2,000 Việt Nam Đồng; 10 USD', exactAmount: null });
    expect(feeFacts(HO_KINH_DOANH, 'truc_tuyen')).toMatchObject({ feeText: '150,000 Việt Nam Đồng', exactAmount: null });
    expect(feeMessage(HO_KINH_DOANH, 'truc_tiep', 'vi').text).toContain('Số tiền cụ thể cho trường hợp của bạn do Trung tâm thông báo');
    expect(feeFacts(KET_HON, 'truc_tiep')).toMatchObject({ free: true, exemptions: [] });
  });
});

describe('every commune-level record, all answers unknown', () => {
  const commune = ALL.filter((p) => isCommuneLevel(p));
  const itemTexts = (p: Procedure) => new Set(withModel(p).model.groups.flatMap((g) => g.items.map((i) => i.text)));

  it('is the whole commune catalogue', () => {
    expect(commune.length).toBeGreaterThan(700);
  });

  it('questions: at most four, each with Có / Không / Không rõ, labels the record’s own', () => {
    for (const p of commune) {
      const qs = guideQuestions(p);
      expect(qs.length).toBeLessThanOrEqual(4);
      for (const q of qs) {
        expect(p.model!.cases.map((c) => c.label)).toContain(q.label);
        expect(q.choices.map((c) => c.label)).toEqual(['Có', 'Không', 'Không rõ']);
        expect(q.choices.map((c) => parseGuideAnswer(c.id)!.answer).sort()).toEqual(['no', 'unknown', 'yes']);
      }
    }
  });

  it('every line is an item of the record, whole; every message within 2,000 characters with the official page', () => {
    for (const p of commune) {
      const answers: Record<string, CaseAnswer> = Object.fromEntries(guideQuestions(p).map((q) => [q.caseId, 'unknown']));
      const c = personalChecklist(p, answers);
      const known = itemTexts(p);
      for (const l of checklistLines(c)) expect(known.has(l.text), `${p.code}: ${l.text.slice(0, 60)}`).toBe(true);
      const messages = [
        ...renderChecklist(c, 'vi'),
        ...renderChecklist(c, 'en'),
        onlineSteps(p, PROFILE, { fullyOnline: true, portalUrl: null }, 'vi'),
        onlineSteps(p, EMPTY_PROFILE, null, 'en'),
        inPersonSteps(p, PROFILE, 'vi'),
        inPersonSteps(p, EMPTY_PROFILE, 'en'),
        ...(['truc_tiep', 'truc_tuyen', 'buu_chinh'] as const).flatMap((ch) => [feeMessage(p, ch, 'vi', answers), feeMessage(p, ch, 'en', answers)]),
      ].filter((m) => m !== null);
      for (const m of messages) {
        expect(m.text.length, `${p.code}: ${m.text.slice(0, 80)}`).toBeLessThanOrEqual(2000);
        expect(m.text).toContain(p.url);
      }
      // split only between whole items: an item that fits a message is never split across two
      const rendered = renderChecklist(c, 'vi').map((m) => m.text);
      for (const l of checklistLines(c)) if (l.text.length < 1500) expect(rendered.some((t) => t.includes(l.text)), `${p.code}`).toBe(true);
    }
  });
});

describe('knowledge/guide-questions.json', () => {
  const copy = (edit: (j: any) => void) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-questions-'));
    const json = JSON.parse(fs.readFileSync(path.join(SHIPPED_KNOWLEDGE_DIR, 'guide-questions.json'), 'utf8'));
    edit(json);
    fs.writeFileSync(path.join(dir, 'guide-questions.json'), JSON.stringify(json));
    return dir;
  };

  it('a pattern that does not compile, or one listed twice, is an error naming the file', () => {
    expect(() => loadGuideQuestions(copy((j) => j.questions.push({ pattern: '^(không', text: 'x?', inverted: false })))).toThrow(/guide-questions.json: questions.*not a valid regular expression/);
    expect(() => loadGuideQuestions(copy((j) => j.questions.push(j.questions[0])))).toThrow(/listed twice/);
  });

  it('questions come from the data: a new pattern changes the wording, the label stays the record’s', () => {
    const phrases = loadGuideQuestions(copy((j) => j.questions.unshift({ pattern: '^(trẻ em bị bỏ rơi)$', text: 'Bé là {1}?', inverted: false })));
    const q = guideQuestions(KHAI_SINH, { questions: phrases }).find((x) => x.label === 'trẻ em bị bỏ rơi')!;
    expect(q.text).toBe('Bé là trẻ em bị bỏ rơi?');
  });
});
