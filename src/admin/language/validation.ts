import { z } from 'zod';
import type { FieldErrors, Parsed } from '../validation.ts';
import { LANGUAGE_SCHEMAS, type LanguageFileName, LanguageFileNameSchema, type LanguageFiles, MAX_EVENT_NAME, MAX_EVENT_PHRASE } from './files.ts';

/**
 * The bodies of the language-data routes, read with zod at the edge. A file's own schema names what is wrong in
 * English for developers ("… is not in folded form (write "…")"); the admin sees each problem in Vietnamese, keyed
 * by its dotted path ("lifeEvents.3.codes.0", "smallTalk.markers.12") for the page to show beside the field.
 */

export const MAX_TRY = 2000;

export const LANGUAGE_MESSAGES = {
  badName: 'Không có tệp dữ liệu ngôn ngữ này (chỉ có life-events và router-rules).',
  badBody: 'Dữ liệu gửi lên chưa đúng dạng: cần {data, expected_revision}.',
  invalid: 'Dữ liệu chưa hợp lệ: kiểm tra các mục được đánh dấu.',
  badTry: 'Nhập câu của người dân để thử (tối đa 2.000 ký tự).',
  badId: 'Mã phiên bản không hợp lệ.',
  unknownRevision: 'Không tìm thấy phiên bản này của tệp.',
  conflict: 'Có người vừa lưu tệp này sau khi bạn mở nó. Hãy tải lại trang để xem bản mới rồi sửa tiếp.',
  unchanged: 'Không có thay đổi nào so với bản đang dùng.',
  alreadyShipped: 'Tệp đang dùng bản gốc của sản phẩm.',
  unknownProcedure: 'Không có thủ tục này trong cơ sở dữ liệu thủ tục.',
  notReady: 'Cơ sở dữ liệu thủ tục đang được nạp, vui lòng thử lại sau ít phút.',
} as const;

export const NameParamsSchema = z.object({ name: LanguageFileNameSchema });
export const RevisionParamsSchema = z.object({ name: LanguageFileNameSchema, id: z.string().regex(/^[1-9]\d{0,14}$/).transform(Number) });

const SaveSchema = z.strictObject({ data: z.unknown(), expected_revision: z.number().int().positive().nullable() });
const TrySchema = z.strictObject({
  text: z.string().trim().min(1).max(MAX_TRY),
  draft: z.strictObject({ name: LanguageFileNameSchema, data: z.unknown() }).optional(),
});

/** One issue in Vietnamese: the schemas' own messages translated, the rest by kind. */
function vietnamese(issue: z.core.$ZodIssue): string {
  const m = issue.message;
  let x: RegExpExecArray | null;
  if ((x = /^"(.*)" is listed twice \(in (.+) and (.+)\)$/.exec(m))) return `"${x[1]}" đã có trong danh sách ${x[2]} (mỗi cụm từ chỉ ở một danh sách).`;
  if ((x = /^"(.*)" is listed twice$/.exec(m))) return `"${x[1]}" bị lặp lại.`;
  if ((x = /^"(.*)" is not in folded form \(write "(.*)"\)$/.exec(m))) return `"${x[1]}" phải viết không dấu, chữ thường: "${x[2]}".`;
  if ((x = /^"(.*)" is not one word$/.exec(m))) return `"${x[1]}" phải là một từ (không có dấu cách).`;
  if (m === 'no letters') return 'Cụm từ phải có chữ cái hoặc chữ số.';
  const last = issue.path[issue.path.length - 1];
  switch (issue.code) {
    case 'unrecognized_keys':
      return `Mục không được nhận: ${issue.keys.join(', ')}.`;
    case 'invalid_type':
      return 'Giá trị sai kiểu (cần chữ, danh sách hoặc đúng/sai).';
    case 'too_small':
      return issue.origin === 'array' ? 'Danh sách cần ít nhất một mục.' : 'Không được để trống.';
    case 'too_big':
      if (issue.origin === 'array') return `Danh sách có quá nhiều mục (tối đa ${String(issue.maximum)}).`;
      return last === 'name' ? `Tên dài quá ${MAX_EVENT_NAME} ký tự.` : `Dài quá ${String(issue.maximum ?? MAX_EVENT_PHRASE)} ký tự.`;
    case 'invalid_format':
      if (last === 'id') return 'Mã sự kiện chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ: sinh-con).';
      if (issue.path.includes('codes')) return 'Mã thủ tục không hợp lệ (ví dụ 1.001193).';
      return 'Giá trị không hợp lệ.';
    default:
      return 'Giá trị không hợp lệ.';
  }
}

export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) fields[issue.path.map(String).join('.') || '(tệp)'] ??= vietnamese(issue);
  return fields;
}

function invalid(error: string, fields: FieldErrors): { ok: false; error: string; fields: FieldErrors } {
  const [path, first] = Object.entries(fields)[0] ?? [];
  return { ok: false, error: first ? `${error} ${path}: ${first}` : error, fields };
}

/** A file's content as the admin sent it, checked against the file's schema. */
export function parseFile<K extends LanguageFileName>(name: K, data: unknown): Parsed<LanguageFiles[K]> {
  const r = (LANGUAGE_SCHEMAS[name] as z.ZodType<LanguageFiles[K]>).safeParse(data);
  return r.success ? { ok: true, value: r.data } : invalid(LANGUAGE_MESSAGES.invalid, fieldErrors(r.error));
}

export function parseSave<K extends LanguageFileName>(name: K, body: unknown): Parsed<{ data: LanguageFiles[K]; expectedRevision: number | null }> {
  const b = SaveSchema.safeParse(body ?? {});
  if (!b.success || b.data.data === undefined) return invalid(LANGUAGE_MESSAGES.badBody, b.success ? { data: 'Thiếu dữ liệu.' } : fieldErrors(b.error));
  const file = parseFile(name, b.data.data);
  return file.ok ? { ok: true, value: { data: file.value, expectedRevision: b.data.expected_revision } } : file;
}

export type TryBody = { text: string; draft?: { [K in LanguageFileName]: { name: K; data: LanguageFiles[K] } }[LanguageFileName] };

export function parseTry(body: unknown): Parsed<TryBody> {
  const b = TrySchema.safeParse(body ?? {});
  if (!b.success) return invalid(LANGUAGE_MESSAGES.badTry, fieldErrors(b.error));
  if (!b.data.draft) return { ok: true, value: { text: b.data.text } };
  const file = parseFile(b.data.draft.name, b.data.draft.data);
  if (!file.ok) return { ok: false, error: file.error, fields: Object.fromEntries(Object.entries(file.fields).map(([k, v]) => [`draft.data.${k}`, v])) };
  return { ok: true, value: { text: b.data.text, draft: { name: b.data.draft.name, data: file.value } as TryBody['draft'] } };
}
