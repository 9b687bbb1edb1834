import { END_STATUS_LABELS, type EndStatus, type TicketReason } from '../../domain/staff.ts';

/** Everything the staff group reads from the desk, in Vietnamese. */

export const CHANNEL_LABELS: Record<string, string> = { telegram: 'Telegram', zalo: 'Zalo', web: 'Web' };
export const channelLabel = (channel: string) => CHANNEL_LABELS[channel] ?? channel;

export const REASON_LABELS: Record<TicketReason, string> = {
  asked_for_person: 'Người dân muốn gặp cán bộ',
  no_answer: 'Trợ lý chưa trả lời được',
  case_status: 'Hỏi tình trạng hồ sơ',
  choice: 'Người dân chọn gặp cán bộ',
  low_rating: 'Người dân chấm điểm không hài lòng',
};

export const BUTTONS = {
  claim: 'Nhận',
  transfer: 'Chuyển',
  close: 'Đóng',
  toQueue: 'Về hàng chờ',
  back: '↩ Quay lại',
} as const;

export const ALERTS = {
  notStaff: 'Bạn chưa được cấp quyền cán bộ.',
  taken: (ownerName: string | null | undefined) => `Yêu cầu này đã có cán bộ ${ownerName || 'khác'} nhận.`,
  alreadyYours: 'Bạn đã nhận yêu cầu này rồi.',
  notOwner: 'Chỉ cán bộ đang xử lý yêu cầu này mới làm được việc này.',
  closed: 'Yêu cầu đã đóng.',
  notFound: 'Không tìm thấy yêu cầu này.',
  badTarget: 'Không chuyển được: tài khoản này không còn hoạt động.',
  failed: 'Chưa thực hiện được, vui lòng bấm lại.',
  claimed: (id: number) => `Bạn đã nhận yêu cầu #${id}. Hãy trả lời người dân ngay tại đây.`,
  claimedWithCallback: (id: number, phone: string) => `Bạn đã nhận yêu cầu #${id}. Người dân đề nghị gọi lại: ${phone}. Số này chỉ dùng để gọi lại về yêu cầu này.`,
  released: (id: number) => `Đã trả yêu cầu #${id} về hàng chờ.`,
  transferred: (id: number, to: string) => `Đã chuyển yêu cầu #${id} cho ${to}.`,
  closedAs: (id: number, s: EndStatus) => `Đã đóng yêu cầu #${id}: ${END_STATUS_LABELS[s]}.`,
  noColleague: 'Chưa có cán bộ nào khác để chuyển.',
} as const;

export const REFUSALS = {
  notStaff: 'Bạn chưa được cấp quyền cán bộ, nên tin nhắn của bạn không được chuyển tới người dân.',
  claimFirst: 'Bạn cần bấm Nhận trước khi trả lời.',
  otherOwner: (ownerName: string | null) => `Yêu cầu này đang do cán bộ ${ownerName || 'khác'} xử lý; chỉ người nhận mới trả lời được.`,
  closed: 'Yêu cầu đã đóng.',
  textOnly: 'Hiện chỉ chuyển được tin nhắn chữ tới người dân.',
} as const;

/** The lines posted in a ticket's topic (or as replies to its card), one per event. */
export const LINES = {
  citizen: (text: string) => `👤 Người dân: ${text}`,
  staff: (name: string | null, text: string) => `🧑‍💼 ${name ?? 'Cán bộ'} (bảng điều khiển): ${text}`,
  claimed: (name: string | null) => `🙋 ${name ?? 'Một cán bộ'} đã nhận yêu cầu.`,
  released: (name: string | null) => `↩ ${name ?? 'Cán bộ'} đã trả yêu cầu về hàng chờ.`,
  transferred: (from: string | null, to: string | null) => `➡ ${from ?? 'Cán bộ'} đã chuyển yêu cầu cho ${to ?? 'cán bộ khác'}.`,
  closed: (name: string | null, s: EndStatus | null) => {
    const how = s ? `: ${END_STATUS_LABELS[s]}` : '';
    return name ? `✅ ${name} đã đóng yêu cầu${how}.` : `✅ Yêu cầu đã đóng${how}.`;
  },
  callback: '📞 Người dân đồng ý để cán bộ gọi lại (số điện thoại chỉ xem được trong bảng điều khiển).',
} as const;

export const QUEUE = {
  empty: 'Không có yêu cầu nào đang chờ.',
  title: (n: number) => `Hàng chờ (${n} yêu cầu):`,
} as const;
