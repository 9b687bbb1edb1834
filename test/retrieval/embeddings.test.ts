import { describe, expect, it } from 'vitest';
import { HashingEmbeddings } from '../../src/retrieval/embeddings/hashing.ts';

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('HashingEmbeddings (offline default)', () => {
  const e = new HashingEmbeddings({ dimensions: 256 });
  it('is deterministic and unit length', async () => {
    const [a, b] = await e.embedDocuments(['đăng ký khai sinh', 'đăng ký khai sinh']);
    expect(a).toEqual(b);
    expect(a).toHaveLength(256);
    expect(Math.abs(cos(a!, a!) - 1)).toBeLessThan(1e-9);
  });
  it('puts a question without diacritics next to the same words with them', async () => {
    const q = await e.embedQuery('dang ky khai sinh cho con');
    const right = await e.embedQuery('Thủ tục đăng ký khai sinh');
    const wrong = await e.embedQuery('Thủ tục đăng ký khai tử');
    expect(cos(q, right)).toBeGreaterThan(cos(q, wrong));
  });
  it('lets the event loop run while it embeds many documents (the server keeps answering during an import)', async () => {
    const texts = Array.from({ length: 500 }, (_, i) => `thủ tục số ${i} đăng ký khai sinh cho trẻ em`);
    let turned = false;
    setImmediate(() => (turned = true));
    const out = await e.embedDocuments(texts);
    expect(turned).toBe(true);
    expect(out).toHaveLength(500);
    expect(out[499]).toEqual(await e.embedQuery(texts[499]!));
  });

  it('names its model by size so vectors of two sizes are never compared', () => {
    expect(new HashingEmbeddings({ dimensions: 384 }).modelId).not.toBe(e.modelId);
  });
});
