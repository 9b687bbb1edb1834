/**
 * Cross-check of the flattened-table parsing against the clean tables of the Bộ Quốc phòng
 * export. Its `content` does not hold the flattened tables (`cách_thức_thực_hiện` is empty,
 * no "Hình thức nộp…"/"Tên văn bản pháp lý…" headers), so the flattened string is rebuilt
 * from the tables the way the portal scraper produced it: header + cells concatenated.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bqpLevels, PORTAL_HOME, parseBqpRecord, parseBqpText } from '../../src/knowledge/bqp-parser.ts';
import { parseChannelTable, parseLegalBasis } from '../../src/knowledge/listing-parser.ts';
import {
  type BqpChannelRow,
  type BqpLegalRow,
  channelRowAgrees,
  expectedLegal,
  flattenChannelTable,
  flattenLegalTable,
} from './bqp-flatten.ts';

interface BqpRaw {
  thu_tuc_id: string;
  content: Record<string, string>;
  tables: { hinh_thuc_nop: BqpChannelRow[]; can_cu_phap_ly: BqpLegalRow[] };
}

/** Raw, unmodified lines copied from /work/shared/data/tthc_bqp_207.jsonl. */
const FIXTURE = new URL('../fixtures/bqp-sample.jsonl', import.meta.url);
const records: BqpRaw[] = fs
  .readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as BqpRaw);
const byId = (id: string) => records.find((r) => r.thu_tuc_id === id)!;

describe('the Bộ Quốc phòng content is not flattened', () => {
  it('has no flattened channel or legal table in its content', () => {
    for (const r of records) {
      expect(r.content['cách_thức_thực_hiện']).toBe('');
      const all = Object.values(r.content).join('\n');
      expect(all).not.toContain('Hình thức nộpThời gian');
      expect(all).not.toContain('Tên văn bản pháp lýMã văn bản');
    }
  });
});

describe('channel table recovered from its flattened form', () => {
  it.each(records.map((r) => [r.thu_tuc_id, r] as const))('%s agrees with the clean table', (_id, r) => {
    const parsed = parseChannelTable(flattenChannelTable(r.tables.hinh_thuc_nop));
    expect(parsed).toHaveLength(r.tables.hinh_thuc_nop.length);
    r.tables.hinh_thuc_nop.forEach((row, i) => expect(channelRowAgrees(row, parsed[i]), JSON.stringify(row)).toBe(true));
  });

  it('reads time, unit and the first VND amount of "Phí : 2.000.000 Đồng (…)"', () => {
    const [direct] = parseChannelTable(flattenChannelTable(byId('1.013541').tables.hinh_thuc_nop));
    expect(direct).toMatchObject({
      channel: 'truc_tiep',
      timeValue: 15,
      timeUnit: 'Ngày làm việc',
      feeText: 'Phí : 2.000.000 Đồng',
      feeAmounts: [2000000],
    });
    expect(direct!.description).toMatch(/^\(Thẩm định cấp phép sử dụng vật liệu nổ công nghiệp/);
    expect(direct!.description).toMatch(/\)05 \(năm\) ngày làm việc, kể từ ngày nhận đủ hồ sơ/); // the "Mô tả" cell, glued
  });

  it('keeps a time written in words', () => {
    const [row] = parseChannelTable(flattenChannelTable(byId('1.013577').tables.hinh_thuc_nop));
    expect(row).toMatchObject({ timeValue: null, timeText: 'Chậm nhất là ngay trước khi tàu rời cảng', feeText: 'Phí : Không Đồng' });
  });
});

describe('legal basis recovered from its flattened form', () => {
  it.each(['1.013149', '1.013645', '1.013541'])('%s: every row is recovered exactly', (id) => {
    const rows = byId(id).tables.can_cu_phap_ly;
    expect(rows.every((row) => expectedLegal(row) !== null)).toBe(true);
    expect(parseLegalBasis(flattenLegalTable(rows))).toEqual(rows.map(expectedLegal));
  });

  it('1.013270: rows before a cell without a number agree; that text is kept, not turned into a number', () => {
    const rows = byId('1.013270').tables.can_cu_phap_ly;
    const parsed = parseLegalBasis(flattenLegalTable(rows));
    const firstUnreadable = rows.findIndex((row) => expectedLegal(row) === null);
    expect(rows[firstUnreadable]!.so_ky_hieu).toBe('BỘ LUẬT  HÀNG HẢI VIỆT NAM');
    expect(parsed.slice(0, firstUnreadable)).toEqual(rows.slice(0, firstUnreadable).map(expectedLegal));
    // "Luật nhập cảnh…tại Việt NamLuật 47/2014/QH13": the "Luật " prefix belongs to the number cell
    expect(parsed[5]).toEqual({
      number: '47/2014/QH13',
      title: 'Luật nhập cảnh, xuất cảnh, quá cảnh, cư trsu của người nước ngoài tại Việt Nam',
    });
    const last = parsed[parsed.length - 1]!;
    expect(last.number).toBe('42/2024/QH15');
    expect(last.title).toContain('BỘ LUẬT HÀNG HẢI VIỆT NAM');
  });

  it('1.013124: a bare "12" in the number cell is not a number; the text stays in the title', () => {
    const rows = byId('1.013124').tables.can_cu_phap_ly;
    expect(rows.map((r) => r.so_ky_hieu)).toEqual(['12']);
    expect(parseLegalBasis(flattenLegalTable(rows))).toEqual([{ number: null, title: `${rows[0]!.trich_yeu}12` }]);
  });
});

