import type { Queryable } from '../storage/db.ts';
import { bigrams, contentTokens } from './text.ts';

export interface TitleEntry {
  code: string;
  title: string;
  levels: string[];
  isCommune: boolean;
  url: string;
  terms: Set<string>;
  /** Sum of the inverse document frequencies of the title's terms. */
  weight: number;
}

/**
 * In-memory statistics over procedure titles: which terms (syllables and syllable bigrams) each title has and how
 * rare each term is. PostgreSQL's ts_rank has no inverse document frequency, and "đăng ký" is in a third of all
 * titles, so the reranker weighs terms with these figures. A few thousand titles take well under a megabyte.
 */
export class TitleIndex {
  private constructor(
    private readonly entries: Map<string, TitleEntry>,
    private readonly idfs: Map<string, number>,
    private readonly dfs: Map<string, number>,
    private readonly defaultIdf: number,
  ) {}

  static build(rows: { code: string; title: string; title_folded: string; levels: string[]; is_commune: boolean; url: string }[]): TitleIndex {
    const df = new Map<string, number>();
    const termsOf = new Map<string, Set<string>>();
    for (const r of rows) {
      const terms = titleTerms(r.title_folded);
      termsOf.set(r.code, terms);
      for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const n = Math.max(rows.length, 1);
    const idfs = new Map<string, number>();
    for (const [t, d] of df) idfs.set(t, Math.log(1 + (n - d + 0.5) / (d + 0.5)));
    const defaultIdf = Math.log(1 + (n + 0.5) / 0.5);
    const entries = new Map<string, TitleEntry>();
    for (const r of rows) {
      const terms = termsOf.get(r.code)!;
      let weight = 0;
      for (const t of terms) weight += idfs.get(t)!;
      entries.set(r.code, { code: r.code, title: r.title, levels: r.levels, isCommune: r.is_commune, url: r.url, terms, weight });
    }
    return new TitleIndex(entries, idfs, df, defaultIdf);
  }

  static async load(db: Queryable): Promise<TitleIndex> {
    return TitleIndex.build(
      await db.query('SELECT code, title, title_folded, levels, is_commune, url FROM procedures'),
    );
  }

  private readonly families = new Map<string, string[]>();

  /**
   * The procedure and its variants: every procedure whose title has all of this one's words ("đăng ký kết hôn"
   * → "… có yếu tố nước ngoài", "… lưu động", "đăng ký lại kết hôn"). Lets the vocabulary name the base
   * procedure while the question's own words choose the variant.
   */
  family(code: string): string[] {
    const cached = this.families.get(code);
    if (cached) return cached;
    const base = this.entries.get(code);
    if (!base) return [];
    const words = [...base.terms].filter((t) => !t.includes('_'));
    const out = [code];
    for (const e of this.entries.values()) {
      if (e.code !== code && words.every((w) => e.terms.has(w))) out.push(e.code);
    }
    this.families.set(code, out);
    return out;
  }

  get size(): number {
    return this.entries.size;
  }

  get(code: string): TitleEntry | undefined {
    return this.entries.get(code);
  }

  idf(term: string): number {
    return this.idfs.get(term) ?? this.defaultIdf;
  }

  /** Whether any title has this term. */
  known(term: string): boolean {
    return this.dfs.has(term);
  }

  /** How many titles have this term. */
  df(term: string): number {
    return this.dfs.get(term) ?? 0;
  }

  /** Share of titles (0..1) that have this term. */
  share(term: string): number {
    return (this.dfs.get(term) ?? 0) / Math.max(this.entries.size, 1);
  }
}

/** Syllables (minus fillers) and adjacent-syllable bigrams of a folded title. */
export function titleTerms(folded: string): Set<string> {
  const toks = contentTokens(folded);
  return new Set([...toks, ...bigrams(folded.split(' '))]);
}
