import type { Vocabulary } from '../knowledge/vocabulary.ts';
import type { Db } from '../storage/db.ts';
import { sqlLiteral, toVectorLiteral } from '../storage/db.ts';
import type { Embedder } from './embeddings/index.ts';
import { type AnalysedQuery, analyseQuery, type CompiledVocabulary, compileVocabulary, validateQuery } from './query.ts';
import { STOPWORDS } from './text.ts';
import { type TitleEntry, TitleIndex } from './title-index.ts';

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
  routes: Partial<Record<'fulltext' | 'trigram' | 'vector' | 'vocabulary' | 'variant' | 'lifeEvent', number>>;
  /** Reranking feature: title-term match (0..1), weighted by rarity; the confidence is computed from it. */
  features: { title: number };
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
  /** Title match = recall^e × precision^(1−e): how much of the title the question covers vs. the reverse. */
  titleRecallExponent: number;
  vocabWeight: number;
  /** Share of the vocabulary boost that variants of a named procedure receive. */
  variantShare: number;
  lifeEventWeight: number;
  communeBonus: number;
  /** For procedures at the level the question names, when it names one. */
  namedLevelBonus: number;
  noMatchBelow: number;
}

export const DEFAULT_RANKING: Ranking = {
  rrfK: 30,
  routeWeight: 2,
  titleWeight: 1,
  titleRecallExponent: 0.5,
  vocabWeight: 0.6,
  variantShare: 0.85,
  lifeEventWeight: 0.15,
  communeBonus: 0.08,
  namedLevelBonus: 0.4,
  noMatchBelow: 0.5,
};

const CANDIDATES = 80;
/** HNSW returns at most ef_search (default 40) rows, so the vector route asks for that many. */
const VECTOR_CANDIDATES = 40;
/** Terms in more than this share of titles are left out of the full-text query (they match everything). */
const COMMON_TERM_SHARE = 0.06;
/**
 * Single words must be rarer still: each matching procedure has to be ranked, and a word in 2% of titles already
 * matches 500 procedures at ten times the listing. Word pairs carry the common words' meaning instead.
 */
const RARE_WORD_SHARE = 0.02;
/** Most procedures the full-text route may have to rank (sum of the kept terms' title counts). */
const FULLTEXT_ROW_BUDGET = 600;

