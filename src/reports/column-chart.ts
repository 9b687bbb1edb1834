import { escapeMarkup } from './escape.ts';
import { chartDocument, chartHeader, MUTED, PAD, textEl, WIDTH, type ChartSegment } from './svg-chart.ts';

/**
 * A small column chart for a time series (conversations per day), as a self-contained SVG string: one column per
 * day or month, stacked from segments (one per channel), the largest total at the top of the scale, and a few
 * labels under the axis. Same conventions as the bar chart (src/reports/svg-chart.ts): presentation attributes,
 * no external resource, every text escaped; a month of days fits a phone's width.
 */

export interface ColumnChartSpec {
  id: string;
  title: string;
  captions: string[];
  legend: { label: string; color: string }[];
  /** One per column, in time order: its axis label ('5', 'T11'), its full name for the tooltip, its segments. */
  columns: { label: string; name: string; segments: ChartSegment[] }[];
  emptyText: string;
}

const PLOT_HEIGHT = 140;
const AXIS_WIDTH = 28;
// At most this many axis labels: every n-th column is labelled.
const MAX_LABELS = 8;

export function columnChart(spec: ColumnChartSpec): string {
  const header = chartHeader(spec);
  const parts = header.parts;
  let y = header.y;

  const totals = spec.columns.map((c) => c.segments.reduce((s, seg) => s + Math.max(0, seg.value), 0));
  const max = Math.max(0, ...totals);
  if (max === 0 || spec.columns.length === 0) {
    parts.push(textEl(PAD, y + 14, spec.emptyText, { fill: MUTED }));
    y += 30;
  } else {
    const left = PAD + AXIS_WIDTH;
    const plotWidth = WIDTH - PAD - left;
    const top = y + 4;
    const bottom = top + PLOT_HEIGHT;
    const step = plotWidth / spec.columns.length;
    const barWidth = Math.max(1, step * 0.72);
    // The scale: 0 and the largest total, with a light line at each.
    parts.push(`<line x1="${left}" y1="${top}" x2="${WIDTH - PAD}" y2="${top}" stroke="#eef1f4"/>`);
    parts.push(`<line x1="${left}" y1="${bottom}" x2="${WIDTH - PAD}" y2="${bottom}" stroke="#8c959f"/>`);
    parts.push(textEl(left - 4, top + 4, String(max), { fill: MUTED, anchor: 'end', size: 11 }));
    parts.push(textEl(left - 4, bottom, '0', { fill: MUTED, anchor: 'end', size: 11 }));
    const every = Math.ceil(spec.columns.length / MAX_LABELS);
    spec.columns.forEach((col, i) => {
      const x = left + i * step + (step - barWidth) / 2;
      let base = bottom;
      for (const seg of col.segments) {
        if (seg.value <= 0) continue;
        const h = (seg.value / max) * PLOT_HEIGHT;
        base -= h;
        parts.push(
          `<rect class="bar" x="${x.toFixed(2)}" y="${base.toFixed(2)}" width="${barWidth.toFixed(2)}" height="${h.toFixed(2)}" fill="${escapeMarkup(seg.color)}">` +
            `<title>${escapeMarkup(`${col.name} — ${seg.name}: ${seg.value}`)}</title></rect>`,
        );
      }
      if (i % every === 0) parts.push(textEl(left + i * step + step / 2, bottom + 14, col.label, { fill: MUTED, anchor: 'middle', size: 11 }));
    });
    y = bottom + 20;
  }
  return chartDocument(spec.id, spec.title, y, parts);
}
