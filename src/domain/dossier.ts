import { z } from 'zod';

/**
 * Dossiers (hồ sơ) a citizen submitted and told the bot about, channel-neutral. The bot never submits: the
 * one-stop system issues the code; the bot stores it with the procedure, how it was submitted and paid, and tells
 * the citizen when staff change its status.
 */

/** submitted (the citizen gave the code) → received → processing → supplement (something missing) → done | returned. */
export const DossierStatusSchema = z.enum(['submitted', 'received', 'processing', 'supplement', 'done', 'returned']);
export type DossierStatus = z.infer<typeof DossierStatusSchema>;

/** The statuses staff set (`PATCH /api/dossiers/{code}`). */
export const StaffDossierStatusSchema = z.enum(['received', 'processing', 'supplement', 'done', 'returned']);

export const DOSSIER_STATUS_LABELS: Record<DossierStatus, string> = {
  submitted: 'Đã nộp',
  received: 'Đã tiếp nhận',
  processing: 'Đang giải quyết',
  supplement: 'Cần bổ sung',
  done: 'Đã có kết quả',
  returned: 'Trả lại hồ sơ',
};

/**
 * portal: paid on the national portal's Payment Platform ("Quản lý hồ sơ" → "Yêu cầu thanh toán"): the only way
 * that counts as online payment in the province's figures (QĐ 766/QĐ-TTg). transfer: a VietQR bank transfer to the
 * commune's fee account: cashless, but not an online payment in those figures. cash; exempt (nothing to pay).
 */
export const PaymentMethodSchema = z.enum(['portal', 'transfer', 'cash', 'exempt']);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  portal: 'Thanh toán trên Cổng Dịch vụ công',
  transfer: 'Chuyển khoản (VietQR)',
  cash: 'Tiền mặt tại Trung tâm',
  exempt: 'Miễn phí / được miễn',
};

export const PaymentStatusSchema = z.enum(['claimed', 'confirmed', 'rejected']);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

export const SubmittedViaSchema = z.enum(['online', 'in_person']);
export type SubmittedVia = z.infer<typeof SubmittedViaSchema>;

export interface Dossier {
  id: number;
  code: string;
  conversationId: string;
  channel: string;
  chatId: string;
  procedureCode: string | null;
  submittedVia: SubmittedVia | null;
  status: DossierStatus;
  paymentMethod: PaymentMethod | null;
  paymentStatus: PaymentStatus | null;
  feeCharged: boolean | null;
  dueAt: string | null;
  receivedAt: string | null;
  doneAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A dossier code as one-stop systems issue them ("H56.14-240823-0001", "000.00.06.H56-231027-0361"); other systems
 * differ, so the check is loose: 10–40 characters of letters, digits, dots and dashes, with at least one digit and
 * one separator (so a procedure code such as 1.001193 is not one).
 */
export const DOSSIER_CODE = /^(?=[A-Za-z0-9.\-]{10,40}$)(?=.*\d)(?=.*[.\-])[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)+$/;

/** The guide's funnel steps (guide_events.step), in order. */
export const GuideStepSchema = z.enum(['started', 'checklist', 'channel_chosen', 'submitted', 'payment', 'paid', 'done', 'rated', 'cancelled', 'handover']);
export type GuideStep = z.infer<typeof GuideStepSchema>;
