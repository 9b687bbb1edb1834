import QRCode from 'qrcode';
import { QRPay } from 'vietnam-qr-pay';
import type { FeeAccount } from './fee-account.ts';
import { assertMemo } from './memo.ts';

/**
 * VietQR (NAPAS 247, "chuyển nhanh đến tài khoản") payloads for the commune's fee account, built and read with
 * `vietnam-qr-pay`, drawn as PNG with `qrcode`. The library checks neither the account nor the memo: both are
 * checked here, and every payload is parsed back before it is used (`vietQrPayload` throws when it does not round
 * trip), so a citizen is never shown a code their bank app would read differently.
 */
export class VietQrError extends Error {}

const BIN = /^\d{6}$/;
const ACCOUNT = /^\d{6,19}$/;
/** EMV field 54 holds at most 13 characters; VND has no decimals. */
const AMOUNT_MAX = 9_999_999_999_999;

export interface ParsedVietQr {
  bankBin: string;
  accountNumber: string;
  amount: number | null;
  memo: string | null;
}

/** The payload for a transfer to `a`: with the amount only when one exact amount is known (else the payer types it). */
export function vietQrPayload(a: FeeAccount, amount: number | null, memo: string): string {
  if (!BIN.test(a.bankBin)) throw new VietQrError('bank BIN must be 6 digits');
  if (!ACCOUNT.test(a.accountNumber)) throw new VietQrError('account number must be 6–19 digits');
  if (amount !== null && !(Number.isSafeInteger(amount) && amount > 0 && amount <= AMOUNT_MAX)) throw new VietQrError('amount must be a whole number of đồng above 0');
  assertMemo(memo);
  const payload = QRPay.initVietQR({ bankBin: a.bankBin, bankNumber: a.accountNumber, purpose: memo, ...(amount !== null ? { amount: String(amount) } : {}) }).build();
  const back = parseVietQr(payload);
  if (back.bankBin !== a.bankBin || back.accountNumber !== a.accountNumber || back.amount !== amount || back.memo !== memo) {
    throw new VietQrError('VietQR payload does not parse back to the same transfer');
  }
  return payload;
}

/** Reads a VietQR payload (CRC checked by the library); throws a `VietQrError` for anything else. */
export function parseVietQr(payload: string): ParsedVietQr {
  const qr = new QRPay(payload);
  if (!qr.isValid || qr.provider.name !== 'VIETQR' || !qr.consumer.bankBin || !qr.consumer.bankNumber) throw new VietQrError('not a valid VietQR payload');
  const amount = qr.amount === undefined || qr.amount === '' ? null : Number(qr.amount);
  if (amount !== null && !Number.isFinite(amount)) throw new VietQrError('VietQR amount is not a number');
  return { bankBin: qr.consumer.bankBin, accountNumber: qr.consumer.bankNumber, amount, memo: qr.additionalData.purpose ?? null };
}

/** The payload as a PNG QR code, medium error correction, with a quiet zone phones read reliably from a screen. */
export async function vietQrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 512 });
}
