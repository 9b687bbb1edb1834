import type { Vocabulary } from '../knowledge/vocabulary.ts';
import type { Db } from '../storage/db.ts';
import { sqlLiteral, toVectorLiteral } from '../storage/db.ts';
import type { Embedder } from './embeddings/index.ts';
import { type AnalysedQuery, analyseQuery, type CompiledVocabulary, compileVocabulary, validateQuery } from './query.ts';
import { TitleIndex } from './title-index.ts';

export interface MatchedChunk {
  id: string;
  section: string;
  via: 'fulltext' | 'vector';
  rank: number;
  body?: string;
}

export interface SearchHit {
  code: string;
  title: string;
  levels: string[];
  isCommune: boolean;
  url: string;
  score: number;
  /** 1-based rank of this procedure in each retrieval route that found it. */
  routes: Partial<Record<'fulltext' | 'trigram' | 'vector' | 'vocabulary' | 'lifeEvent', number>>;
  /** Reranking features: title-term match (0..1) and the share of the question's words the title explains. */
  features: { title: number; coverage: number };
  chunks: MatchedChunk[];
}

export interface SearchResult {
  query: AnalysedQuery;
  hits: SearchHit[];
  /** 0..1: how sure the top hit is what was asked for. */
  confidence: number;
  /** True when nothing in the knowledge base really matches the question. */
  noMatch: boolean;
}

/** Tunable weights; the defaults were set on the development set and checked on the hold-out set. */
export interface Ranking {
  rrfK: number;
  routeWeight: number;
  titleWeight: number;
  vocabWeight: number;
  lifeEventWeight: number;
  communeBonus: number;
  noMatchBelow: number;
}

export const DEFAULT_RANKING: Ranking = {
  rrfK: 10,
  routeWeight: 2,
  titleWeight: 1,
  vocabWeight: 0.6,
  lifeEventWeight: 0.15,
  communeBonus: 0.08,
  noMatchBelow: 0.3,
};

const CANDIDATES = 80;
/** HNSW returns at most ef_search (default 40) rows, so the vector route asks for that many. */
const VECTOR_CANDIDATES = 40;
/** Terms in more than this share of titles are left out of the full-text query (they match everything). */
const COMMON_TERM_SHARE = 0.12;

/**
 * Hybrid retrieval: full text (diacritics folded), title trigram and vector similarity each propose candidates
 * in SQL; candidates are fused by reciprocal rank and reranked with title-term coverage weighted by rarity,
 * the citizens' vocabulary, and a preference for the commune-level variant.
 */
export class ProcedureSearch {
  private titles: TitleIndex;
  private readonly vocab: CompiledVocabulary;

  private constructor(
    private readonly db: Db,
    private readonly embedder: Embedder,
    vocabulary: Vocabulary,
    titles: TitleIndex,
    private readonly ranking: Ranking,
  ) {
    this.vocab = compileVocabulary(vocabulary);
    this.titles = titles;
  }

  static async create(db: Db, embedder: Embedder, vocabulary: Vocabulary, ranking = DEFAULT_RANKING): Promise<ProcedureSearch> {
    return new ProcedureSearch(db, embedder, vocabulary, await TitleIndex.load(db), ranking);
  }

  /** Reloads title statistics after the knowledge base changed. */
  async refresh(): Promise<void> {
    this.titles = await TitleIndex.load(this.db);
  }

