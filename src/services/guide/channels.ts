import { timeText } from '../../assistant/answer/procedure-facts.ts';
import { MAX_MESSAGE_CHARS } from '../../assistant/answer/text-fit.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import type { CommuneProfile, WorkingHours } from '../../knowledge/commune-profile.ts';
import { isCommuneLevel } from '../../retrieval/indexer.ts';
import type { Channel, Procedure } from '../../knowledge/procedure.ts';
import { feeFacts } from './fees.ts';
import { heading, sourceLine } from './text.ts';

/**
 * How to submit: online step by step (VNeID level 2, the procedure's page, the e-form, the uploads, the mã hồ sơ),
 * or in person at the centre (its address and hours from the commune profile, or a plain sentence that the bot
 * does not have them). Time and fee of the channel verbatim. Nothing here is a fact the record or the profile
 * does not give: upload formats and sizes only from the profile, "toàn trình" only where an admin or the portal
 * says so.
 */

/** An admin's setting for one procedure (table procedure_overrides). */
export interface ChannelOverride {
  fullyOnline: boolean | null;
  portalUrl: string | null;
}

export function hasOnlineChannel(p: Procedure): boolean {
  return p.channels.some((c) => c.channel === 'truc_tuyen');
}

export function handledAtCommune(p: Procedure): boolean {
  return isCommuneLevel(p);
}

/** "Toàn trình": an admin's flag first, else the portal's own; the listing never says it. */
export function isFullyOnline(p: Procedure, override: ChannelOverride | null): boolean {
  return override?.fullyOnline ?? p.fullyOnline ?? false;
}

/** Time and fee of one channel, verbatim; the fee's note is left to the fee message when room is short. */
function termsLines(p: Procedure, channel: Channel, language: Language): string[] {
  const vi = language === 'vi';
  const rows = p.channels.filter((c) => c.channel === channel);
  const times = [...new Set(rows.map((r) => timeText(r, language)).filter((t): t is string => !!t))];
  const fee = feeFacts(p, channel);
  return [
    vi ? `Thời hạn giải quyết: ${times.length ? times.join('; ') : 'danh mục không ghi'}` : `Processing time: ${times.length ? times.join('; ') : 'not stated in the listing'}`,
    fee.free
      ? vi ? `Phí, lệ phí: miễn phí (hồ sơ ghi: "${fee.feeText}")` : `Fee: free (the record says: "${fee.feeText}")`
      : vi ? `Phí, lệ phí: ${fee.feeText ?? 'danh mục không ghi'}` : `Fee: ${fee.feeText ?? 'not stated in the listing'}`,
    ...(fee.description ? [(vi ? 'Ghi chú về phí: ' : 'Fee note: ') + fee.description] : []),
  ];
}

/** Joins blocks; when the last optional ones do not fit, they are left out whole and `more` is said instead. */
function fit(required: string[], optional: string[], tail: string, more: string): string {
  const keep = [...optional];
  const compose = (o: string[], dropped: boolean) => [...required, ...o, ...(dropped ? [more] : []), tail].join('\n');
  let text = compose(keep, false);
  while (text.length > MAX_MESSAGE_CHARS && keep.length) {
    keep.pop();
    text = compose(keep, true);
  }
  return text;
}

/** The fixed sentences of the online steps. */
const ONLINE = {
  vi: {
    title: 'Nộp hồ sơ trực tuyến',
    fully: 'Thủ tục này được giải quyết trực tuyến toàn trình.',
    listed: 'Danh mục thủ tục cho phép nộp hồ sơ trực tuyến.',
    login:
      '1. Đăng nhập bằng tài khoản định danh điện tử VNeID mức độ 2 — tài khoản do cơ quan Công an cấp sau khi xác thực ảnh chân dung và vân tay, dùng để đăng nhập Cổng dịch vụ công. Nếu chưa có mức độ 2, bạn đến Công an cấp xã để kích hoạt.',
    form: '3. Điền tờ khai điện tử (e-form) theo hướng dẫn trên trang.',
    submit: '5. Bấm nộp hồ sơ và ghi lại mã hồ sơ hệ thống cấp (để tra cứu và thanh toán).',
  },
  en: {
    title: 'Submitting online',
    fully: 'This procedure is handled fully online ("toàn trình").',
    listed: 'The listing allows submitting this procedure online.',
    login:
      '1. Log in with a level-2 VNeID electronic identity account — issued by the police after checking your photo and fingerprints, and used to sign in to the public service portal. Without level 2, activate it at the commune police (Công an cấp xã).',
    form: '3. Fill in the electronic form (e-form) as the page guides you.',
    submit: '5. Submit, and keep the dossier code (mã hồ sơ) the system gives you (to track and pay).',
  },
} as const;

