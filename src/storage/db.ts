/**
 * The one small query interface both back-ends implement: embedded PGlite (default) and a PostgreSQL server
 * through `pg`. Everything above storage speaks plain parameterised SQL through this.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** pgvector's text form: `[1,2,3]`. Passing a JS array straight in fails on both back-ends. */
export function toVectorLiteral(v: ArrayLike<number>): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + (v[i] as number).toFixed(6).replace(/\.?0+$/, '');
  return s + ']';
}

/** Quotes a value as an SQL string literal: only where a literal is required (DDL, or a partial index to apply). */
export function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
