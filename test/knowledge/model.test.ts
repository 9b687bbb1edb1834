import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { type ModelItem, modelProcedure, modelStats } from '../../src/knowledge/model/index.ts';
import { itemText, readItem } from '../../src/knowledge/model/items.ts';
import type { Procedure } from '../../src/knowledge/procedure.ts';

/** The procedure model on records read by eye (the committed knowledge base). */
const all = loadCatalogue(path.resolve('knowledge'));
const byCode = (code: string): Procedure => {
  const p = all.find((x) => x.code === code);
  if (!p) throw new Error(`missing ${code}`);
  return p;
};
const items = (code: string): ModelItem[] => modelProcedure(byCode(code)).groups.flatMap((g) => g.items);
const item = (code: string, name: RegExp) => {
  const it = items(code).find((i) => name.test(i.name));
  if (!it) throw new Error(`no item ${name} in ${code}: ${items(code).map((i) => i.name).join(' | ')}`);
  return it;
};

describe('procedure model', () => {
  it('khai sinh (1.001193): the birth certificate keeps its fallbacks in order, whole', () => {
    const gcs = item('1.001193', /^Giấy chứng sinh$/);
    expect(gcs.when).toBeNull();
    expect(gcs.text).toBe(
      'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.',
    );
    expect(gcs.alternatives.map((a) => [a.when, a.name])).toEqual([
      ['không có Giấy chứng sinh', 'Văn bản của người làm chứng xác nhận về việc sinh'],
      ['không có người làm chứng', 'Giấy cam đoan về việc sinh'],
    ]);
  });

  it('khai sinh: rare cases carry their condition, notes are not papers, groups know submit from show', () => {
    const m = modelProcedure(byCode('1.001193'));
    expect(item('1.001193', /bỏ rơi/).when).toBe('trẻ em bị bỏ rơi');
    expect(item('1.001193', /mang thai hộ/).when).toBe('khai sinh cho trẻ em sinh ra do mang thai hộ');
    const proxy = item('1.001193', /^Văn bản ủy quyền$/);
    expect(proxy.when).toBe('ủy quyền thực hiện việc đăng ký khai sinh');
    expect(proxy.notes[0]).toMatch(/^Trường hợp người được ủy quyền là ông, bà, cha, mẹ/);
    // "… thì không phải nộp bản giấy" (0 bản) is a note of its group, never a paper to bring
    expect(items('1.001193').some((i) => /không phải nộp bản giấy/.test(i.text))).toBe(false);
    expect(m.groups[0]!.notes.some((n) => /không phải nộp bản giấy/.test(n))).toBe(true);
    expect(m.groups.map((g) => g.kind)).toContain('show');
    expect(m.cases.map((c) => c.label)).toEqual(expect.arrayContaining(['trẻ em bị bỏ rơi', 'không có Giấy chứng sinh', 'không có người làm chứng']));
    // the listing lost the unit of "1": the model says so for every channel
    expect(m.timeUnitLost.sort()).toEqual(['buu_chinh', 'truc_tiep', 'truc_tuyen']);
  });

  it('khai tử (1.000656): a death registered long after, without a death notice, is a case', () => {
    const m = modelProcedure(byCode('1.000656'));
    expect(item('1.000656', /^Giấy báo tử/).when).toBeNull();
    expect(m.cases.some((c) => /người chết đã lâu, không có Giấy báo tử/.test(c.label))).toBe(true);
  });

  it('thường trú (1.004222): headings that name a situation are cases whose papers inherit them', () => {
    const m = modelProcedure(byCode('1.004222'));
    const rent = m.groups.find((g) => /do thuê, mượn, ở nhờ/.test(g.title ?? ''));
    expect(rent?.when).toMatch(/thuê, mượn, ở nhờ/);
    expect(rent?.items.some((i) => /^Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ/.test(i.text))).toBe(true);
  });

  it('hộ kinh doanh (1.001612): a heading "Trường hợp ủy quyền … thì …" gives its condition, not the whole heading', () => {
    const m = modelProcedure(byCode('1.001612'));
    expect(m.groups.some((g) => g.when === 'ủy quyền thực hiện thủ tục')).toBe(true);
    expect(item('1.001612', /^Giấy đề nghị đăng ký hộ kinh doanh/).when).toBeNull();
  });

  it('reads "(nếu có)", trailing "trong trường hợp …" and "(nếu …)" conditions without changing the text', () => {
    expect(readItem('Giấy tờ chứng minh nơi cư trú (nếu có)')).toMatchObject({ when: 'nếu có', name: 'Giấy tờ chứng minh nơi cư trú' });
    expect(readItem('Tờ khai theo mẫu (nếu người có yêu cầu nộp hồ sơ trực tiếp);').when).toBe('người có yêu cầu nộp hồ sơ trực tiếp');
    expect(readItem('Trường hợp ủy quyền cho đơn vị không phải là bưu chính công ích thì nộp hợp đồng').when).toBe('ủy quyền cho đơn vị không phải là bưu chính công ích');
  });

  it('over the whole listing: every item keeps its text whole', () => {
    const s = modelStats(all, (p) => p.documentGroups.flatMap((g) => g.documents.map((d) => itemText(d.name))));
    expect(s.items).toBeGreaterThan(10_000);
    expect(s.itemsKeptWhole).toBe(s.items);
    expect(s.itemsWithCondition).toBeGreaterThan(1000);
    expect(s.itemsWithAlternatives).toBeGreaterThan(10);
    expect(s.recordsWithCase).toBeGreaterThan(1000);
  });
});
