import type { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../../config.ts';
import { HashingEmbeddings } from './hashing.ts';

/** An embedder plus the id under which its vectors are stored. */
export interface Embedder {
  embeddings: Embeddings;
  modelId: string;
  dimensions: number;
  /** How many texts to send per call. */
  batchSize: number;
}

export function createEmbedder(cfg: Config['embeddings']): Embedder {
  if (cfg.kind === 'openai') {
    const embeddings = new OpenAIEmbeddings({
      model: cfg.model,
      dimensions: cfg.dimensions,
      apiKey: cfg.apiKey,
      maxRetries: 3,
      configuration: cfg.baseUrl ? { baseURL: cfg.baseUrl } : undefined,
    });
    return { embeddings, modelId: `openai:${cfg.model}:${cfg.dimensions}`, dimensions: cfg.dimensions, batchSize: 128 };
  }
  const embeddings = new HashingEmbeddings({ dimensions: cfg.dimensions });
  return { embeddings, modelId: embeddings.modelId, dimensions: cfg.dimensions, batchSize: 2000 };
}
