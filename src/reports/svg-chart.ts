import { escapeMarkup } from './escape.ts';

/**
 * A small horizontal bar chart as a self-contained SVG string, rendered on the server: one row per group (its
 * label above, its bar below, a note such as the share satisfied at the right end), each bar stacked from
 * segments. Colours are presentation attributes, not style, so the chart needs no style-src in a strict CSP and
 * no external resource; all text is escaped. Horizontal bars keep long Vietnamese labels (procedure titles)
 * readable on a phone.
 */

export interface ChartSegment {
  /** What the segment counts, for the tooltip: 'Hài lòng'. */
  name: string;
  value: number;
  color: string;
}

export interface ChartRow {
  label: string;
  segments: ChartSegment[];
  /** Short text at the bar's right end: '75% hài lòng', '12'. */
  note: string;
}

export interface BarChartSpec {
  /** Unique within a page: the SVG's title id derives from it. */
  id: string;
  title: string;
  /** Lines under the title (the period, figures that are not bars), each kept short enough to fit. */
  captions: string[];
  legend: { label: string; color: string }[];
  rows: ChartRow[];
  /** Shown instead of bars when there are no rows or every bar is empty. */
  emptyText: string;
}

// Close to a phone's content width, so 12px text stays about 12px there; the page caps the width on a desktop.
export const WIDTH = 360;
export const PAD = 12;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const TEXT = '#1f2328';
export const MUTED = '#57606a';
const NOTE_WIDTH = 110;
const ROW_HEIGHT = 44;
const BAR_HEIGHT = 16;
// Average advance of a 12px sans-serif glyph, diacritics included: enough to wrap the legend and shorten labels.
const CHAR_WIDTH = 6.6;

function fitText(text: string, maxWidth: number, charWidth = CHAR_WIDTH): string {
  const max = Math.floor(maxWidth / charWidth);
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

export function textEl(x: number, y: number, text: string, opts: { size?: number; weight?: string; fill?: string; anchor?: string } = {}): string {
  const attrs = [
    `x="${x}"`,
    `y="${y}"`,
    `font-size="${opts.size ?? 12}"`,
    `fill="${opts.fill ?? TEXT}"`,
    ...(opts.weight ? [`font-weight="${opts.weight}"`] : []),
    ...(opts.anchor ? [`text-anchor="${opts.anchor}"`] : []),
  ];
  return `<text ${attrs.join(' ')}>${escapeMarkup(text)}</text>`;
}

/** Legend items left to right, wrapped onto further lines when the width runs out. */
function legend(items: BarChartSpec['legend'], top: number): { svg: string; height: number } {
  const parts: string[] = [];
  let x = PAD;
  let y = top;
  for (const item of items) {
    const w = Math.ceil(14 + item.label.length * CHAR_WIDTH + 12);
    if (x > PAD && x + w > WIDTH - PAD) {
      x = PAD;
      y += 18;
    }
    parts.push(`<rect x="${x}" y="${y - 10}" width="10" height="10" rx="2" fill="${escapeMarkup(item.color)}"/>`);
    parts.push(textEl(x + 14, y, item.label, { fill: MUTED }));
    x += w;
  }
  return { svg: parts.join(''), height: items.length ? y - top + 22 : 0 };
}

/** The title, caption lines and legend every chart starts with: its parts, and where the plot may begin. */
export function chartHeader(spec: Pick<BarChartSpec, 'title' | 'captions' | 'legend'>): { parts: string[]; y: number } {
  const parts: string[] = [];
  let y = 22;
  parts.push(textEl(PAD, y, fitText(spec.title, WIDTH - 2 * PAD, 8), { size: 15, weight: '600' }));
  for (const line of spec.captions) {
    y += 18;
    parts.push(textEl(PAD, y, fitText(line, WIDTH - 2 * PAD), { fill: MUTED }));
  }
  y += 24;
  const leg = legend(spec.legend, y);
  parts.push(leg.svg);
  return { parts, y: y + leg.height };
}

/** The SVG document around a chart's parts: its accessible title and a white background. */
export function chartDocument(id: string, title: string, bottom: number, parts: readonly string[]): string {
  const titleId = `${id}-title`;
  const height = Math.ceil(bottom + PAD);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-labelledby="${escapeMarkup(titleId)}" font-family="${escapeMarkup(FONT)}">` +
    `<title id="${escapeMarkup(titleId)}">${escapeMarkup(title)}</title>` +
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>` +
    parts.join('') +
    `</svg>`
  );
}

export function barChart(spec: BarChartSpec): string {
  const header = chartHeader(spec);
  const parts = header.parts;
  let y = header.y;

  const totals = spec.rows.map((r) => r.segments.reduce((s, seg) => s + Math.max(0, seg.value), 0));
  const max = Math.max(0, ...totals);
  const barArea = WIDTH - 2 * PAD - NOTE_WIDTH;
  if (max === 0) {
    parts.push(textEl(PAD, y + 14, spec.emptyText, { fill: MUTED }));
    y += 30;
  } else {
    for (const row of spec.rows) {
      parts.push(textEl(PAD, y + 13, fitText(row.label, WIDTH - 2 * PAD)));
      const barTop = y + 20;
      // A light track shows the full scale, so a short bar reads as small rather than missing.
      parts.push(`<rect x="${PAD}" y="${barTop}" width="${barArea}" height="${BAR_HEIGHT}" rx="3" fill="#eef1f4"/>`);
      let x = PAD;
      for (const seg of row.segments) {
        if (seg.value <= 0) continue;
        const w = (seg.value / max) * barArea;
        parts.push(
          `<rect class="bar" x="${x.toFixed(2)}" y="${barTop}" width="${w.toFixed(2)}" height="${BAR_HEIGHT}" fill="${escapeMarkup(seg.color)}">` +
            `<title>${escapeMarkup(`${row.label} — ${seg.name}: ${seg.value}`)}</title></rect>`,
        );
        x += w;
      }
      parts.push(textEl(WIDTH - PAD, barTop + 12, fitText(row.note, NOTE_WIDTH - 6), { weight: '600', anchor: 'end' }));
      y += ROW_HEIGHT;
    }
  }
  return chartDocument(spec.id, spec.title, y, parts);
}
