import { Embeddings } from '@langchain/core/embeddings';
import { bigrams, contentTokens, fold } from '../text.ts';

/**
 * The offline default embedder: deterministic, no download, no network. Features are hashed into a fixed number
 * of dimensions (the "hashing trick" with a sign bit): folded syllables, syllable bigrams (most Vietnamese words
 * are two syllables) and character trigrams inside syllables (robust to typos and missing diacritics).
 * Term counts are damped (1 + log tf) and the vector is L2-normalised so cosine distance works.
 */
/** Texts embedded between two turns of the event loop (a few milliseconds of CPU). */
const EMBED_SLICE = 50;

export class HashingEmbeddings extends Embeddings {
  readonly dimensions: number;

  constructor(opts: { dimensions?: number } = {}) {
    super({});
    this.dimensions = opts.dimensions ?? 512;
  }

  /** Identifies the model in storage; vectors of different models or sizes are never compared. */
  get modelId(): string {
    return `hashing-v1-${this.dimensions}`;
  }

  embedQuery(text: string): Promise<number[]> {
    return Promise.resolve(this.embed(text));
  }

  /**
   * In slices, letting the event loop run between them: embedding a whole listing takes seconds of CPU, and the
   * server must go on answering citizens (and an admin's progress requests) while an import is applied.
   */
  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += EMBED_SLICE) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const t of texts.slice(i, i + EMBED_SLICE)) out.push(this.embed(t));
    }
    return out;
  }

  embed(text: string): number[] {
    const counts = new Map<string, number>();
    const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
    const tokens = contentTokens(fold(text));
    for (const t of tokens) {
      add(`w:${t}`, 1);
      if (t.length >= 3) for (let i = 0; i + 3 <= t.length + 2; i++) add(`c:${` ${t} `.slice(i, i + 3)}`, 0.25);
    }
    for (const b of bigrams(tokens)) add(`b:${b}`, 1.5);

    const v = new Float64Array(this.dimensions);
    for (const [feature, tf] of counts) {
      const h = fnv1a(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      // damped counts: a weight up to 1 stays as it is, above 1 it grows with the logarithm
      v[h % this.dimensions]! += sign * (tf <= 1 ? tf : 1 + Math.log(tf));
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }
}

/** 32-bit FNV-1a over UTF-16 code units: fast and stable across runs and machines. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
