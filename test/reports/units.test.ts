import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, toCsv } from '../../src/reports/csv.ts';
import { percentile } from '../../src/reports/handover.ts';
import { parseReportQuery } from '../../src/reports/query.ts';
import { barChart } from '../../src/reports/svg-chart.ts';
import { parseCsv } from './fixtures.ts';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+2', "'=1+2"],
    ['+84 912', "'+84 912"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['=A1,"B"', `"'=A1,""B"""`],
    ['a=b', 'a=b'],
  ])('text %j is written %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('numbers stay numbers (a negative one is not defused), empty values are empty', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('starts with the BOM, ends every row with CRLF, and reads back field for field', () => {
    const text = toCsv(['a', 'b'], [['x,y', 'Rất hài lòng'], [1, null]]);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text.slice(1))).toEqual([['a', 'b'], ['x,y', 'Rất hài lòng'], ['1', '']]);
  });
});

describe('percentile (nearest rank)', () => {
  it('is an observed value', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([4], 0.9)).toBe(4);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.9)).toBe(4);
  });
});

describe('report query', () => {
  it('a month stands for its first and last Vietnam day, a leap February included', () => {
    const q = parseReportQuery({ month: '2028-02' });
    expect(q.ok && q.value.period).toMatchObject({ from: '2028-02-01', to: '2028-02-29', label: 'Tháng 2/2028' });
    expect(q.ok && q.value.period.range.from!.toISOString()).toBe('2028-01-31T17:00:00.000Z');
    expect(q.ok && q.value.period.range.to!.toISOString()).toBe('2028-02-29T17:00:00.000Z');
  });

  it('empty form fields mean no choice', () => {
    const q = parseReportQuery({ month: '', by: '' });
    expect(q.ok && q.value).toMatchObject({ by: 'month', period: { from: null, to: null, label: 'Toàn bộ thời gian' } });
  });
});

describe('svg bar chart', () => {
  it('escapes every text and says so when there is nothing to draw', () => {
    const svg = barChart({ id: 'x"y', title: '<b>&', captions: ['"c"'], legend: [{ label: "<i>'", color: '#000' }], rows: [], emptyText: 'Trống <script>' });
    expect(svg).not.toMatch(/<b>|<i>|<script>|id="x"y/);
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).toContain('Trống &lt;script&gt;');
    expect(svg).not.toContain('class="bar"');
  });

  it('stacks segments in proportion to the largest row', () => {
    const svg = barChart({
      id: 'c',
      title: 't',
      captions: [],
      legend: [],
      rows: [
        { label: 'a', note: '', segments: [{ name: 'x', value: 2, color: '#111' }, { name: 'y', value: 2, color: '#222' }] },
        { label: 'b', note: '', segments: [{ name: 'x', value: 1, color: '#111' }, { name: 'y', value: 0, color: '#222' }] },
      ],
      emptyText: '',
    });
    const widths = [...svg.matchAll(/class="bar" x="[\d.]+" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    expect(widths[0]).toBeCloseTo(widths[1]!, 5);
    expect(widths[2]).toBeCloseTo(widths[0]! / 2, 5);
  });
});
