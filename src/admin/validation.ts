import { z } from 'zod';
import { cleanText } from '../channels/clean-text.ts';
import { type CommuneProfile, CommuneProfileSchema } from '../knowledge/commune-profile.ts';

/**
 * What the admin API accepts, read with zod at the edge, and the Vietnamese message for each field a person fills
 * in: an invalid body answers 400 in the one error shape, `error` the first problem and `fields` every field's
 * (by its path, e.g. `hours.weekly.mon`, `feeAccount.bankBin`), which the admin page shows beside the field.
 */

export const MAX_LOCAL_NOTE = 300;

export const ADMIN_MESSAGES = {
  badCode: 'Mã thủ tục không hợp lệ.',
  unknownProcedure: 'Không có thủ tục này trong cơ sở dữ liệu thủ tục.',
  noOverride: 'Thủ tục này chưa có thiết lập riêng của xã.',
  badQuery: 'Từ khóa tìm kiếm không hợp lệ (tối đa 200 ký tự).',
  badOverride: 'Thiết lập riêng của thủ tục chưa hợp lệ: kiểm tra các mục được đánh dấu.',
  badProfile: 'Thông tin của xã chưa hợp lệ: kiểm tra các mục được đánh dấu.',
  badVersion: 'Mã phiên bản không hợp lệ.',
  unknownVersion: 'Không tìm thấy phiên bản này trong lịch sử thông tin của xã.',
} as const;

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; fields: FieldErrors };

const https = (v: string) => {
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
};

/** An optional text an admin typed: cleaned like every text from outside; empty means none. */
const typedText = (max: number) =>
  z
    .string()
    .transform((t) => cleanText(t).replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(max))
    .transform((t) => (t === '' ? null : t));

export const CodeParamsSchema = z.object({ code: z.string().trim().regex(/^\d+\.\d+(\.[\w.-]+)?$/).max(60) });

export const ProcedureQuerySchema = z.object({
  query: z.string().max(200).default(''),
  overridden: z.enum(['0', '1']).optional(),
});

export const OverrideBodySchema = z.strictObject({
  excluded: z.boolean().optional(),
  fullyOnline: z.boolean().nullable().optional(),
  portalUrl: z
    .string()
    .trim()
    .transform((t) => (t === '' ? null : t))
    .pipe(z.string().max(500).refine(https).nullable())
    .nullable()
    .optional(),
  localNote: typedText(MAX_LOCAL_NOTE).nullable().optional(),
  feeAccountAllowed: z.boolean().optional(),
});
export type OverrideBody = z.output<typeof OverrideBodySchema>;

const OVERRIDE_FIELD_MESSAGES: Record<string, string> = {
  excluded: 'Chọn có hoặc không.',
  fullyOnline: 'Chọn có, không hoặc chưa đặt.',
  portalUrl: 'Đường dẫn phải là địa chỉ https://… trên cổng dịch vụ công của tỉnh (tối đa 500 ký tự).',
  localNote: `Ghi chú tối đa ${MAX_LOCAL_NOTE} ký tự.`,
  feeAccountAllowed: 'Chọn có hoặc không.',
};

export function parseOverride(body: unknown): Parsed<OverrideBody> {
  const r = OverrideBodySchema.safeParse(body ?? {});
  if (r.success) return { ok: true, value: r.data };
  const fields: FieldErrors = {};
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) fields[k] ??= 'Mục này không có trong thiết lập của thủ tục.';
    else {
      const key = String(issue.path[0] ?? '');
      fields[key] ??= OVERRIDE_FIELD_MESSAGES[key] ?? 'Giá trị không hợp lệ.';
    }
  }
  return { ok: false, error: ADMIN_MESSAGES.badOverride, fields };
}

/** Each top-level part of the profile: the whole profile is sent, every part present (null when not set). */
export const PROFILE_PARTS = ['communeName', 'provinceName', 'centre', 'hours', 'provincePortalUrl', 'feeAccount', 'uploadRules'] as const;

const DAY_NAMES: Record<string, string> = { mon: 'thứ Hai', tue: 'thứ Ba', wed: 'thứ Tư', thu: 'thứ Năm', fri: 'thứ Sáu', sat: 'thứ Bảy', sun: 'Chủ nhật' };

