import { z } from 'zod';

export const ANNOUNCEMENT_TEXT_MAX = 1_500;
export const ANNOUNCEMENT_LINK_MAX = 400;

export const ANNOUNCEMENT_MESSAGES = {
  badBody: 'Nội dung thông báo chưa hợp lệ.',
  textRequired: 'Vui lòng nhập nội dung thông báo.',
  textTooLong: `Nội dung thông báo tối đa ${ANNOUNCEMENT_TEXT_MAX.toLocaleString('vi-VN')} ký tự.`,
  linkHttps: 'Đường link phải bắt đầu bằng https:// và là một địa chỉ hợp lệ.',
  linkTooLong: `Đường link tối đa ${ANNOUNCEMENT_LINK_MAX} ký tự.`,
  channels: 'Chọn ít nhất một kênh gửi: Telegram hoặc Zalo.',
  procedureCode: 'Mã thủ tục không hợp lệ (ví dụ 1.001193).',
  badId: 'Mã thông báo không hợp lệ.',
  notFound: 'Không tìm thấy thông báo này.',
  alreadySent: 'Thông báo này đã được gửi; không gửi lại lần nữa.',
} as const;

const httpsUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && !!u.hostname && !u.username && !u.password;
  } catch {
    return false;
  }
};

export const NewAnnouncementSchema = z.object({
  text: z
    .string({ error: ANNOUNCEMENT_MESSAGES.textRequired })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1, ANNOUNCEMENT_MESSAGES.textRequired).max(ANNOUNCEMENT_TEXT_MAX, ANNOUNCEMENT_MESSAGES.textTooLong)),
  link: z
    .union([z.string(), z.null()])
    .optional()
    .transform((s) => (s ? s.trim() : null))
    .pipe(
      z
        .string()
        .max(ANNOUNCEMENT_LINK_MAX, ANNOUNCEMENT_MESSAGES.linkTooLong)
        .refine(httpsUrl, ANNOUNCEMENT_MESSAGES.linkHttps)
        .nullable(),
    ),
  channels: z
    .array(z.enum(['telegram', 'zalo'], { error: ANNOUNCEMENT_MESSAGES.channels }), { error: ANNOUNCEMENT_MESSAGES.channels })
    .min(1, ANNOUNCEMENT_MESSAGES.channels)
    .transform((c) => [...new Set(c)]),
  procedureCode: z
    .union([z.string(), z.null()])
    .optional()
    .transform((s) => (s ? s.trim() : null))
    .pipe(z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}$/, ANNOUNCEMENT_MESSAGES.procedureCode).nullable()),
});
export type NewAnnouncementInput = z.infer<typeof NewAnnouncementSchema>;

export const AnnouncementIdSchema = z.object({ id: z.string().regex(/^[1-9]\d{0,14}$/).transform(Number) });

export type FieldErrors = Record<string, string>;

/** The body, or the first message and one per field (Vietnamese). */
export function parseNewAnnouncement(body: unknown): { ok: true; value: NewAnnouncementInput } | { ok: false; error: string; fields: FieldErrors } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: ANNOUNCEMENT_MESSAGES.badBody, fields: {} };
  const r = NewAnnouncementSchema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const fields: FieldErrors = {};
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? '_');
    fields[key] ??= issue.message;
  }
  return { ok: false, error: Object.values(fields)[0] ?? ANNOUNCEMENT_MESSAGES.badBody, fields };
}
