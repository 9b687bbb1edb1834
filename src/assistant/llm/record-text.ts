import { CHANNEL_LABELS, type ChannelTerms, type Procedure } from '../../knowledge/procedure.ts';

/** Enough for a few full records while keeping a call cheap and quick. */
export const DEFAULT_RECORDS_BUDGET = 12_000;

/** Collapses whitespace and cuts long listing cells, which can run to pages of pasted legal text. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Missing values are written out, so the model can say "not stated" instead of filling the gap itself. */
function channelLine(c: ChannelTerms): string {
  const time =
    c.timeText ?? (c.timeValue !== null ? `${c.timeValue} ${c.timeUnit ?? '(không ghi đơn vị)'}` : 'không ghi');
  const fee = c.feeText ?? 'không có thông tin';
  const desc = c.description ? `; ${clip(c.description, 400)}` : '';
  return `- ${CHANNEL_LABELS[c.channel]}: thời hạn ${time}; phí/lệ phí: ${fee}${desc}`;
}

function documentLines(p: Procedure, maxDocs = 30): string[] {
  const lines: string[] = [];
  let shown = 0;
  let total = 0;
  for (const g of p.documentGroups) {
    total += g.documents.length;
    const room = maxDocs - shown;
    if (room <= 0) continue;
    if (g.title) lines.push(`  ${clip(g.title, 200)}`);
    for (const d of g.documents.slice(0, room)) {
      const counts = [
        d.originals !== null ? `bản chính: ${d.originals}` : null,
        d.copies !== null ? `bản sao: ${d.copies}` : null,
        d.form ? `mẫu: ${clip(d.form, 80)}` : null,
      ].filter(Boolean);
      lines.push(`- ${clip(d.name, 250)}${counts.length ? ` (${counts.join(', ')})` : ''}`);
      shown++;
    }
  }
  if (total > shown) lines.push(`- … (${total - shown} giấy tờ khác)`);
  return lines;
}

/** One record as compact labelled text, in the listing's own Vietnamese field names. */
export function recordText(p: Procedure): string {
  const out = [`Thủ tục: ${p.title}`, `Mã: ${p.code}`, `Cấp thực hiện: ${p.levels.join(', ')}`];
  const field = (label: string, v: string | null, max = 300) => v && out.push(`${label}: ${clip(v, max)}`);
  field('Cơ quan có thẩm quyền', p.competentAgency);
  field('Cơ quan thực hiện', p.executingAgency);
  field('Địa chỉ tiếp nhận', p.receivingAddress);
  field('Cơ quan được ủy quyền', p.authorisedAgency);
  if (p.channels.length) out.push('Cách thức thực hiện:', ...p.channels.map(channelLine));
  const docs = documentLines(p);
  if (docs.length) out.push('Thành phần hồ sơ:', ...docs);
  if (p.steps.length) {
    out.push('Trình tự thực hiện:', ...p.steps.slice(0, 10).map((s) => `- ${clip(s, 300)}`));
    if (p.steps.length > 10) out.push('- …');
  }
  field('Yêu cầu, điều kiện', p.conditions, 800);
  field('Kết quả', p.result);
  if (p.legalBasis.length) {
    out.push('Căn cứ pháp lý:', ...p.legalBasis.slice(0, 5).map((l) => `- ${clip([l.number, l.title].filter(Boolean).join(' '), 160)}`));
  }
  out.push(`Link: ${p.url}`);
  return out.join('\n');
}

export interface SerialisedRecords {
  text: string;
  /** Codes of the records that made it into `text`, for checking what the model claims to have used. */
  codes: string[];
}

/**
 * Records in the given (ranked) order until the budget runs out, cut at record boundaries so the model never
 * sees half a procedure. The first record is always kept, clipped if it alone is too long: it is the best match.
 */
export function serialiseRecords(records: Procedure[], maxChars = DEFAULT_RECORDS_BUDGET): SerialisedRecords {
  const parts: string[] = [];
  const codes: string[] = [];
  let used = 0;
  for (const [i, p] of records.entries()) {
    const block = `[${i + 1}]\n${recordText(p)}`;
    const cost = block.length + (parts.length ? 2 : 0);
    if (used + cost > maxChars) {
      if (parts.length) break;
      // The link is the one line the answer must end with, so it survives the cut.
      const link = `\nLink: ${p.url}`;
      parts.push(`${block.slice(0, Math.max(0, maxChars - link.length - 2))}…${link}`);
      codes.push(p.code);
      break;
    }
    parts.push(block);
    codes.push(p.code);
    used += cost;
  }
  return { text: parts.join('\n\n'), codes };
}