/** The Vietnamese message for a field of the profile, by its path. */
function profileMessage(path: string): string {
  const span = 'theo dạng 07:30-17:00, giờ kết thúc sau giờ bắt đầu';
  const day = /^hours\.weekly\.(\w+)$/.exec(path);
  if (day) return `Giờ làm việc ${DAY_NAMES[day[1]!] ?? ''} ${span}; để trống nếu nghỉ.`.replace('  ', ' ');
  if (path === 'hours.lunchBreak') return `Giờ nghỉ trưa ${span}; để trống nếu không nghỉ trưa.`;
  if (/^hours\.holidays\.\d+\.name$/.test(path)) return 'Vui lòng nhập tên ngày nghỉ (ví dụ Tết Nguyên đán).';
  if (/^hours\.holidays\.\d+\.(date|from)$/.test(path)) return 'Ngày theo dạng 2027-02-06 và là ngày có thật.';
  if (/^hours\.holidays\.\d+\.to$/.test(path)) return 'Ngày cuối theo dạng 2027-02-12, không trước ngày đầu.';
  if (/^hours\.holidays\.\d+$/.test(path)) return 'Ngày nghỉ cần tên và một ngày, hoặc ngày đầu và ngày cuối.';
  const messages: Record<string, string> = {
    communeName: 'Tên xã không được chỉ có khoảng trắng; để trống nếu chưa có.',
    provinceName: 'Tên tỉnh không được chỉ có khoảng trắng; để trống nếu chưa có.',
    centre: 'Thông tin Trung tâm chưa hợp lệ.',
    'centre.name': 'Tên Trung tâm không được chỉ có khoảng trắng.',
    'centre.address': 'Địa chỉ không được chỉ có khoảng trắng.',
    'centre.openingHours': 'Giờ làm việc (lời văn) không được chỉ có khoảng trắng.',
    'centre.hotline': 'Số đường dây nóng chỉ gồm chữ số, dấu cách, dấu chấm, +, (, ), - (3–20 ký tự), ví dụ 0234 3822 123.',
    'centre.email': 'Địa chỉ thư điện tử không hợp lệ, ví dụ motcua@xa.gov.vn.',
    hours: 'Giờ làm việc chưa hợp lệ.',
    'hours.weekly': 'Giờ làm việc theo từng ngày chưa hợp lệ.',
    'hours.holidays': 'Danh sách ngày nghỉ chưa hợp lệ.',
    provincePortalUrl: 'Địa chỉ cổng dịch vụ công của tỉnh phải là đường dẫn https://…',
    feeAccount: 'Tài khoản thu phí cần đủ mã BIN ngân hàng, số tài khoản và tên chủ tài khoản; để trống cả ba nếu không có.',
    'feeAccount.bankBin': 'Mã BIN của ngân hàng gồm 6 chữ số (ví dụ 970436 là Vietcombank).',
    'feeAccount.accountNumber': 'Số tài khoản gồm 6–19 chữ số.',
    'feeAccount.accountName': 'Vui lòng nhập tên chủ tài khoản như ngân hàng ghi.',
    'feeAccount.bankName': 'Tên ngân hàng không được chỉ có khoảng trắng.',
    uploadRules: 'Quy định tệp tải lên cần ít nhất một định dạng và dung lượng tối đa; để trống cả hai nếu chưa có.',
    'uploadRules.formats': 'Nhập ít nhất một định dạng tệp, ví dụ pdf, jpg.',
    'uploadRules.maxSizeMb': 'Dung lượng tối đa là một số lớn hơn 0 (MB).',
  };
  const exact = messages[path];
  if (exact) return exact;
  if (/^uploadRules\.formats\.\d+$/.test(path)) return messages['uploadRules.formats']!;
  return 'Giá trị không hợp lệ.';
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const spanOk = (span: string | null) => span === null || minutes(span.slice(0, 5)) < minutes(span.slice(6));
const realDay = (d: string) => {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
};

/** What the schema does not check: spans that end after they start, real dates, ranges in order, https links. */
function furtherProblems(p: CommuneProfile): FieldErrors {
  const out: FieldErrors = {};
  const add = (path: string) => (out[path] ??= profileMessage(path));
  if (p.provincePortalUrl && !https(p.provincePortalUrl)) add('provincePortalUrl');
  if (p.hours) {
    for (const [d, span] of Object.entries(p.hours.weekly)) if (!spanOk(span)) add(`hours.weekly.${d}`);
    if (!spanOk(p.hours.lunchBreak)) add('hours.lunchBreak');
    p.hours.holidays.forEach((h, i) => {
      if ('date' in h) {
        if (!realDay(h.date)) add(`hours.holidays.${i}.date`);
      } else {
        if (!realDay(h.from)) add(`hours.holidays.${i}.from`);
        if (!realDay(h.to) || h.to < h.from) add(`hours.holidays.${i}.to`);
      }
    });
  }
  return out;
}

/** The whole profile as an admin saves it: CommuneProfileSchema, every part present, and the checks above. */
export function parseProfile(body: unknown): Parsed<CommuneProfile> {
  const fields: FieldErrors = {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: ADMIN_MESSAGES.badProfile, fields: { '': 'Cần gửi toàn bộ thông tin của xã.' } };
  for (const part of PROFILE_PARTS) if (!(part in body)) fields[part] = 'Thiếu mục này (gửi null nếu chưa có).';
  const r = CommuneProfileSchema.safeParse(body);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'invalid_union' && issue.errors.length === 2) {
        // a holiday matches neither shape: the fields of the shape it was meant to have (a range names from or to)
        const item = at(body, issue.path);
        const meant = item && typeof item === 'object' && ('from' in item || 'to' in item) ? 1 : 0;
        for (const sub of issue.errors[meant]!) {
          const subPath = [path, ...sub.path.map(String)].join('.');
          fields[subPath] ??= profileMessage(subPath);
        }
        continue;
      }
      fields[path] ??= profileMessage(path);
    }
  } else Object.assign(fields, furtherProblems(r.data));
  if (!r.success || Object.keys(fields).length) return { ok: false, error: `${ADMIN_MESSAGES.badProfile} ${Object.values(fields)[0] ?? ''}`.trim(), fields };
  return { ok: true, value: r.data };
}
