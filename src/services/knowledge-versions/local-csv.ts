/**
 * The commune's own list of procedures (those the national listing lacks, e.g. the province's), as CSV
 * (`Content-Type: text/csv`, UTF-8, comma-separated, RFC 4180 quoting: a cell with commas, quotes or line breaks is
 * quoted, a quote inside doubled). The first row names the columns (any order; unknown columns are refused). Excel
 * with Vietnamese regional settings separates with ";": when the header splits on ";" into known columns (and not
 * on ","), ";" is the separator of the whole file. A file not in UTF-8 is refused (upload.ts `bodyLines`).
 *
 *   ma_thu_tuc        required: the code, in the national form (1.001234) or a local one of the same shape (99.000001)
 *   ten_thu_tuc       required
 *   duong_dan         required: the page where the citizen reads or submits it (https)
 *   linh_vuc, cap_thuc_hien (default "Cấp xã"), co_quan_thuc_hien, dia_chi_tiep_nhan, dieu_kien, ket_qua
 *   doi_tuong         the people it is for, separated by ";"
 *   thoi_han          the time, as text ("5 ngày làm việc")
 *   phi_le_phi        the fee, as text ("Miễn phí", "50.000 đồng")
 *   thanh_phan_ho_so  the documents, one a line (or separated by ";")
 *   trinh_tu          the steps, one a line
 *   can_cu_phap_ly    the legal basis, one document a line ("123/2015/NĐ-CP: …")
 *   ngay_cap_nhat     when it last changed (YYYY-MM-DD)
 *
 * Every record is of origin 'local': a replace import of this file replaces the whole local list and nothing else.
 */
import { z } from 'zod';
import { type Procedure, ProcedureSchema } from '../../knowledge/procedure.ts';
import { lineReason } from './line-reasons.ts';
import { type ParsedUpload, UploadCollector, UploadError } from './upload.ts';

export const LOCAL_COLUMNS = [
  'ma_thu_tuc',
  'ten_thu_tuc',
  'duong_dan',
  'linh_vuc',
  'cap_thuc_hien',
  'co_quan_thuc_hien',
  'dia_chi_tiep_nhan',
  'dieu_kien',
  'ket_qua',
  'doi_tuong',
  'thoi_han',
  'phi_le_phi',
  'thanh_phan_ho_so',
  'trinh_tu',
  'can_cu_phap_ly',
  'ngay_cap_nhat',
] as const;
const REQUIRED = ['ma_thu_tuc', 'ten_thu_tuc', 'duong_dan'] as const;

const RowSchema = z.object({
  ma_thu_tuc: z.string().regex(/^\d+\.\d+$/, 'cột ma_thu_tuc: mã thủ tục phải có dạng 1.001234'),
  ten_thu_tuc: z.string().min(3, 'cột ten_thu_tuc: thiếu tên thủ tục (ít nhất 3 ký tự)'),
  duong_dan: z.string().regex(/^https:\/\/\S+$/, 'cột duong_dan: đường dẫn phải bắt đầu bằng https:// và không có dấu cách'),
  ngay_cap_nhat: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'cột ngay_cap_nhat: ngày cập nhật phải có dạng YYYY-MM-DD (ví dụ 2026-03-15)')]).optional(),
});

const columnName = (cell: string) => cell.trim().replace(/^\uFEFF/, '').replace(/^"(.*)"$/, '$1').toLowerCase();
const knownColumns = (cells: string[]) => cells.filter((c) => (LOCAL_COLUMNS as readonly string[]).includes(columnName(c))).length;

/** The file's separator, from its header: ";" when that is what splits it into known columns (Excel, Vietnamese settings). */
export function separatorOf(header: string): ',' | ';' {
  const semicolon = knownColumns(header.split(';'));
  return semicolon >= 2 && semicolon > knownColumns(header.split(',')) ? ';' : ',';
}

/** RFC 4180 records from lines: a quoted cell may span lines; each record keeps the number of its first line. */
export async function* csvRecords(lines: AsyncIterable<{ line: number; text: string }>): AsyncGenerator<{ line: number; cells: string[] } | { line: number; error: string }> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = 0;
  let separator: string | null = null;
  for await (const { line, text } of lines) {
    if (!quoted) {
      if (text.trim() === '') continue;
      start = line;
      separator ??= separatorOf(text);
    } else cell += '\n';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"' && cell === '') quoted = true;
      else if (ch === separator) cells.push(cell), (cell = '');
      else cell += ch;
    }
    if (quoted) continue;
    cells.push(cell);
    yield { line: start, cells };
    cells = [];
    cell = '';
  }
  if (quoted) yield { line: start, error: 'Một ô mở dấu ngoặc kép ở dòng này mà không đóng tới cuối tệp: hãy thêm dấu ngoặc kép đóng ô rồi tải lên lại.' };
}

