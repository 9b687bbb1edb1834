/**
 * The transfer memo (nội dung chuyển khoản) carried in the VietQR payload: what the centre's staff read on their
 * bank statement to match a transfer to a dossier. NAPAS carries at most 25 characters and banks mangle anything
 * beyond plain ASCII (the library counts characters, not bytes, so "Lệ phí" would even corrupt the payload), so
 * the memo is ASCII letters, digits, spaces, dots and dashes only.
 */
export const MEMO_MAX = 25;

const MEMO_CHARS = /^[A-Za-z0-9 .-]+$/;

export class MemoError extends Error {}

/** Throws a `MemoError` unless `memo` is 1–25 characters of ASCII letters, digits, spaces, dots and dashes. */
export function assertMemo(memo: string): string {
  if (memo.length === 0 || memo.length > MEMO_MAX) throw new MemoError(`transfer memo must be 1–${MEMO_MAX} characters, got ${memo.length}`);
  if (!MEMO_CHARS.test(memo)) throw new MemoError('transfer memo must be ASCII letters, digits, spaces, dots and dashes');
  return memo;
}

/** Diacritics folded ("Đ" → "D", "ệ" → "e"), anything else outside the memo's characters dropped, spaces squeezed. */
export function toMemoText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The memo for a fee transfer: "HS <dossier code>" when the code fits ("HS H56.14-240823-0001"), else the code
 * alone ("000.00.06.H56-231027-0361", 25), else "HS " and the code's most specific end: whole trailing segments of
 * the code (split at dots and dashes) as many as fit, so the running number and the date are always kept
 * ("HS H56-231027-0361"). Without a dossier code yet: "LE PHI <procedure code>", the procedure code cut back to
 * whole leading segments (its first two name the procedure: "1.001193"). Throws a `MemoError` when nothing fits.
 */
export function transferMemo(dossierCode: string | null, procedureCode: string): string {
  const code = dossierCode === null ? '' : toMemoText(dossierCode).replace(/ /g, '');
  if (code) {
    const whole = [`HS ${code}`, code].find((m) => m.length <= MEMO_MAX);
    if (whole) return assertMemo(whole);
    return assertMemo(`HS ${fitEnd(code, MEMO_MAX - 3)}`);
  }
  const proc = toMemoText(procedureCode).replace(/ /g, '');
  return assertMemo(`LE PHI ${fitStart(proc, MEMO_MAX - 7)}`);
}

/** The longest run of whole trailing segments of `code` (with their separators) of at most `max` characters. */
function fitEnd(code: string, max: number): string {
  const cuts = [...code.matchAll(/[.-]/g)].map((m) => m.index + 1);
  for (const at of cuts) if (code.length - at <= max) return code.slice(at);
  throw new MemoError(`dossier code "${code}" has no trailing part of at most ${max} characters`);
}

/** The longest run of whole leading segments of `code` of at most `max` characters. */
function fitStart(code: string, max: number): string {
  if (code.length <= max) return code;
  const cuts = [...code.matchAll(/[.-]/g)].map((m) => m.index).reverse();
  for (const at of cuts) if (at > 0 && at <= max) return code.slice(0, at);
  throw new MemoError(`procedure code "${code}" has no leading part of at most ${max} characters`);
}
