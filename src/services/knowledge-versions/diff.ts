/**
 * What an uploaded source would change in the active catalogue, and the catalogue after it. Records are compared on
 * what the source says (their derived `model` left out, keys in any order). A code held by another source's record
 * changes hands only when the new record supersedes it (merge-sources.ts: more recent, else the more specific
 * source); replace mode removes the codes the file's own source had and the file lacks, and nothing of any other.
 */
import { type Origin, supersedes } from '../../knowledge/merge-sources.ts';
import { CHANNEL_LABELS, type Procedure } from '../../knowledge/procedure.ts';

export type ImportMode = 'replace' | 'merge';

export interface FieldChange {
  field: string;
  /** What the preview calls the field, in Vietnamese. */
  label: string;
  before: string;
  after: string;
}

export interface ChangedProcedure {
  code: string;
  title: string;
  fields: FieldChange[];
  /** The record that replaces the active one. */
  after: Procedure;
}

export interface RemovedProcedure {
  code: string;
  title: string;
  origin: Origin;
}

export interface ImportDiff {
  added: Procedure[];
  removed: RemovedProcedure[];
  changed: ChangedProcedure[];
  unchanged: number;
}

export const originOf = (p: Procedure): Origin => p.origin ?? 'listing';

/** JSON with object keys sorted and `undefined` left out: equal for records that say the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The record as its source states it: without the model computed from it. */
function sourceJson(p: Procedure): string {
  const { model: _model, ...rest } = p;
  return stableJson(rest);
}

export function sameRecord(a: Procedure, b: Procedure): boolean {
  return sourceJson(a) === sourceJson(b);
}

export function diffCatalogue(active: readonly Procedure[], incoming: readonly Procedure[], origin: Origin, mode: ImportMode): ImportDiff {
  const byCode = new Map(active.map((p) => [p.code, p]));
  const diff: ImportDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  const inFile = new Set<string>();
  for (const p of incoming) {
    inFile.add(p.code);
    const current = byCode.get(p.code);
    if (!current) diff.added.push(p);
    else if (sameRecord(current, p)) diff.unchanged++;
    else if (originOf(current) !== originOf(p) && !supersedes(p, current)) diff.unchanged++;
    else diff.changed.push({ code: p.code, title: p.title, fields: fieldChanges(current, p), after: p });
  }
  if (mode === 'replace') {
    for (const p of active) {
      if (originOf(p) === origin && !inFile.has(p.code)) diff.removed.push({ code: p.code, title: p.title, origin: originOf(p) });
    }
  }
  return diff;
}

/** A preview's warning, shown before the apply button and repeated by its confirm. */
export interface ImportWarning {
  kind: 'large_removal';
  origin: Origin;
  removed: number;
  /** How many procedures of that source the active version has. */
  total: number;
  message: string;
}

/** Above either, a replace that removes is said plainly before it is applied (a partial file uploaded as the whole source). */
export const LARGE_REMOVAL = { count: 50, share: 0.1 } as const;

const SOURCE_NAMES: Record<Origin, string> = {
  listing: 'danh mục thủ tục quốc gia',
  portal: 'Cổng Dịch vụ công quốc gia',
  bqp: 'Bộ Quốc phòng',
  local: 'danh sách riêng của địa phương',
};

/** Warns when replace mode would remove more than 50 procedures or more than a tenth of the file's source. */
export function removalWarnings(active: readonly Procedure[], diff: Pick<ImportDiff, 'removed'>, origin: Origin): ImportWarning[] {
  const removed = diff.removed.filter((r) => r.origin === origin).length;
  const total = active.filter((p) => originOf(p) === origin).length;
  if (removed === 0 || (removed <= LARGE_REMOVAL.count && removed <= total * LARGE_REMOVAL.share)) return [];
  const nf = new Intl.NumberFormat('vi-VN');
  const share = Math.round((removed / total) * 100);
  const message =
    `Cách cập nhật “thay thế” sẽ bỏ ${nf.format(removed)} trong ${nf.format(total)} thủ tục (${share}%) của nguồn ${SOURCE_NAMES[origin]}, ` +
    'vì tệp không có chúng: trợ lý sẽ không trả lời được các thủ tục đó nữa. Nếu tệp chỉ có một phần danh mục, đừng áp dụng: ' +
    'hãy chọn “Gộp” (chỉ thêm và sửa) rồi tải tệp lên lại.';
  return [{ kind: 'large_removal', origin, removed, total, message }];
}