const list = (text: string, sep: RegExp) => text.split(sep).map((s) => s.trim()).filter(Boolean);
const orNull = (text: string | undefined) => (text?.trim() ? text.trim() : null);

function toProcedure(row: Record<string, string>): Procedure {
  const documents = list(row.thanh_phan_ho_so ?? '', /\n|;/).map((name) => ({ name, originals: null, copies: null, form: null }));
  const procedure: Procedure = {
    code: row.ma_thu_tuc!,
    title: row.ten_thu_tuc!.trim(),
    levels: list(row.cap_thuc_hien ?? '', /;|,/).length ? list(row.cap_thuc_hien!, /;|,/) : ['Cấp xã'],
    field: orNull(row.linh_vuc),
    kind: null,
    targets: list(row.doi_tuong ?? '', /;/),
    competentAgency: orNull(row.co_quan_thuc_hien),
    executingAgency: orNull(row.co_quan_thuc_hien),
    receivingAddress: orNull(row.dia_chi_tiep_nhan),
    authorisedAgency: null,
    coordinatingAgency: null,
    channels: [{ channel: 'truc_tiep', timeValue: null, timeUnit: null, ...(orNull(row.thoi_han) ? { timeText: row.thoi_han!.trim() } : {}), feeText: orNull(row.phi_le_phi), feeAmounts: [], description: '' }],
    steps: list(row.trinh_tu ?? '', /\n/),
    documentGroups: documents.length ? [{ title: null, documents }] : [],
    conditions: orNull(row.dieu_kien),
    legalBasis: list(row.can_cu_phap_ly ?? '', /\n/).map((title) => ({ number: /\d+\/\d{4}\/[\p{L}\d-]+/u.exec(title)?.[0] ?? null, title })),
    result: orNull(row.ket_qua),
    relatedProcedures: null,
    url: row.duong_dan!,
    decision: null,
    source: null,
    origin: 'local',
    ...(orNull(row.ngay_cap_nhat) ? { updatedAt: row.ngay_cap_nhat! } : {}),
  };
  return ProcedureSchema.parse(procedure);
}

/** Reads the commune's CSV list: bad rows reported with the number of their first line and skipped. */
export async function parseLocalCsv(lines: AsyncIterable<{ line: number; text: string }>): Promise<ParsedUpload> {
  const out = new UploadCollector();
  const fail = (line: number, reason: string, detail?: string) => out.fail(line, reason, detail);
  let read = 0;
  let header: string[] | null = null;
  for await (const rec of csvRecords(lines)) {
    if ('error' in rec) {
      fail(rec.line, rec.error);
      continue;
    }
    if (!header) {
      header = rec.cells.map(columnName);
      const unknown = header.filter((h) => !(LOCAL_COLUMNS as readonly string[]).includes(h));
      const missing = REQUIRED.filter((r) => !header!.includes(r));
      if (unknown.length || missing.length) {
        throw new UploadError(
          'bad_request',
          `Dòng tiêu đề của tệp CSV không đúng: ${[missing.length ? `thiếu cột ${missing.join(', ')}` : '', unknown.length ? `cột lạ ${unknown.join(', ')}` : ''].filter(Boolean).join('; ')}.`,
        );
      }
      continue;
    }
    read++;
    if (rec.cells.length !== header.length) {
      fail(rec.line, `Dòng có ${rec.cells.length} ô nhưng dòng tiêu đề có ${header.length} cột: hãy kiểm tra dấu phẩy và dấu ngoặc kép trong dòng này (một ô có dấu phẩy phải nằm trong ngoặc kép).`);
      continue;
    }
    const row = Object.fromEntries(header.map((h, i) => [h, rec.cells[i]!.trim()]));
    const checked = RowSchema.safeParse(row);
    if (!checked.success) {
      fail(rec.line, `Bản ghi không đọc được: ${checked.error.issues.map((i) => i.message).join('; ')}. Hãy sửa dòng này trong tệp rồi tải lên lại.`);
      continue;
    }
    try {
      out.add(rec.line, toProcedure(row));
    } catch (err) {
      if (!(err instanceof z.ZodError)) throw err;
      fail(rec.line, lineReason({ kind: 'procedure', issues: err.issues }, row), err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
  }
  if (!header || read === 0) throw new UploadError('bad_request', 'Tệp CSV không có dòng thủ tục nào.');
  return out.result('local', 'local', read);
}
