import type { Queryable } from './db.ts';

/** An admin's local settings for one procedure, kept apart from imports (procedure_overrides). */
export interface ProcedureOverride {
  code: string;
  /** "Toàn trình": set by an admin (the listing does not say); null = not set. */
  fullyOnline: boolean | null;
  /** The province portal's page for submitting it online. */
  portalUrl: string | null;
  /** Shown with answers and the guide ("Nộp tại quầy số 3"). */
  localNote: string | null;
  excluded: boolean;
  /** Whether the fee-collection account (VietQR) may be offered for it. */
  feeAccountAllowed: boolean;
}

export class ProcedureOverrideStore {
  constructor(private readonly db: Queryable) {}

  async get(code: string): Promise<ProcedureOverride | null> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT code, fully_online, portal_url, local_note, excluded, fee_account_allowed FROM procedure_overrides WHERE code = $1`,
      [code],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      code: String(r.code),
      fullyOnline: r.fully_online === null ? null : Boolean(r.fully_online),
      portalUrl: (r.portal_url as string | null) ?? null,
      localNote: (r.local_note as string | null) ?? null,
      excluded: Boolean(r.excluded),
      feeAccountAllowed: Boolean(r.fee_account_allowed),
    };
  }

  /** Inserts or updates the given fields (the admin console of the next issue; tests). */
  async set(code: string, patch: Partial<Omit<ProcedureOverride, 'code'>>, updatedBy: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO procedure_overrides (code, fully_online, portal_url, local_note, excluded, fee_account_allowed, updated_by)
       VALUES ($1, $2, $3, $4, COALESCE($5, false), COALESCE($6, true), $7)
       ON CONFLICT (code) DO UPDATE SET
         fully_online = CASE WHEN $8 THEN EXCLUDED.fully_online ELSE procedure_overrides.fully_online END,
         portal_url = CASE WHEN $9 THEN EXCLUDED.portal_url ELSE procedure_overrides.portal_url END,
         local_note = CASE WHEN $10 THEN EXCLUDED.local_note ELSE procedure_overrides.local_note END,
         excluded = COALESCE($5, procedure_overrides.excluded),
         fee_account_allowed = COALESCE($6, procedure_overrides.fee_account_allowed),
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [
        code,
        patch.fullyOnline ?? null,
        patch.portalUrl ?? null,
        patch.localNote ?? null,
        patch.excluded ?? null,
        patch.feeAccountAllowed ?? null,
        updatedBy,
        'fullyOnline' in patch,
        'portalUrl' in patch,
        'localNote' in patch,
      ],
    );
  }
}