export function onlineSteps(p: Procedure, profile: CommuneProfile, override: ChannelOverride | null, language: Language): ReplyMessage | null {
  if (!hasOnlineChannel(p)) return null;
  const vi = language === 'vi';
  const url = override?.portalUrl ?? p.url;
  const open =
    override?.portalUrl || p.urlKind !== 'search'
      ? vi ? `2. Mở trang thủ tục: ${url}` : `2. Open the procedure's page: ${url}`
      : vi ? `2. Vào ${p.url}, tìm mã thủ tục ${p.code} và mở thủ tục.` : `2. Go to ${p.url}, search for the code ${p.code} and open the procedure.`;
  const rules = profile.uploadRules;
  const upload = rules
    ? vi
      ? `4. Tải lên bản chụp hoặc bản quét các giấy tờ trong danh sách ở trên: định dạng ${rules.formats.join(', ')}, mỗi tệp tối đa ${rules.maxSizeMb} MB.`
      : `4. Upload photos or scans of the papers listed above: ${rules.formats.join(', ')}, at most ${rules.maxSizeMb} MB per file.`
    : vi
      ? '4. Tải lên bản chụp hoặc bản quét các giấy tờ trong danh sách ở trên; Cổng dịch vụ công ghi rõ định dạng và dung lượng tệp được nhận.'
      : '4. Upload photos or scans of the papers listed above; the portal shows which file types and sizes it accepts.';
  const t = ONLINE[language];
  const steps = [heading(p, t.title, language), isFullyOnline(p, override) ? t.fully : t.listed, t.login, open, t.form, upload, t.submit];
  const [time, fee, note] = termsLines(p, 'truc_tuyen', language);
  const more = vi ? 'Ghi chú về phí: xem tin nhắn phí, lệ phí hoặc trang chính thức.' : 'Fee note: see the fee message or the official page.';
  const text = fit([...steps, time!, fee!], note ? [note] : [], sourceLine(p, language), more);
  return { text, link: { url, label: vi ? 'Mở trang thủ tục' : 'Open the procedure' } };
}

const DAYS: { key: keyof WorkingHours['weekly']; vi: string; en: string }[] = [
  { key: 'mon', vi: 'Thứ Hai', en: 'Mon' },
  { key: 'tue', vi: 'Thứ Ba', en: 'Tue' },
  { key: 'wed', vi: 'Thứ Tư', en: 'Wed' },
  { key: 'thu', vi: 'Thứ Năm', en: 'Thu' },
  { key: 'fri', vi: 'Thứ Sáu', en: 'Fri' },
  { key: 'sat', vi: 'Thứ Bảy', en: 'Sat' },
  { key: 'sun', vi: 'Chủ Nhật', en: 'Sun' },
];

/** "Thứ Hai–Thứ Sáu 07:30-17:00; Thứ Bảy 07:30-11:30; nghỉ trưa 11:30-13:30" from the structured hours. */
export function weeklyHours(hours: WorkingHours, language: Language): string | null {
  const runs: { from: string; to: string; span: string }[] = [];
  for (const d of DAYS) {
    const span = hours.weekly[d.key];
    if (!span) continue;
    const last = runs.at(-1);
    const prev = DAYS[DAYS.findIndex((x) => x.key === d.key) - 1];
    if (last && last.span === span && prev && hours.weekly[prev.key] === span) last.to = d[language];
    else runs.push({ from: d[language], to: d[language], span });
  }
  if (!runs.length) return null;
  const days = runs.map((r) => `${r.from === r.to ? r.from : `${r.from}–${r.to}`} ${r.span}`).join('; ');
  return hours.lunchBreak ? `${days}; ${language === 'vi' ? 'nghỉ trưa' : 'lunch break'} ${hours.lunchBreak}` : days;
}

export function inPersonSteps(p: Procedure, profile: CommuneProfile, language: Language): ReplyMessage {
  const vi = language === 'vi';
  const c = profile.centre;
  const place = [c.name, c.address].filter(Boolean).join(', ');
  const hours = c.openingHours ?? (profile.hours ? weeklyHours(profile.hours, language) : null);
  const lines = [
    heading(p, vi ? 'Nộp hồ sơ trực tiếp' : 'Submitting in person', language),
    place
      ? vi ? `Nơi nộp: ${place}` : `Where: ${place}`
      : vi ? 'Trợ lý chưa có địa chỉ của Trung tâm Phục vụ hành chính công; nơi tiếp nhận có ở trang chính thức.' : 'The assistant does not have the centre\'s address; the official page says where to submit.',
    hours
      ? vi ? `Giờ làm việc: ${hours}` : `Opening hours: ${hours}`
      : vi ? 'Trợ lý chưa có giờ làm việc của Trung tâm.' : 'The assistant does not have the centre\'s opening hours.',
    ...(c.hotline ? [vi ? `Điện thoại: ${c.hotline}` : `Phone: ${c.hotline}`] : []),
    vi ? 'Mang theo các giấy tờ trong danh sách ở trên (bản chính, bản sao đúng như danh sách ghi).' : 'Bring the papers listed above (originals and copies as the list says).',
  ];
  const optional: string[] = [];
  if (!place && p.receivingAddress) optional.unshift(vi ? `Hồ sơ ghi nơi tiếp nhận: ${p.receivingAddress}` : `The record says where to submit: ${p.receivingAddress}`);
  let terms: string[];
  if (p.channels.some((x) => x.channel === 'truc_tiep')) {
    const [time, fee, note] = termsLines(p, 'truc_tiep', language);
    terms = [time!, fee!];
    if (note) optional.push(note);
  } else {
    terms = [vi ? 'Danh mục không ghi thời hạn và phí cho hình thức nộp trực tiếp.' : 'The listing gives no time or fee for submitting in person.'];
  }
  const more = vi ? 'Phần còn lại: xem trang chính thức.' : 'The rest: see the official page.';
  return { text: fit([...lines, ...terms], optional, sourceLine(p, language), more), link: { url: p.url, label: vi ? 'Trang chính thức' : 'Official page' } };
}