  async search(raw: string, opts: { limit?: number; withBodies?: boolean } = {}): Promise<SearchResult> {
    const limit = opts.limit ?? 10;
    const q = analyseQuery(validateQuery(raw), this.vocab);
    const [fulltext, trigram, vector] = await Promise.all([this.fulltext(q), this.trigram(q), this.vector(q)]);

    const routes = new Map<string, SearchHit['routes']>();
    const chunks = new Map<string, MatchedChunk[]>();
    const note = (code: string, route: keyof SearchHit['routes'], rank: number) => {
      const r = routes.get(code) ?? {};
      if (r[route] === undefined) r[route] = rank;
      routes.set(code, r);
    };
    const rankChunks = (rows: { id: string; code: string; section: string }[], via: MatchedChunk['via']) => {
      let rank = 0;
      const seen = new Set<string>();
      for (const row of rows) {
        if (!seen.has(row.code)) {
          seen.add(row.code);
          note(row.code, via, ++rank);
        }
        const list = chunks.get(row.code) ?? [];
        if (list.length < 4) list.push({ id: row.id, section: row.section, via, rank: rank });
        chunks.set(row.code, list);
      }
    };
    rankChunks(fulltext, 'fulltext');
    rankChunks(vector, 'vector');
    trigram.forEach((r, i) => note(r.code, 'trigram', i + 1));
    q.vocabCodes.forEach((c, i) => this.titles.get(c) && note(c, 'vocabulary', i + 1));
    q.lifeEventCodes.forEach((c, i) => this.titles.get(c) && note(c, 'lifeEvent', i + 1));

    const R = this.ranking;
    const rrf = (rank: number | undefined) => (rank === undefined ? 0 : 1 / (R.rrfK + rank));
    const queryTerms = [...q.tokens, ...q.bigrams].filter((t) => this.titles.known(t));
    const queryWeight = queryTerms.reduce((s, t) => s + this.titles.idf(t), 0);
    // Every content word of the question, known to the titles or not: what a good match should explain.
    const allWeight = q.tokens.reduce((s, t) => s + this.titles.idf(t), 0);

    const hits: SearchHit[] = [];
    for (const [code, r] of routes) {
      const entry = this.titles.get(code);
      if (!entry) continue;
      let matched = 0;
      for (const t of queryTerms) if (entry.terms.has(t)) matched += this.titles.idf(t);
      const recall = entry.weight ? matched / entry.weight : 0;
      const precision = queryWeight ? matched / queryWeight : 0;
      const title = Math.sqrt(recall * precision);
      let explained = 0;
      for (const t of q.tokens) if (entry.terms.has(t)) explained += this.titles.idf(t);
      const coverage = allWeight ? explained / allWeight : 0;
      const score =
        R.titleWeight * title +
        R.routeWeight * (rrf(r.fulltext) + rrf(r.vector) + rrf(r.trigram)) +
        (r.vocabulary ? R.vocabWeight / Math.sqrt(r.vocabulary) : 0) +
        (r.lifeEvent ? R.lifeEventWeight / Math.sqrt(r.lifeEvent) : 0) +
        (entry.isCommune && !q.namesOtherLevel ? R.communeBonus : 0);
      hits.push({
        code,
        title: entry.title,
        levels: entry.levels,
        isCommune: entry.isCommune,
        url: entry.url,
        score,
        routes: r,
        features: { title, coverage },
        chunks: chunks.get(code) ?? [],
      });
    }
    hits.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    const top = hits.slice(0, limit);
    if (opts.withBodies) await this.attachBodies(top);
    const confidence = this.confidence(top[0], top[1]);
    return { query: q, hits: top, confidence, noMatch: confidence < R.noMatchBelow };
  }

  /** Maps the top score and its margin over the runner-up to 0..1 (a logistic fitted on the development set). */
  private confidence(first: SearchHit | undefined, second: SearchHit | undefined): number {
    if (!first) return 0;
    const margin = first.score - (second?.score ?? 0);
    const z = 6 * (first.score - 0.35) + 4 * margin;
    return 1 / (1 + Math.exp(-z));
  }

  private async fulltext(q: AnalysedQuery): Promise<{ id: string; code: string; section: string }[]> {
    const words = q.tokens.filter((t) => this.titles.share(t) < COMMON_TERM_SHARE);
    const phrases = q.bigrams
      .filter((b) => this.titles.known(b))
      .map((b) => `(${b.replace('_', ' <-> ')})`);
    const terms = [...new Set([...phrases, ...words])];
    if (terms.length === 0) return [];
    return this.db.query(
      `SELECT c.id, c.code, c.section
         FROM chunks c, to_tsquery('simple', $1) q
        WHERE c.tsv @@ q AND c.section = 'overview'
        ORDER BY ts_rank_cd(c.tsv, q, 1) DESC, c.id
        LIMIT ${CANDIDATES}`,
      [terms.join(' | ')],
    );
  }

  private async trigram(q: AnalysedQuery): Promise<{ code: string }[]> {
    const text = q.tokens.join(' ');
    if (!text) return [];
    return this.db.query(
      `SELECT code FROM procedures WHERE title_folded % $1
        ORDER BY similarity(title_folded, $1) DESC, code LIMIT 30`,
      [text],
    );
  }

  private async vector(q: AnalysedQuery): Promise<{ id: string; code: string; section: string }[]> {
    const v = await this.embedder.embeddings.embedQuery(q.expanded);
    const dims = this.embedder.dimensions;
    const rows = await this.db.query<{ id: string }>(
      `SELECT chunk_id AS id FROM chunk_embeddings
        WHERE model = ${sqlLiteral(this.embedder.modelId)}
        ORDER BY embedding::vector(${dims}) <=> $1::vector(${dims})
        LIMIT ${VECTOR_CANDIDATES}`,
      [toVectorLiteral(v)],
    );
    return rows.map((r) => {
      const [code, section] = r.id.split('#') as [string, string];
      return { id: r.id, code, section };
    });
  }

  private async attachBodies(hits: SearchHit[]): Promise<void> {
    const ids = hits.flatMap((h) => h.chunks.map((c) => c.id));
    if (ids.length === 0) return;
    const rows = await this.db.query<{ id: string; body: string }>('SELECT id, body FROM chunks WHERE id = ANY($1::text[])', [ids]);
    const byId = new Map(rows.map((r) => [r.id, r.body]));
    for (const h of hits) for (const c of h.chunks) c.body = byId.get(c.id);
  }
}