const LABELS: Record<string, string> = {
  title: 'Tên thủ tục',
  levels: 'Cấp thực hiện',
  field: 'Lĩnh vực',
  kind: 'Loại thủ tục',
  targets: 'Đối tượng thực hiện',
  competentAgency: 'Cơ quan có thẩm quyền',
  executingAgency: 'Cơ quan thực hiện',
  receivingAddress: 'Địa chỉ tiếp nhận',
  authorisedAgency: 'Cơ quan được ủy quyền',
  coordinatingAgency: 'Cơ quan phối hợp',
  fee: 'Phí, lệ phí',
  time: 'Thời hạn giải quyết',
  channels: 'Cách thức thực hiện',
  steps: 'Trình tự thực hiện',
  documents: 'Thành phần hồ sơ',
  conditions: 'Yêu cầu, điều kiện',
  legalBasis: 'Căn cứ pháp lý',
  result: 'Kết quả thực hiện',
  relatedProcedures: 'Thủ tục liên quan',
  url: 'Đường dẫn',
  decision: 'Quyết định công bố',
  source: 'Bộ, ngành',
  urlKind: 'Loại đường dẫn',
  origin: 'Nguồn dữ liệu',
  fullyOnline: 'Toàn trình',
  updatedAt: 'Ngày cập nhật',
};

function feeText(p: Procedure): string {
  return p.channels.map((c) => `${CHANNEL_LABELS[c.channel]}: ${c.feeText ?? 'không có thông tin'}`).join('\n');
}

function timeText(p: Procedure): string {
  return p.channels
    .map((c) => `${CHANNEL_LABELS[c.channel]}: ${c.timeText ?? ([c.timeValue, c.timeUnit].filter((x) => x !== null).join(' ') || 'không có thông tin')}`)
    .join('\n');
}

function documentsText(p: Procedure): string {
  return p.documentGroups.flatMap((g) => [...(g.title ? [g.title] : []), ...g.documents.map((d) => `- ${d.name}`)]).join('\n');
}

function isLegalBasis(x: unknown): x is { number: string | null; title: string } {
  return x !== null && typeof x === 'object' && 'title' in x && 'number' in x;
}

function valueText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('\n');
  if (Array.isArray(v) && v.every(isLegalBasis)) return v.map((l) => (l.number ? `${l.number}: ${l.title}` : l.title)).join('\n');
  return stableJson(v);
}

/** Field by field, what changes between two records of one code (fee text, time, documents, steps first). */
export function fieldChanges(before: Procedure, after: Procedure): FieldChange[] {
  const out: FieldChange[] = [];
  const push = (field: string, b: string, a: string) => {
    if (b !== a) out.push({ field, label: LABELS[field] ?? field, before: b, after: a });
  };
  push('fee', feeText(before), feeText(after));
  push('time', timeText(before), timeText(after));
  push('documents', documentsText(before), documentsText(after));
  push('steps', before.steps.join('\n'), after.steps.join('\n'));
  if (!out.some((f) => f.field === 'fee' || f.field === 'time') && stableJson(before.channels) !== stableJson(after.channels)) {
    push('channels', before.channels.map((c) => `${CHANNEL_LABELS[c.channel]}: ${c.description}`).join('\n'), after.channels.map((c) => `${CHANNEL_LABELS[c.channel]}: ${c.description}`).join('\n'));
    if (!out.some((f) => f.field === 'channels')) push('channels', stableJson(before.channels), stableJson(after.channels));
  }
  if (!out.some((f) => f.field === 'documents') && stableJson(before.documentGroups) !== stableJson(after.documentGroups)) {
    push('documents', stableJson(before.documentGroups), stableJson(after.documentGroups));
  }
  const skip = new Set(['model', 'channels', 'documentGroups', 'steps', 'code']);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !skip.has(k));
  for (const k of keys) {
    const b = (before as Record<string, unknown>)[k];
    const a = (after as Record<string, unknown>)[k];
    if (stableJson(b ?? null) !== stableJson(a ?? null)) out.push({ field: k, label: LABELS[k] ?? k, before: valueText(b), after: valueText(a) });
  }
  return out;
}
