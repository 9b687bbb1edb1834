import { END_STATUS_LABELS, EndStatusSchema } from '../../domain/staff.ts';
import { CONSOLE_MAX_REPLY } from './requests.ts';

/**
 * The staff API as OpenAPI sees it (/docs): plain JSON schemas that describe the routes. They document only: the
 * console's scope validates nothing with them and serialises with JSON.stringify, because each handler reads its
 * input with the zod schemas of requests.ts, which give the Vietnamese message for each field.
 */

const ERROR = {
  type: 'object',
  required: ['ok', 'code', 'error'],
  properties: { ok: { type: 'boolean', enum: [false] }, code: { type: 'string' }, error: { type: 'string', description: 'Thông báo tiếng Việt' } },
} as const;

const TICKET = {
  type: 'object',
  description: 'Yêu cầu gặp cán bộ (Ticket), kèm vị trí trong hàng chờ và thời gian chờ ước tính (phút) khi đang chờ.',
  additionalProperties: true,
  properties: {
    id: { type: 'integer' },
    channel: { type: 'string', enum: ['telegram', 'zalo', 'web'] },
    status: { type: 'string', enum: ['waiting', 'with_staff', 'closed'] },
    procedureCode: { type: 'string', nullable: true },
    summary: { type: 'string' },
    ownerId: { type: 'integer', nullable: true },
    ownerName: { type: 'string', nullable: true },
    endStatus: { type: 'string', nullable: true },
    callbackRequested: { type: 'boolean' },
    flagged: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    position: { type: 'integer', nullable: true },
    estimatedWaitMinutes: { type: 'integer', nullable: true },
  },
} as const;

const EVENT = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'integer' },
    ticketId: { type: 'integer' },
    kind: { type: 'string' },
    actorId: { type: 'integer', nullable: true },
    actorName: { type: 'string', nullable: true },
    text: { type: 'string', nullable: true },
    data: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;
const ONE_TICKET = { type: 'object', properties: { ok: { type: 'boolean', enum: [true] }, ticket: TICKET } } as const;
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ERROR]));
const tags = ['staff'];
const read = { tags, security: [{ session: [] }] };
const write = { tags, security: [{ session: [], csrf: [] }] };

const endStatuses = EndStatusSchema.options.map((s) => `${s} (${END_STATUS_LABELS[s]})`).join(', ');

export const CONSOLE_API_DOCS = {
  list: {
    ...read,
    summary: 'Danh sách yêu cầu',
    querystring: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['open', 'waiting', 'with_staff', 'closed', 'all'], default: 'open' },
        mine: { type: 'string', enum: ['0', '1'], description: '1: chỉ yêu cầu tôi đang phụ trách' },
        flagged: { type: 'string', enum: ['0', '1'], description: '1: chỉ yêu cầu cần chú ý (đánh giá thấp)' },
      },
    },
    response: { 200: { type: 'object', properties: { ok: { type: 'boolean', enum: [true] }, tickets: { type: 'array', items: TICKET } } }, ...errors(400, 401, 403) },
  },
  get: {
    ...read,
    summary: 'Một yêu cầu, với nội dung trao đổi và các thay đổi',
    params: ID_PARAMS,
    response: { 200: { type: 'object', properties: { ok: { type: 'boolean', enum: [true] }, ticket: TICKET, events: { type: 'array', items: EVENT } } }, ...errors(400, 401, 403, 404) },
  },
  claim: { ...write, summary: 'Nhận yêu cầu', params: ID_PARAMS, response: { 200: ONE_TICKET, ...errors(400, 401, 403, 404, 409) } },
  release: {
    ...write,
    summary: 'Chuyển yêu cầu về hàng chờ hoặc cho đồng nghiệp',
    params: ID_PARAMS,
    body: { type: 'object', properties: { toUserId: { type: 'integer', minimum: 1, description: 'Bỏ trống: trả về hàng chờ' } } },
    response: { 200: ONE_TICKET, ...errors(400, 401, 403, 404, 409) },
  },
  close: {
    ...write,
    summary: 'Đóng yêu cầu',
    params: ID_PARAMS,
    body: { type: 'object', required: ['endStatus'], properties: { endStatus: { type: 'string', enum: EndStatusSchema.options, description: endStatuses } } },
    response: { 200: ONE_TICKET, ...errors(400, 401, 403, 404, 409) },
  },
  reply: {
    ...write,
    summary: 'Trả lời người dân',
    params: ID_PARAMS,
    body: {
      type: 'object',
      required: ['text', 'messageId'],
      properties: {
        text: { type: 'string', maxLength: CONSOLE_MAX_REPLY },
        messageId: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,100}$', description: 'Mã do trang tạo; gửi lại cùng mã thì tin chỉ được lưu một lần' },
      },
    },
    response: { 200: ONE_TICKET, ...errors(400, 401, 403, 404, 409) },
  },
  users: {
    ...read,
    summary: 'Đồng nghiệp đang hoạt động (để chuyển yêu cầu)',
    response: {
      200: {
        type: 'object',
        properties: {
          ok: { type: 'boolean', enum: [true] },
          users: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, displayName: { type: 'string' }, role: { type: 'string', enum: ['staff', 'admin'] } } } },
        },
      },
      ...errors(401, 403),
    },
  },
  events: {
    ...read,
    summary: 'Cập nhật trực tiếp (server-sent events)',
    description:
      'text/event-stream: mỗi sự kiện có `id:` là mã sự kiện của yêu cầu và `data:` là sự kiện (JSON) kèm ticketStatus, ownerId, ownerName hiện tại. ' +
      'Sự kiện đầu `event: ready` cho biết điểm bắt đầu. Kết nối lại với Last-Event-ID (hoặc ?after=) để không bỏ sót.',
    querystring: { type: 'object', properties: { after: { type: 'integer', minimum: 0 } } },
    response: { 200: { description: 'Luồng text/event-stream', type: 'string' }, ...errors(400, 401, 403) },
  },
};
