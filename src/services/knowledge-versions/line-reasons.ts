/**
 * Why a line of an upload was skipped, worded for a commune officer: which field, what is wrong with it, what to do.
 * The parsers' English detail ("malformed record: ten_thu_tuc: Too small…") stays in the server log; the page and the
 * API's `errors[].reason` carry these sentences only.
 */
import type { z } from 'zod';
import type { ParseProblem } from '../../knowledge/listing-parser.ts';

/** Fields of the three source formats and of a procedure, as an officer would name them. */
const FIELD_NAMES: Record<string, string> = {
  // national listing
  ma_thu_tuc: 'mã thủ tục',
  ten_thu_tuc: 'tên thủ tục',
  detail_url: 'đường dẫn trang chi tiết',
  cap_thuc_hien: 'cấp thực hiện',
  so_quyet_dinh: 'số quyết định công bố',
  linh_vuc: 'lĩnh vực',
  cach_thuc_thuc_hien: 'cách thức thực hiện',
  thanh_phan_ho_so: 'thành phần hồ sơ',
  trinh_tu_thuc_hien: 'trình tự thực hiện',
  // portal API
  code: 'mã thủ tục',
  codeNotation: 'mã thủ tục',
  name: 'tên thủ tục',
  id: 'mã trang trên Cổng',
  executionMethods: 'cách thức thực hiện',
  executionCases: 'thành phần hồ sơ',
  executionSteps: 'trình tự thực hiện',
  // procedure (what a record is read into)
  title: 'tên thủ tục',
  levels: 'cấp thực hiện',
  url: 'đường dẫn',
  channels: 'cách thức thực hiện',
  steps: 'trình tự thực hiện',
  documentGroups: 'thành phần hồ sơ',
  legalBasis: 'căn cứ pháp lý',
  updatedAt: 'ngày cập nhật',
};

const FIX = 'Hãy sửa dòng này trong tệp rồi tải lên lại.';

function fieldOf(path: readonly PropertyKey[]): string {
  const key = String(path[0] ?? '');
  const name = FIELD_NAMES[key];
  return name ? `${name} (trường “${key}”)` : `trường “${path.map(String).join('.')}”`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** What is wrong with one field, in a few words. */
function wrongWith(issue: z.core.$ZodIssue, raw: unknown, kind: 'record' | 'procedure'): string {
  const key = String(issue.path[0] ?? '');
  switch (issue.code) {
    case 'invalid_type':
      return kind === 'record' && valueAt(raw, issue.path) === undefined ? 'bị thiếu' : 'sai kiểu dữ liệu';
    case 'too_small':
      if (issue.origin === 'array') return 'không có mục nào';
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return 'để trống';
      return issue.origin === 'string' ? `quá ngắn (cần ít nhất ${String(issue.minimum)} ký tự)` : 'quá nhỏ';
    case 'too_big':
      return 'quá dài';
    case 'invalid_format':
      if (key === 'code' || key === 'ma_thu_tuc') return 'sai dạng: mã thủ tục phải có dạng 1.001234';
      if (key === 'url' || key === 'detail_url') return 'không phải một địa chỉ trang web (https://…)';
      return 'sai dạng';
    default:
      return 'có giá trị không hợp lệ';
  }
}

/** A record that is not an object (a list, a number, a text): the line is not a procedure at all. */
export function notARecordReason(raw: unknown): string {
  const what = Array.isArray(raw) ? 'một danh sách […]' : raw === null ? 'giá trị null' : typeof raw === 'string' ? 'một chuỗi chữ' : 'một giá trị đơn';
  return `Dòng này là ${what}, không phải một thủ tục: mỗi dòng phải là một bản ghi JSON dạng {…}. ${FIX}`;
}

/** The officer's sentence for a rejected record (`raw`: the line's JSON, to tell a missing field from a wrong one). */
export function lineReason(problem: ParseProblem, raw: unknown): string {
  switch (problem.kind) {
    case 'record':
    case 'procedure': {
      if (problem.issues.some((i) => i.path.length === 0)) return notARecordReason(raw);
      const seen = new Set<string>();
      const parts: string[] = [];
      for (const issue of problem.issues) {
        const part = `${fieldOf(issue.path)} ${wrongWith(issue, raw, problem.kind)}`;
        if (!seen.has(part)) seen.add(part), parts.push(part);
      }
      const shown = parts.slice(0, 3).join('; ');
      const more = parts.length > 3 ? ` và ${parts.length - 3} lỗi khác` : '';
      const what = `${shown.charAt(0).toUpperCase()}${shown.slice(1)}${more}.`;
      return problem.kind === 'record' ? `${what} ${FIX}` : `${what} Thủ tục không đọc được từ bản ghi này; hãy kiểm tra các trường đó trong tệp nguồn rồi tải lên lại.`;
    }
    case 'code_mismatch':
      return `Thủ tục ${problem.code}: trang chi tiết đã lưu là của một thủ tục khác (mã trên trang không khớp), nên bản ghi bị bỏ qua. Hãy lấy lại trang của thủ tục ${problem.code} từ Cổng Dịch vụ công quốc gia rồi xuất lại tệp.`;
    case 'no_code':
      return 'Bản ghi không có mã thủ tục (trường “code” và “codeNotation” đều trống), nên bị bỏ qua. Hãy xuất lại bản ghi đầy đủ từ Cổng Dịch vụ công quốc gia.';
    case 'no_page_id':
      return `Thủ tục ${problem.code} không có mã trang trên Cổng (trường “id” trống) nên không dẫn được người dân tới trang của thủ tục; bản ghi bị bỏ qua. Hãy xuất lại bản ghi đầy đủ từ Cổng Dịch vụ công quốc gia.`;
    case 'internal':
      return `Thủ tục ${problem.code} là thủ tục nội bộ giữa các cơ quan (isInternal), không dành cho người dân, nên không đưa vào cơ sở tri thức. Không cần sửa.`;
    case 'no_level':
      return `Thủ tục ${problem.code} không ghi cấp thực hiện (xã, tỉnh, bộ hay cơ quan khác đều để “false”), nên bị bỏ qua. Hãy kiểm tra bản ghi trên Cổng Dịch vụ công quốc gia rồi xuất lại.`;
    case 'no_source_address':
      return 'Bản ghi không có đường dẫn chính thức và không có số quyết định công bố, nên không có nguồn để dẫn cho người dân; bản ghi bị bỏ qua. Hãy bổ sung một trong hai rồi tải lên lại.';
  }
}
