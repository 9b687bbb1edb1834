import { describe, expect, it } from 'vitest';
import { columnChart } from '../../src/reports/column-chart.ts';
import { funnelReport } from '../../src/reports/funnel.ts';
import { indicatorsReport } from '../../src/reports/indicators.ts';
import { NO_TOPIC_LABEL, topicOf } from '../../src/reports/unanswered.ts';
import type { DossierIndicatorRow, GuideRunRow } from '../../src/storage/report-queries.ts';

describe('unanswered topic of a message', () => {
  it.each([
    ['Xin hỏi cấp lại sổ đỏ bị mất thế nào?', 'cap lai so do', 'cấp lại sổ đỏ'],
    ['CẤP LẠI SỔ ĐỎ', 'cap lai so do', 'cấp lại sổ đỏ'],
    ['[số căn cước] của em bị mất, làm lại căn cước', 'bi mat lai can', 'bị mất lại căn'],
    ['ơi ơi?', '', NO_TOPIC_LABEL],
  ])('%j → %j', (text, key, label) => {
    expect(topicOf(text)).toEqual({ key, label });
  });
});

const run = (steps: string[], extra: Partial<GuideRunRow> = {}): GuideRunRow => ({
  guideId: 'g',
  channel: 'web',
  procedureCode: '1.001193',
  startedAt: new Date(),
  steps,
  done: false,
  free: false,
  rated: false,
  ...extra,
});

describe('funnel', () => {
  it('a free dossier passes the payment steps once submitted, not before', () => {
    const r = funnelReport([run(['started', 'checklist', 'channel_chosen', 'submitted'], { free: true }), run(['started', 'checklist'], { free: true })]);
    expect(r.steps.map((s) => s.count)).toEqual([2, 2, 1, 1, 1, 1, 0, 0]);
    expect(r.steps[6]!.shareOfPrevious).toBe(0);
    expect(r.steps[7]!.shareOfPrevious).toBeNull();
  });
});

describe('indicators on their own rows', () => {
  const row = (d: Partial<DossierIndicatorRow>): DossierIndicatorRow => ({
    createdAt: new Date('2026-11-05T00:00:00Z'),
    submittedVia: 'online',
    status: 'submitted',
    paymentMethod: null,
    paymentStatus: null,
    feeCharged: true,
    dueAt: null,
    doneAt: null,
    ...d,
  });
  const nov = { from: new Date('2026-10-31T17:00:00Z'), to: new Date('2026-11-30T17:00:00Z') };

  it('only zero-fee dossiers: no payment rate (not 0%)', () => {
    const r = indicatorsReport([row({ feeCharged: false, paymentMethod: 'exempt' }), row({ feeCharged: false })], nov);
    expect(r.indicators[1]).toMatchObject({ numerator: 0, denominator: 0, rate: null });
    expect(r.indicators[0]).toMatchObject({ numerator: 2, denominator: 2, rate: 1 });
  });

  it('done a second after the due instant is late; done in another month is not counted', () => {
    const r = indicatorsReport(
      [
        row({ status: 'done', dueAt: new Date('2026-11-10T10:00:00Z'), doneAt: new Date('2026-11-10T10:00:01Z') }),
        row({ status: 'done', dueAt: new Date('2026-12-10T10:00:00Z'), doneAt: new Date('2026-12-01T10:00:00Z') }),
      ],
      nov,
    );
    expect(r.indicators[2]).toMatchObject({ numerator: 0, denominator: 1, rate: 0 });
  });
});

describe('column chart', () => {
  it('stacks each column in proportion to the largest and escapes its text', () => {
    const svg = columnChart({
      id: 'c',
      title: '<t>',
      captions: [],
      legend: [],
      columns: [
        { label: '1', name: 'a&b', segments: [{ name: 'x', value: 2, color: '#111' }, { name: 'y', value: 2, color: '#222' }] },
        { label: '2', name: 'b', segments: [{ name: 'x', value: 1, color: '#111' }] },
      ],
      emptyText: '',
    });
    expect(svg).not.toContain('<t>');
    expect(svg).toContain('a&amp;b');
    const heights = [...svg.matchAll(/class="bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    expect(heights[0]! + heights[1]!).toBeCloseTo(140, 5);
    expect(heights[2]).toBeCloseTo(35, 5);
  });

  it('says so when there is nothing to draw', () => {
    const svg = columnChart({ id: 'e', title: 't', captions: [], legend: [], columns: [{ label: '1', name: 'a', segments: [] }], emptyText: 'Trống' });
    expect(svg).toContain('Trống');
    expect(svg).not.toContain('class="bar"');
  });
});
