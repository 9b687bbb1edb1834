import { type Procedure, ProcedureSchema } from '../knowledge/procedure.ts';
import type { Queryable } from './db.ts';

/** Full procedure records by code, as the knowledge base stored them: what answers are composed from. */
export class ProcedureStore {
  constructor(private readonly db: Queryable) {}

  async get(code: string): Promise<Procedure | null> {
    return (await this.getMany([code]))[0] ?? null;
  }

  /** Records in the order of `codes`; unknown codes are skipped. */
  async getMany(codes: string[]): Promise<Procedure[]> {
    if (!codes.length) return [];
    const rows = await this.db.query<{ code: string; record: unknown }>(
      'SELECT code, record FROM procedures WHERE code = ANY($1)',
      [codes],
    );
    const byCode = new Map(rows.map((r) => [r.code, ProcedureSchema.parse(typeof r.record === 'string' ? JSON.parse(r.record) : r.record)]));
    return codes.flatMap((c) => byCode.get(c) ?? []);
  }

  /** Which of `codes` the knowledge base has (without reading the records). */
  async existing(codes: string[]): Promise<Set<string>> {
    if (!codes.length) return new Set();
    const rows = await this.db.query<{ code: string }>('SELECT code FROM procedures WHERE code = ANY($1)', [codes]);
    return new Set(rows.map((r) => r.code));
  }
}
