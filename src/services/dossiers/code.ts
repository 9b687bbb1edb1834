import { DOSSIER_CODE } from '../../domain/dossier.ts';

/** Next to one of these, a code-like run is part of an e-mail address, a link or a file name, not a code. */
const GLUED = /[@/\\:_=?&#%+]/;

/**
 * The dossier code (mã hồ sơ) in what a citizen wrote: "mã hồ sơ của tôi là H56.14-240823-0001" →
 * "H56.14-240823-0001". One-stop systems differ, so the form is the loose DOSSIER_CODE; what looks like it but is
 * something else is skipped: digits and separators alone — a phone number ("0912.345.678"), a date ("2026-12-01",
 * "01.12.2026"), an amount — since a code always has a letter among them (the agency part, "H56"); and a run glued
 * to an e-mail address or a link. Procedure codes (1.001193) are too short for DOSSIER_CODE.
 */
export function findDossierCode(text: string): string | null {
  const runs = /[A-Za-z0-9.-]+/g;
  for (let m = runs.exec(text); m; m = runs.exec(text)) {
    const before = text[m.index - 1] ?? '';
    const after = text[m.index + m[0].length] ?? '';
    if (GLUED.test(before) || GLUED.test(after)) continue;
    // a sentence's full stop or a dash at either edge is not part of the code
    const token = m[0].replace(/^[.-]+|[.-]+$/g, '');
    if (DOSSIER_CODE.test(token) && /[A-Za-z]/.test(token)) return token;
  }
  return null;
}
