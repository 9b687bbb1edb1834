import type { ErrorCode } from '../../server/errors.ts';
import type { DeskResult } from '../../services/handover/types.ts';

type DeskFailure = Extract<DeskResult, { ok: false }>;

/**
 * A refusal from the handover desk as the console answers it: the catalogue code (and so the HTTP status) and the
 * sentence the staff member reads. Someone else's claim names them, so the loser of a race knows whom to ask.
 */
export function deskFailure(f: DeskFailure): { code: ErrorCode; message: string } {
  switch (f.reason) {
    case 'taken':
      return { code: 'conflict', message: f.ownerName ? `Yêu cầu này đã có cán bộ ${f.ownerName} nhận.` : 'Yêu cầu này đã có cán bộ khác nhận.' };
    case 'not_owner':
      return { code: 'forbidden', message: 'Chỉ cán bộ đang phụ trách yêu cầu này mới làm được việc này.' };
    case 'not_found':
      return { code: 'not_found', message: 'Không tìm thấy yêu cầu này.' };
    case 'closed':
      return { code: 'conflict', message: 'Yêu cầu này đã đóng.' };
    case 'bad_target':
      return { code: 'bad_request', message: 'Không chuyển được: tài khoản nhận không tồn tại hoặc đã bị khóa.' };
  }
}
