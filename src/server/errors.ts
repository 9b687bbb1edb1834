import type { FastifyReply } from 'fastify';

/**
 * The one error catalogue of the HTTP edge: a machine code, its status and the Vietnamese message a person reads.
 * Every route answers an error in one shape, `{ ok: false, code, error }` (`error` is the message), so the web chat
 * shows `error` and platforms and scripts read `code`.
 */
export const ERRORS = {
  bad_request: { status: 400, message: 'Yêu cầu không hợp lệ.' },
  malformed_json: { status: 400, message: 'Dữ liệu gửi lên không đúng định dạng JSON.' },
  malformed_update: { status: 400, message: 'Bản cập nhật không đúng định dạng của nền tảng.' },
  unauthorized: { status: 401, message: 'Thiếu hoặc sai mã bí mật.' },
  forbidden: { status: 403, message: 'Bạn không có quyền thực hiện thao tác này.' },
  csrf: { status: 403, message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn. Vui lòng tải lại trang rồi thử lại.' },
  not_found: { status: 404, message: 'Không tìm thấy.' },
  conflict: { status: 409, message: 'Yêu cầu xung đột với trạng thái hiện tại.' },
  payload_too_large: { status: 413, message: 'Nội dung quá lớn.' },
  unsupported_media_type: { status: 415, message: 'Chỉ nhận dữ liệu JSON.' },
  too_many_requests: { status: 429, message: 'Bạn gửi quá nhiều yêu cầu. Vui lòng chờ một phút rồi thử lại.' },
  unavailable: { status: 503, message: 'Hệ thống đang bận, vui lòng thử lại sau ít phút.' },
  internal_error: { status: 500, message: 'Hệ thống gặp sự cố, vui lòng thử lại sau.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  ok: false;
  code: ErrorCode;
  error: string;
}

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { ok: false, code, error: message ?? ERRORS[code].message };
}

/** Answers `code` with its status and the one error shape; `message` replaces the catalogue's wording. */
export function sendError(reply: FastifyReply, code: ErrorCode, message?: string): FastifyReply {
  return reply.code(ERRORS[code].status).send(errorBody(code, message));
}

/** 400 in the one error shape with each field's message (by its path), for a page to show beside the field. */
export function sendFieldErrors(reply: FastifyReply, error: string, fields: Record<string, string>): FastifyReply {
  return reply.code(400).send({ ...errorBody('bad_request', error), fields });
}

/** The catalogue code for an error fastify raised while reading a request (body too large, bad JSON…). */
export function codeOfFastifyError(err: { statusCode?: number; code?: string }): ErrorCode {
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 404) return 'not_found';
  // Raised by @fastify/rate-limit (429) and @fastify/csrf-protection (403) on routes that use them directly.
  if (status === 429) return 'too_many_requests';
  if (status === 403) return /CSRF/i.test(err.code ?? '') ? 'csrf' : 'forbidden';
  if (status === 400) return err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(err.code ?? '') ? 'malformed_json' : 'bad_request';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'internal_error';
}
