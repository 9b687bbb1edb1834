import type { StaffUser } from '../domain/staff.ts';
import type { Procedure } from '../knowledge/procedure.ts';
import { fold } from '../retrieval/text.ts';
import type { AuditLog } from '../storage/audit-log.ts';
import type { Db } from '../storage/db.ts';
import type { ProcedureOverride, ProcedureOverrideStore, ProcedureWithOverride } from '../storage/procedure-override-store.ts';
import type { LocalOverrides } from './local-overrides.ts';
import type { OverrideBody } from './validation.ts';

export interface OverridesAdminDeps {
  db: Db;
  store: ProcedureOverrideStore;
  /** The assistant's in-memory copy, reloaded after every change. */
  cache: Pick<LocalOverrides, 'refresh'>;
  audit: AuditLog;
  procedures: { get(code: string): Promise<Procedure | null> };
}

/** A procedure as the admin page shows it beside its override form. */
export interface ProcedureSummary {
  code: string;
  title: string;
  levels: string[];
  field: string | null;
  url: string;
  /** Channels the listing gives (truc_tuyen, truc_tiep, buu_chinh). */
  channels: string[];
  /** The listing's own "toàn trình" flag, when it states one. */
  listingFullyOnline: boolean | null;
}

export type OverrideChange = { ok: true; before: ProcedureOverride | null; after: ProcedureOverride | null } | { ok: false; reason: 'unknown_procedure' | 'no_override' };

const CODE_LIKE = /^\d+(\.\d*)*$/;

/**
 * The admins' local settings per procedure, kept apart from imports: search the knowledge base with each
 * procedure's override, change or remove one. Every change is written with its audit entry (before and after) in
 * one transaction, then the assistant's copy is reloaded so the next answer follows it.
 */
export class OverridesAdmin {
  constructor(private readonly deps: OverridesAdminDeps) {}

  /** By code ("1.0011") or by title words, folded ("khai sinh"); only overridden ones with `overriddenOnly`. */
  async search(query: string, overriddenOnly: boolean): Promise<ProcedureWithOverride[]> {
    const q = query.trim();
    if (CODE_LIKE.test(q)) return this.deps.store.searchProcedures({ codePrefix: q, overriddenOnly });
    const words = fold(q).split(/\s+/).filter(Boolean).slice(0, 12);
    return this.deps.store.searchProcedures({ words, overriddenOnly });
  }

  async detail(code: string): Promise<{ procedure: ProcedureSummary; override: ProcedureOverride | null } | null> {
    const p = await this.deps.procedures.get(code);
    if (!p) return null;
    return { procedure: summary(p), override: await this.deps.store.get(code) };
  }

  async set(code: string, patch: OverrideBody, user: StaffUser): Promise<OverrideChange> {
    if (!(await this.deps.procedures.get(code))) return { ok: false, reason: 'unknown_procedure' };
    const change = await this.deps.db.transaction(async (tx) => {
      const before = await this.deps.store.get(code, tx);
      await this.deps.store.set(code, patch, user.username, tx);
      const after = await this.deps.store.get(code, tx);
      await this.deps.audit.record({ userId: user.id, username: user.username, action: 'procedure_override.set', target: `procedure:${code}`, details: { before, after } }, tx);
      return { before, after };
    });
    await this.deps.cache.refresh();
    return { ok: true, ...change };
  }

  async remove(code: string, user: StaffUser): Promise<OverrideChange> {
    const before = await this.deps.db.transaction(async (tx) => {
      const found = await this.deps.store.get(code, tx);
      if (!found) return null;
      await this.deps.store.delete(code, tx);
      await this.deps.audit.record({ userId: user.id, username: user.username, action: 'procedure_override.delete', target: `procedure:${code}`, details: { before: found, after: null } }, tx);
      return found;
    });
    if (!before) return { ok: false, reason: 'no_override' };
    await this.deps.cache.refresh();
    return { ok: true, before, after: null };
  }
}

function summary(p: Procedure): ProcedureSummary {
  return {
    code: p.code,
    title: p.title,
    levels: p.levels,
    field: p.field,
    url: p.url,
    channels: [...new Set(p.channels.map((c) => c.channel))],
    listingFullyOnline: p.fullyOnline ?? null,
  };
}
