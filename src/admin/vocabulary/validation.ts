import { z } from 'zod';
import { cleanText } from '../../channels/clean-text.ts';
import { contentTokens, fold } from '../../retrieval/text.ts';
import type { FieldErrors, Parsed } from '../validation.ts';

/**
 * The bodies of the vocabulary, local-answer and try-box routes, read with zod at the edge; each field's
 * Vietnamese message for the admin page to show beside it.
 */

export const MAX_PHRASE = 100;
export const MAX_EXAMPLE = 300;
export const MAX_EXAMPLES = 10;
export const MAX_ANSWER = 1500;
export const MAX_TOPIC = 120;
export const MAX_TRY = 2000;

export const LOCAL_KNOWLEDGE_MESSAGES = {
  badMapping: 'Từ ngữ của người dân chưa hợp lệ: kiểm tra các mục được đánh dấu.',
  badAnswer: 'Câu trả lời của Trung tâm chưa hợp lệ: kiểm tra các mục được đánh dấu.',
  badTry: 'Nhập câu của người dân để thử (tối đa 2.000 ký tự).',
  badId: 'Mã mục không hợp lệ.',
  unknownMapping: 'Không tìm thấy từ ngữ này (có thể đã được gỡ).',
  unknownAnswer: 'Không tìm thấy câu trả lời này (có thể đã được gỡ).',
  duplicateMapping: 'Từ ngữ này đã được gắn với thủ tục này.',
  unknownProcedure: 'Không có thủ tục này trong cơ sở dữ liệu thủ tục.',
  notReady: 'Cơ sở dữ liệu thủ tục đang được nạp, vui lòng thử lại sau ít phút.',
} as const;

const FIELD_MESSAGES: Record<string, string> = {
  phrase: `Nhập từ ngữ người dân dùng (có chữ cái hoặc số, tối đa ${MAX_PHRASE} ký tự).`,
  code: 'Mã thủ tục không hợp lệ (ví dụ 1.001612).',
  topic: `Nhập chủ đề (tối đa ${MAX_TOPIC} ký tự).`,
  examples: `Nhập từ 1 đến ${MAX_EXAMPLES} câu hỏi mẫu, mỗi câu có ít nhất hai từ có nghĩa và tối đa ${MAX_EXAMPLE} ký tự.`,
  text: `Nhập nội dung trả lời (tối đa ${MAX_ANSWER} ký tự).`,
};

/** A line an admin typed: cleaned like every text from outside, spaces collapsed. */
const line = (max: number) =>
  z
    .string()
    .transform((t) => cleanText(t).replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1).max(max));

const MappingSchema = z.strictObject({
  phrase: line(MAX_PHRASE).refine((p) => fold(p).length > 0),
  code: z.string().trim().regex(/^\d+\.\d+(\.[\w.-]+)?$/).max(60),
});
export type MappingBody = z.infer<typeof MappingSchema>;

const AnswerSchema = z.strictObject({
  topic: line(MAX_TOPIC),
  // an example with fewer than two content words could match too much ("ở đâu")
  examples: z.array(line(MAX_EXAMPLE).refine((e) => new Set(contentTokens(fold(e))).size >= 2)).min(1).max(MAX_EXAMPLES),
  text: z
    .string()
    .transform((t) => cleanText(t).trim())
    .pipe(z.string().min(1).max(MAX_ANSWER)),
});
export type AnswerBody = z.infer<typeof AnswerSchema>;

const TrySchema = z.strictObject({ text: z.string().trim().min(1).max(MAX_TRY) });

export const IdParamsSchema = z.object({ id: z.string().regex(/^[1-9]\d{0,14}$/).transform(Number) });

function parseWith<T>(schema: z.ZodType<T>, body: unknown, error: string): Parsed<T> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return { ok: true, value: r.data };
  const fields: FieldErrors = {};
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) fields[k] ??= 'Mục này không được nhận.';
    const key = String(issue.path[0] ?? '');
    if (key) fields[key] ??= FIELD_MESSAGES[key] ?? 'Giá trị không hợp lệ.';
  }
  return { ok: false, error: `${error} ${Object.values(fields)[0] ?? ''}`.trim(), fields };
}

export const parseMapping = (body: unknown) => parseWith(MappingSchema, body, LOCAL_KNOWLEDGE_MESSAGES.badMapping);
export const parseAnswer = (body: unknown) => parseWith(AnswerSchema, body, LOCAL_KNOWLEDGE_MESSAGES.badAnswer);
export const parseTry = (body: unknown) => parseWith(TrySchema, body, LOCAL_KNOWLEDGE_MESSAGES.badTry);
