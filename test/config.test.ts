import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('defaults to embedded PGlite, the bundled knowledge base and the offline embedder', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.knowledgeDir).toBe(path.resolve('knowledge'));
    expect(c.embeddings).toEqual({ kind: 'offline', dimensions: 512 });
  });
  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', OPENAI_API_KEY: ' ' }).embeddings.kind).toBe('offline');
  });
  it('switches to API embeddings when OPENAI_API_KEY is set', () => {
    const c = loadConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', EMBEDDING_DIMENSIONS: '384' });
    expect(c.embeddings).toEqual({
      kind: 'openai',
      apiKey: 'sk-x',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'text-embedding-3-small',
      dimensions: 384,
    });
  });
  it('rejects bad values with one message naming each variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', EMBEDDING_DIMENSIONS: 'lots', LOG_LEVEL: 'loud' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', EMBEDDING_DIMENSIONS: 'lots' });
    } catch (e) {
      expect(String(e)).toMatch(/DATABASE_URL/);
      expect(String(e)).toMatch(/EMBEDDING_DIMENSIONS/);
    }
  });
  it('turns LLM mode on with an API key, with configurable models and timeout', () => {
    expect(loadConfig({}).llm).toBeNull();
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_ROUTER_MODEL: 'small', LLM_TIMEOUT_MS: '3000' }).llm).toEqual({
      apiKey: 'sk-x',
      baseUrl: undefined,
      model: 'gpt-4o-mini',
      routerModel: 'small',
      timeoutMs: 3000,
    });
    expect(() => loadConfig({ OPENAI_API_KEY: 'sk-x', LLM_TIMEOUT_MS: '10' })).toThrow(/LLM_TIMEOUT_MS/);
  });
});
