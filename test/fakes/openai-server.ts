import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for an OpenAI-compatible API, speaking the documented /v1/embeddings protocol over real HTTP
 * (base64 float32 by default, as OpenAIEmbeddings asks for). Vectors are deterministic from the text.
 */
export async function startFakeOpenAI(): Promise<{ baseURL: string; requests: unknown[]; close(): Promise<void> }> {
  const requests: unknown[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      if (req.headers.authorization !== 'Bearer sk-fake') {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key' } }));
        return;
      }
      const b = JSON.parse(body) as { input: string | string[]; model: string; dimensions?: number; encoding_format?: string };
      requests.push(b);
      const inputs = ([] as string[]).concat(b.input);
      const dim = b.dimensions ?? 1536;
      const vec = (s: string) => {
        const v = Array.from({ length: dim }, (_, i) => Math.sin((s.length + 1) * (i + 1)) + (s.charCodeAt(i % s.length) || 0) / 1000);
        const n = Math.hypot(...v) || 1;
        return v.map((x) => x / n);
      };
      const enc = (v: number[]) =>
        b.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model: b.model,
          usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
          data: inputs.map((s, index) => ({ object: 'embedding', index, embedding: enc(vec(s)) })),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
