import type { Procedure } from '../../src/knowledge/procedure.ts';

/** A valid Procedure with the given overrides, for tests that need records of a known shape. */
export function makeProcedure(over: Partial<Procedure> & Pick<Procedure, 'code' | 'title'>): Procedure {
  return {
    levels: ['Cấp xã'],
    field: 'Hộ tịch',
    kind: null,
    targets: ['Công dân Việt Nam'],
    competentAgency: null,
    executingAgency: null,
    receivingAddress: null,
    authorisedAgency: null,
    coordinatingAgency: null,
    channels: [
      { channel: 'truc_tiep', timeValue: 3, timeUnit: 'Ngày làm việc', feeText: 'Miễn phí', feeAmounts: [], description: '' },
    ],
    steps: ['Bước 1: Nộp hồ sơ.', 'Bước 2: Nhận kết quả.'],
    documentGroups: [{ title: null, documents: [{ name: 'Tờ khai', originals: 1, copies: null, form: null }] }],
    conditions: null,
    legalBasis: [{ number: '123/2015/NĐ-CP', title: 'Nghị định quy định chi tiết Luật Hộ tịch' }],
    result: null,
    relatedProcedures: null,
    url: `https://dichvucong.gov.vn/thu-tuc-hanh-chinh/${over.code}`,
    decision: null,
    source: 'bo-tu-phap',
    ...over,
  };
}
