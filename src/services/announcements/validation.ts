import { z } from 'zod';

export const ANNOUNCEMENT_TEXT_MAX = 1_500;
export const ANNOUNCEMENT_LINK_MAX = 400;
/** How far ahead a send may be scheduled, and how late a chosen time may be (the page's clock, the minute typed). */
export const SCHEDULE_MAX_DAYS = 60;
export const SCHEDULE_SLACK_MS = 60_000;

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
  alreadyScheduled: 'Thông báo này đã được hẹn giờ gửi. Muốn đổi giờ, hãy hủy hẹn giờ rồi soạn lại.',
  wasCancelled: 'Thông báo này đã bị hủy hẹn giờ; không gửi nữa. Hãy soạn thông báo mới.',
  badSendBody: 'Yêu cầu gửi chưa hợp lệ: gửi {} để gửi ngay, hoặc {"at": "2027-01-05T08:00:00+07:00"} để hẹn giờ.',
  atRequired: 'Vui lòng chọn ngày và giờ gửi.',
  atFormat: 'Thời điểm gửi chưa hợp lệ: cần ngày giờ kèm múi giờ, ví dụ 2027-01-05T08:00:00+07:00.',
  atPast: 'Thời điểm hẹn gửi đã qua. Vui lòng chọn một thời điểm sắp tới.',
  atTooFar: `Chỉ hẹn giờ gửi trong vòng ${SCHEDULE_MAX_DAYS} ngày tới.`,
  cancelDraft: 'Thông báo này chưa được hẹn giờ nên không có gì để hủy.',
  cancelStarted: 'Thông báo đã bắt đầu gửi nên không thể hủy hẹn giờ nữa.',
  cancelAgain: 'Thông báo này đã được hủy hẹn giờ trước đó.',
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

const isoWithOffset = z.iso.datetime({ offset: true });

/**
 * The send request's body: none, `{}` or `{at: null}` sends now; `{at}` is an ISO 8601 time with its offset
 * (`2027-01-05T08:00:00+07:00`; the page turns the Vietnam time typed into this), no more than a minute past
 * `now` and at most SCHEDULE_MAX_DAYS ahead. Errors in the one shape, under `fields.at`.
 */
export function parseSendBody(body: unknown, now: Date): { ok: true; at: Date | null } | { ok: false; error: string; fields: FieldErrors } {
  if (body === undefined || body === null) return { ok: true, at: null };
  if (typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: ANNOUNCEMENT_MESSAGES.badSendBody, fields: {} };
  const at = (body as { at?: unknown }).at;
  if (at === undefined || at === null) return { ok: true, at: null };
  const fail = (error: string) => ({ ok: false as const, error, fields: { at: error } });
  if (typeof at === 'string' && at.trim() === '') return fail(ANNOUNCEMENT_MESSAGES.atRequired);
  if (typeof at !== 'string' || !isoWithOffset.safeParse(at.trim()).success) return fail(ANNOUNCEMENT_MESSAGES.atFormat);
  const when = new Date(at.trim());
  if (when.getTime() < now.getTime() - SCHEDULE_SLACK_MS) return fail(ANNOUNCEMENT_MESSAGES.atPast);
  if (when.getTime() > now.getTime() + SCHEDULE_MAX_DAYS * 86_400_000) return fail(ANNOUNCEMENT_MESSAGES.atTooFar);
  return { ok: true, at: when };
}
