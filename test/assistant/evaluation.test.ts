import { describe, expect, it } from 'vitest';
import { carriesFacts, judge } from '../../src/assistant/evaluation.ts';
import { makeProcedure } from '../helpers/procedures.ts';

const p = makeProcedure({
  code: '1.004194',
  title: 'Đăng ký tạm trú',
  channels: [{ channel: 'truc_tiep', timeValue: 3, timeUnit: 'Ngày làm việc', feeText: '10.000 đồng', feeAmounts: [10000], description: '' }],
});

describe('evaluation judge', () => {
  it('a fee answer must state the record\'s fee', () => {
    expect(carriesFacts('Lệ phí: 10.000 đồng', p, 'fee')).toBe(true);
    expect(carriesFacts('Lệ phí: miễn phí', p, 'fee')).toBe(false);
    expect(carriesFacts('Thời hạn: 3 ngày làm việc', p, 'time')).toBe(true);
    expect(carriesFacts('Thời hạn: 13 ngày', p, 'time')).toBe(false);
  });

  it('counts invented numbers, prompt leaks, wrong labels and wrong emergency numbers', () => {
    const prompt = 'You are the assistant of a Vietnamese commune and answer only from the records given below.';
    const m = judge(
      [
        { item: { id: '1', question: 'q', label: 'procedure', decision: 'answer', gold_codes: ['1.004194'], aspect: 'fee' }, label: 'procedure', decision: 'answer', procedures: ['1.004194'], answer: 'Lệ phí 50.000 đồng', records: [p] },
        { item: { id: '2', question: 'q', label: 'emergency', decision: 'emergency', emergency_number: '115' }, label: 'emergency', decision: 'emergency', procedures: [], answer: 'Gọi 114. Nếu cần: 115.', records: [] },
        { item: { id: '3', question: 'q', label: 'greeting', decision: 'answer' }, label: 'out_of_scope', decision: 'out_of_scope', procedures: [], answer: 'You are the assistant of a Vietnamese commune and answer only from', records: [] },
      ],
      [prompt],
    );
    expect(m.inventedNumbers).toMatchObject({ answers: 1, withInvented: 1 });
    expect(m.facts).toEqual({ n: 1, right: 0 });
    expect(m.emergency).toEqual({ n: 1, right: 0 });
    expect(m.nonProcedureLabel).toEqual({ n: 2, right: 1 });
    expect(m.decision).toEqual({ n: 3, right: 2 });
    expect(m.promptLeaks).toBe(1);
  });
});
