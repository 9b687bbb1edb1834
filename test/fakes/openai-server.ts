import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parts of a /v1/chat/completions request body that tests look at. */
export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: unknown }[];
  response_format?: { type: string; json_schema?: { name: string; schema?: JsonSchema; strict?: boolean } };
  tools?: { type: string; function: { name: string; parameters?: JsonSchema } }[];
  stream?: boolean;
  [key: string]: unknown;
}

type JsonSchema = { [key: string]: unknown };

/**
 * What a scripted model answers: an object (sent as JSON content, or as tool-call arguments when tools were
 * offered), a string (sent verbatim as content, e.g. malformed JSON), or an HTTP error.
 */
export type ChatReply = object | string | FakeHttpError;
export interface FakeHttpError {
  status: number;
  body?: unknown;
}
export type ChatResponder = (body: ChatRequestBody) => ChatReply | Promise<ChatReply>;

export interface FakeChat {
  /** Every chat request body received, in order, including retries. */
  readonly requests: ChatRequestBody[];
  /** Decides the next answers; `null` restores the default (a minimal value valid against the requested schema). */
  respond(responder: ChatResponder | null): void;
  /** Milliseconds to wait before answering, to exercise client timeouts. */
  delayMs: number;
}

/** `{ status }` alone (or with `body`) is an HTTP error; any other object is the model's structured answer. */
function isHttpError(r: ChatReply): r is FakeHttpError {
  return (
    typeof r === 'object' &&
    typeof (r as FakeHttpError).status === 'number' &&
    Object.keys(r).every((k) => k === 'status' || k === 'body')
  );
}

/**
 * The smallest value a JSON schema accepts, so the default answer is valid for whatever schema the client sent
 * without the fake having to know the assistant's schemas. Strings are "fake" so a grounded answer is non-empty.
 */
export function minimalValue(schema: JsonSchema | undefined): unknown {
  if (!schema) return {};
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants?.length) {
    const nullable = variants.find((v) => v.type === 'null');
    return nullable ? null : minimalValue(variants[0]);
  }
  const type = Array.isArray(schema.type) ? (schema.type.includes('null') ? 'null' : schema.type[0]) : schema.type;
  switch (type) {
    case 'null':
      return null;
    case 'string':
      return 'fake';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default: {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, minimalValue(v)]));
    }
  }
}

/**
 * A local stand-in for an OpenAI-compatible API over real HTTP.
 * - /v1/embeddings: the documented protocol (base64 float32 by default, as OpenAIEmbeddings asks for); vectors
 *   are deterministic from the text.
 * - /v1/chat/completions: non-streaming only, scripted through `chat`. Every completion gets a unique id, since
 *   langchain merges messages that share one.
 */
export async function startFakeOpenAI(): Promise<{
  baseURL: string;
  /** Embedding request bodies only; chat requests are in `chat.requests`. */
  requests: unknown[];
  chat: FakeChat;
  close(): Promise<void>;
}> {
  const requests: unknown[] = [];
  const chatRequests: ChatRequestBody[] = [];
  let responder: ChatResponder | null = null;
  let completions = 0;
  const timers = new Set<NodeJS.Timeout>();
  const chat: FakeChat = {
    requests: chatRequests,
    respond: (r) => (responder = r),
    delayMs: 0,
  };

  const sendJson = (res: http.ServerResponse, status: number, payload: unknown) => {
    // The client may have timed out and closed the socket while we waited.
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  };

  const embeddings = (res: http.ServerResponse, body: string) => {
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
    sendJson(res, 200, {
      object: 'list',
      model: b.model,
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      data: inputs.map((s, index) => ({ object: 'embedding', index, embedding: enc(vec(s)) })),
    });
  };

  const chatCompletion = async (res: http.ServerResponse, body: string) => {
    const b = JSON.parse(body) as ChatRequestBody;
    chatRequests.push(b);
    if (b.stream) {
      sendJson(res, 400, { error: { message: 'the fake does not stream', type: 'invalid_request_error' } });
      return;
    }
    const fn = b.tools?.[0]?.function;
    const schema = fn ? fn.parameters : b.response_format?.json_schema?.schema;
    const structured = Boolean(fn || b.response_format?.type === 'json_schema');
    const fallback = structured ? (minimalValue(schema) as object) : 'fake';
    const reply: ChatReply = responder ? await responder(b) : fallback;
    if (chat.delayMs > 0) {
      await new Promise<void>((r) => {
        const t = setTimeout(() => (timers.delete(t), r()), chat.delayMs);
        timers.add(t);
      });
    }
    if (isHttpError(reply)) {
      sendJson(res, reply.status, reply.body ?? { error: { message: `fake error ${reply.status}`, type: 'server_error' } });
      return;
    }
    const n = ++completions;
    const content = typeof reply === 'string' ? reply : JSON.stringify(reply);
    const message = fn
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: `call_fake_${n}`, type: 'function', function: { name: fn.name, arguments: content } }],
        }
      : { role: 'assistant', content, refusal: null };
    sendJson(res, 200, {
      id: `chatcmpl-fake-${n}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: b.model,
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      choices: [{ index: 0, finish_reason: fn ? 'tool_calls' : 'stop', logprobs: null, message }],
    });
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const route = req.method === 'POST' ? req.url : undefined;
      if (route !== '/v1/embeddings' && route !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      if (req.headers.authorization !== 'Bearer sk-fake') {
        sendJson(res, 401, { error: { message: 'bad key' } });
        return;
      }
      if (route === '/v1/embeddings') embeddings(res, body);
      else chatCompletion(res, body).catch((e: unknown) => sendJson(res, 500, { error: { message: String(e) } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chat,
    close: () => {
      for (const t of timers) clearTimeout(t);
      // Delayed answers keep sockets open; without this, close() would wait for them.
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