describe('parseBqpRecord', () => {
  it('keeps every record of this export, citing the national portal (search by code) and its decision', () => {
    for (const r of records) {
      const parsed = parseBqpRecord(r);
      if (!parsed.ok) throw new Error(`${r.thu_tuc_id}: ${parsed.reason}`);
      expect(parsed.procedure).toMatchObject({ code: r.thu_tuc_id, url: PORTAL_HOME, urlKind: 'search', origin: 'bqp' });
      expect(parsed.procedure.decision).toMatch(/^\d+\/QĐ-BQP$/);
    }
    expect(parseBqpRecord(byId('1.013124'))).toMatchObject({ ok: true, procedure: { url: 'https://dichvucong.gov.vn', decision: '6225/QĐ-BQP' } });
  });

  it('never builds a page address from the code, the text or the file name', () => {
    const r = byId('1.013124');
    for (const variant of [r, { ...r, source_file: 'https://dichvucong.gov.vn/ChiTietTTHC_1.013124.doc' }, { ...r, detail_url: 'https://example.com/1.013124' }]) {
      const parsed = parseBqpRecord(variant);
      expect(parsed.ok && parsed.procedure.url).toBe(PORTAL_HOME);
      expect(parsed.ok && parsed.procedure.urlKind).toBe('search');
    }
    for (const p of records.map(parseBqpRecord)) expect(p.ok && p.procedure.url).not.toContain(p.ok ? p.procedure.code : '?');
  });

  it('rejects a record with neither its page nor a publishing decision', () => {
    const r = byId('1.013124') as unknown as { metadata: Record<string, string> };
    const undecided = { ...r, metadata: { ...r.metadata, số_quyết_định: '' } };
    expect(parseBqpRecord(undecided)).toEqual({ ok: false, reason: 'no official url and no publishing decision', problem: { kind: 'no_source_address' } });
    const withPage = parseBqpRecord({ ...undecided, detail_url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/example' });
    expect(withPage).toMatchObject({ ok: true, procedure: { urlKind: 'page', decision: null } });
  });

  it('reads the export file with line numbers', () => {
    const text = fs.readFileSync(FIXTURE, 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const { procedures, errors } = parseBqpText([lines[0], '{"broken": ', lines[1]].join('\n'));
    expect(procedures.map((p) => p.code)).toEqual([records[0]!.thu_tuc_id, records[1]!.thu_tuc_id]);
    expect(errors).toEqual([{ line: 2, reason: expect.stringMatching(/^bad JSON/) }]);
  });

  it('maps the clean tables when a record does carry its page', () => {
    const url = 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/example';
    const parsed = parseBqpRecord({ ...byId('1.013124'), detail_url: url });
    if (!parsed.ok) throw new Error(parsed.reason);
    const p = parsed.procedure;
    expect(p).toMatchObject({ code: '1.013124', url, urlKind: 'page', levels: ['Cấp bộ'], decision: '6225/QĐ-BQP', source: 'bo-quoc-phong', origin: 'bqp' });
    expect(p.channels[0]).toEqual({
      channel: 'truc_tiep',
      timeValue: 30,
      timeUnit: 'Ngày làm việc',
      feeText: 'Phí : 0 Đồng',
      feeAmounts: [],
      description: '',
    });
    expect(p.documentGroups[0]!.documents[1]).toMatchObject({ originals: 1, copies: 0, form: '5-PHLCII.doc' });
    expect(p.legalBasis).toEqual([
      {
        number: '12/2021/QĐ-TTg', // "12" in the cell, completed from the title that starts with it
        title: byId('1.013124').tables.can_cu_phap_ly[0]!.trich_yeu,
      },
    ]);
    const explosives = parseBqpRecord({ ...byId('1.013541'), detail_url: url });
    expect(explosives.ok && explosives.procedure.channels[0]!.feeAmounts).toEqual([2000000, 3500000, 4000000, 5000000]);
  });

  it('writes levels the way the listing does', () => {
    expect(bqpLevels('Cấp Bộ, Cấp Tỉnh, Cấp Xã, Cơ quan khác')).toEqual(['Cấp bộ', 'Cấp tỉnh', 'Cấp xã', 'Cơ quan khác']);
  });
});