/**
 * Hybrid retrieval: full text (diacritics folded) over procedure overviews and vector similarity over all section
 * chunks propose candidates in SQL, together with the vocabulary's direct mappings; title trigram similarity ranks
 * those candidates; all routes are fused by reciprocal rank and reranked with title-term coverage weighted by
 * rarity, the citizens' vocabulary, and a preference for the commune-level variant.
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

  /** The question as retrieval reads it (folded, typos fixed, vocabulary matched), without searching. */
  analyse(text: string): AnalysedQuery {
    return analyseQuery(validateQuery(text), this.vocab);
  }

  /**
   * `exclude`: procedures never to offer (an admin's local exclusions): left out of the hits and the query's codes.
   * `localSynonyms`: an admin's own mappings of citizens' words to procedures (src/admin/vocabulary/), read before
   * the committed vocabulary's. `lifeEvents`: the life events in force when an admin edited them
   * (src/admin/language/), in place of the committed vocabulary's.
   */
  async search(
    raw: string,
    opts: { limit?: number; withBodies?: boolean; exclude?: (code: string) => boolean; localSynonyms?: CompiledVocabulary['synonyms']; lifeEvents?: CompiledVocabulary['lifeEvents'] } = {},
  ): Promise<SearchResult> {
    const limit = opts.limit ?? 10;
    const exclude = opts.exclude;
    const vocab = {
      ...this.vocab,
      synonyms: opts.localSynonyms?.length ? [...opts.localSynonyms, ...this.vocab.synonyms] : this.vocab.synonyms,
      lifeEvents: opts.lifeEvents ?? this.vocab.lifeEvents,
    };
    const analysed = analyseQuery(validateQuery(raw), vocab);
    const q = exclude
      ? { ...analysed, vocabCodes: analysed.vocabCodes.filter((c) => !exclude(c)), lifeEventCodes: analysed.lifeEventCodes.filter((c) => !exclude(c)) }
      : analysed;
    // Concurrent on a server's pool; PGlite runs them one after the other anyway.
    const [fulltext, vector] = await Promise.all([this.fulltext(q), this.vector(q)]);

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
    fulltext.forEach((r, i) => note(r.code, 'fulltext', i + 1));
    rankChunks(vector, 'vector');
    q.vocabCodes.forEach((c, i) => this.titles.get(c) && note(c, 'vocabulary', i + 1));
    // Variants of what the vocabulary named compete on the question's own words.
    q.vocabCodes.forEach((c, i) => this.titles.family(c).forEach((v) => note(v, 'variant', i + 1)));
    q.lifeEventCodes.forEach((c, i) => this.titles.get(c) && note(c, 'lifeEvent', i + 1));
    const trigram = await this.trigram(q, [...routes.keys()]);
    trigram.forEach((r, i) => note(r.code, 'trigram', i + 1));

    const hits: SearchHit[] = [];
    const terms = this.queryTermWeights(q);
    for (const [code, r] of routes) {
      const entry = this.titles.get(code);
      if (!entry || exclude?.(code)) continue;
      const { score, features } = this.score(q, terms, entry, r);
      hits.push({
        code,
        title: entry.title,
        levels: entry.levels,
        isCommune: entry.isCommune,
        url: entry.url,
        score,
        routes: r,
        features,
        chunks: chunks.get(code) ?? [],
      });
    }
    hits.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    const top = hits.slice(0, limit);
    await this.matchSections(q, top);
    if (opts.withBodies) await this.attachBodies(top);
    const confidence = this.confidence(top[0]);
    return { query: q, hits: top, confidence, noMatch: confidence < this.ranking.noMatchBelow };
  }

  /** The question's terms known to titles, with their total rarity. */
  private queryTermWeights(q: AnalysedQuery): { known: string[]; knownWeight: number } {
    const known = [...q.tokens, ...q.bigrams].filter((t) => this.titles.known(t));
    return { known, knownWeight: known.reduce((s, t) => s + this.titles.idf(t), 0) };
  }

  /** One candidate's score: title-term match, fused route ranks, vocabulary, and the level preference. */
  private score(
    q: AnalysedQuery,
    terms: { known: string[]; knownWeight: number },
    entry: TitleEntry,
    r: SearchHit['routes'],
  ): { score: number; features: SearchHit['features'] } {
    const R = this.ranking;
    const rrf = (rank: number | undefined) => (rank === undefined ? 0 : 1 / (R.rrfK + rank));
    let matched = 0;
    for (const t of terms.known) if (entry.terms.has(t)) matched += this.titles.idf(t);
    const recall = entry.weight ? matched / entry.weight : 0;
    const precision = terms.knownWeight ? matched / terms.knownWeight : 0;
    const title = recall ** R.titleRecallExponent * precision ** (1 - R.titleRecallExponent);
    const vocabRank = Math.min(r.vocabulary ?? Infinity, r.variant ?? Infinity);
    const vocab = vocabRank < Infinity ? (R.vocabWeight * (r.vocabulary ? 1 : R.variantShare)) / Math.sqrt(vocabRank) : 0;
    const level = q.namedLevel
      ? entry.levels.includes(q.namedLevel)
        ? R.namedLevelBonus
        : 0
      : entry.isCommune
        ? R.communeBonus
        : 0;
    const score =
      R.titleWeight * title +
      R.routeWeight * (rrf(r.fulltext) + rrf(r.vector) + rrf(r.trigram)) +
      vocab +
      (r.lifeEvent ? R.lifeEventWeight / Math.sqrt(r.lifeEvent) : 0) +
      level;
    return { score, features: { title } };
  }

  /**
   * How sure we are that the top hit is what was asked: a logistic over the top hit's title-term match and
   * whether the citizens' vocabulary (a synonym, or more weakly a life event) points at it. Fitted by hand on the
   * development set against out-of-scope questions (test/fixtures/out-of-scope.jsonl); below 0.5 means
   * "nothing here really matches".
   */
  private confidence(top: SearchHit | undefined): number {
    if (!top) return 0;
    const z = 7 * (top.features.title - 0.38) + (top.routes.vocabulary ? 4 : 0) + (top.routes.lifeEvent ? 2.5 : 0);
    return 1 / (1 + Math.exp(-z));
  }

  /** Procedures whose overview shares the question's distinctive words or word pairs, best first. */
  private async fulltext(q: AnalysedQuery): Promise<{ code: string }[]> {
    const tsquery = this.tsquery(q);
    if (!tsquery) return [];
    return this.db.query(
      // ts_rank picks a shortlist cheaply; cover density (which rewards the words standing together) orders it.
      `SELECT code FROM (
         SELECT p.code, p.search_tsv, q FROM procedures p, to_tsquery('simple', $1) q
          WHERE p.search_tsv @@ q
          ORDER BY ts_rank(p.search_tsv, q, 1) DESC, p.code
          LIMIT ${CANDIDATES + 20}
       ) t
       ORDER BY ts_rank_cd(t.search_tsv, t.q, 1) DESC, t.code
       LIMIT ${CANDIDATES}`,
      [tsquery],
    );
  }

  /**
   * OR of the question's word pairs (as phrases) and words that are not in most titles, rarest first, within a
   * budget of matching procedures: every match must be ranked, so the budget bounds the work at any listing size.
   */
  private tsquery(q: AnalysedQuery): string {
    const words = q.tokens.filter((t) => t.length > 1 && this.titles.share(t) < RARE_WORD_SHARE);
    // A pair with a filler in it ("ở và") matches by accident and costs a recheck of every candidate.
    const phrases = q.bigrams.filter(
      (b) => this.titles.known(b) && this.titles.share(b) < COMMON_TERM_SHARE && !b.split('_').some((w) => STOPWORDS.has(w)),
    );
    // A phrase makes PostgreSQL read every procedure holding both words to check their positions.
    const cost = (t: string) => {
      const [a, b] = t.split('_');
      return b === undefined ? this.titles.df(t) : Math.min(this.titles.df(a!), this.titles.df(b));
    };
    const terms = [...new Set([...phrases, ...words])].sort((a, b) => cost(a) - cost(b));
    const kept: string[] = [];
    let rows = 0;
    for (const t of terms) {
      rows += cost(t);
      if (kept.length > 0 && rows > FULLTEXT_ROW_BUDGET) break;
      kept.push(t.includes('_') ? `(${t.replace('_', ' <-> ')})` : t);
    }
    return kept.join(' | ');
  }

  /**
   * Title trigram similarity, ranked over the candidates the other routes found. Scanning every title costs about
   * 70 ms on PGlite (the GIN index does not prune a many-word question); typos are also caught by the vector
   * route, whose offline embedder hashes character trigrams.
   */
  private async trigram(q: AnalysedQuery, codes: string[]): Promise<{ code: string }[]> {
    const text = q.tokens.join(' ');
    if (!text || codes.length === 0) return [];
    return this.db.query(
      `SELECT code FROM procedures
        WHERE code = ANY($2::text[]) AND similarity(title_folded, $1) >= 0.2
        ORDER BY similarity(title_folded, $1) DESC, code LIMIT 30`,
      [text, codes],
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

  /** Adds the sections of the top procedures whose own text matches the question's words. */
  private async matchSections(q: AnalysedQuery, hits: SearchHit[]): Promise<void> {
    const tsquery = this.tsquery(q);
    if (!tsquery || hits.length === 0) return;
    const rows = await this.db.query<{ id: string; code: string; section: string }>(
      `SELECT c.id, c.code, c.section FROM chunks c, to_tsquery('simple', $1) q
        WHERE c.code = ANY($2::text[]) AND c.tsv @@ q
        ORDER BY ts_rank_cd(c.tsv, q, 1) DESC, c.id`,
      [tsquery, hits.map((h) => h.code)],
    );
    const byCode = new Map(hits.map((h) => [h.code, h]));
    for (const r of rows) {
      const hit = byCode.get(r.code)!;
      if (hit.chunks.some((c) => c.id === r.id) || hit.chunks.length >= 6) continue;
      hit.chunks.push({ id: r.id, section: r.section, via: 'fulltext', rank: hit.chunks.length + 1 });
    }
  }

  private async attachBodies(hits: SearchHit[]): Promise<void> {
    const ids = hits.flatMap((h) => h.chunks.map((c) => c.id));
    if (ids.length === 0) return;
    const rows = await this.db.query<{ id: string; body: string }>('SELECT id, body FROM chunks WHERE id = ANY($1::text[])', [ids]);
    const byId = new Map(rows.map((r) => [r.id, r.body]));
    for (const h of hits) for (const c of h.chunks) c.body = byId.get(c.id);
  }
}
