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

/** A procedure of the knowledge base as the admin console lists it, with its local override. */
export interface ProcedureWithOverride {
  code: string;
  title: string;
  levels: string[];
  isCommune: boolean;
  url: string;
  override: ProcedureOverride | null;
}

const COLUMNS = 'code, fully_online, portal_url, local_note, excluded, fee_account_allowed';

function override(r: Record<string, unknown>): ProcedureOverride {
  return {
    code: String(r.code),
    fullyOnline: r.fully_online === null || r.fully_online === undefined ? null : Boolean(r.fully_online),
    portalUrl: (r.portal_url as string | null) ?? null,
    localNote: (r.local_note as string | null) ?? null,
    excluded: Boolean(r.excluded),
    feeAccountAllowed: Boolean(r.fee_account_allowed),
  };
}

export class ProcedureOverrideStore {
  constructor(private readonly db: Queryable) {}

  async get(code: string, q: Queryable = this.db): Promise<ProcedureOverride | null> {
    const rows = await q.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM procedure_overrides WHERE code = $1`, [code]);
    return rows[0] ? override(rows[0]) : null;
  }

  /** Every override, by code (a commune sets a few dozen at most). */
  async list(q: Queryable = this.db): Promise<ProcedureOverride[]> {
    const rows = await q.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM procedure_overrides ORDER BY code`);
    return rows.map(override);
  }

  /** Removes the override: the listing's values apply again. False when there was none. */
  async delete(code: string, q: Queryable = this.db): Promise<boolean> {
    const rows = await q.query(`DELETE FROM procedure_overrides WHERE code = $1 RETURNING code`, [code]);
    return rows.length > 0;
  }

  /**
   * Procedures of the knowledge base for the admin console, by code: those whose code starts with `codePrefix`, or
   * whose folded title holds every one of `words` (already folded, as src/retrieval/text.ts folds); only the
   * overridden ones with `overriddenOnly`. Each with its override, or null.
   */
  async searchProcedures(opts: { words?: string[]; codePrefix?: string; overriddenOnly?: boolean; limit?: number }, q: Queryable = this.db): Promise<ProcedureWithOverride[]> {
    const words = (opts.words ?? []).map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 200);
    const rows = await q.query<Record<string, unknown>>(
      `SELECT p.code AS p_code, p.title, p.levels, p.is_commune, p.url, o.code, o.fully_online, o.portal_url, o.local_note, o.excluded, o.fee_account_allowed
         FROM procedures p LEFT JOIN procedure_overrides o ON o.code = p.code
        WHERE ($1::text IS NULL OR p.code LIKE $1 || '%')
          AND p.title_folded LIKE ALL ($2::text[])
          AND (NOT $3 OR o.code IS NOT NULL)
        ORDER BY p.code LIMIT $4`,
      [opts.codePrefix ?? null, words, opts.overriddenOnly ?? false, limit],
    );
    return rows.map((r) => ({
      code: String(r.p_code),
      title: String(r.title),
      levels: (r.levels as string[] | null) ?? [],
      isCommune: Boolean(r.is_commune),
      url: String(r.url),
      override: r.code === null || r.code === undefined ? null : override(r),
    }));
  }

  /** Inserts or updates the given fields (the admin console; tests); `q` is the caller's transaction. */
  async set(code: string, patch: Partial<Omit<ProcedureOverride, 'code'>>, updatedBy: string | null, q: Queryable = this.db): Promise<void> {
    await q.query(
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
