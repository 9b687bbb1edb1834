import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Zalo Bot Platform API (ZALO.md §1) over real HTTP:
 * - `POST /bot<token>/<method>`, JSON (or empty) body, `{ok, result | error_code, description}` envelope;
 * - a wrong token → HTTP 401 `{ok:false, error_code:401, description:"Unauthorized"}`; an unknown method → 400;
 * - getUpdates returns ONE queued update (dequeued as it answers, no offset), or waits up to `timeout` seconds and
 *   answers the documented HTTP 200 `{ok:false, error_code:408, description:"Request timeout"}`;
 *   while a webhook is set it refuses (the docs say polling and webhook are exclusive; the exact error is
 *   undocumented, 400 here);
 * - sendMessage / sendPhoto: text and caption 1–2,000 characters, photo must start with http:// or https://;
 * - sendChatAction (`typing`), setWebhook (https URL, secret 8–256), deleteWebhook, getWebhookInfo, getMe.
 * Errors are HTTP 200 with `ok:false` unless scripted otherwise (`failNext`).
 */

export interface FakeSent {
  method: 'sendMessage' | 'sendPhoto';
  chat_id: string;
  text?: string;
  photo?: string;
  caption?: string;
}
export interface FakeCall {
  method: string;
  body: Record<string, unknown>;
}
export interface ScriptedFailure {
  /** `error_code` in the envelope. */
  errorCode?: number;
  /** HTTP status (default 200, as Zalo does for errors such as the getUpdates 408). */
  status?: number;
  description?: string;
  /** Destroy the connection without answering (a network error on the client's side). */
  drop?: boolean;
}

export interface FakeZaloServer {
  /** Pass as `apiBase`. */
  readonly url: string;
  readonly token: string;
  /** Messages the bot sent, in order. */
  readonly sent: FakeSent[];
  /** Every call with a valid token, in order (method and body), including failed ones. */
  readonly calls: FakeCall[];
  /** Updates queued and not yet returned by getUpdates. */
  readonly pending: number;
  /** getUpdates calls currently waiting (long polls the fake still sees as open). */
  readonly waiting: number;
  readonly webhook: { url: string; secret: string | null; updated_at: number };
  pushUpdate(update: object): void;
  /** The next call of `method` fails as scripted (queued; one failure per call). */
  failNext(method: string, failure: number | ScriptedFailure): void;
  close(): Promise<void>;
}

const LIMIT = 2_000;

export async function startFakeZaloServer(options: { token?: string } = {}): Promise<FakeZaloServer> {
  const token = options.token ?? '1234567890:fakeSecret-ABC_xyz';
  const sent: FakeSent[] = [];
  const calls: FakeCall[] = [];
  const queue: object[] = [];
  const waiters: { deliver: (u: object) => boolean }[] = [];
  const failures = new Map<string, ScriptedFailure[]>();
  const webhook = { url: '', secret: null as string | null, updated_at: 0 };
  let messageSeq = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  const answer = (res: http.ServerResponse, status: number, body: object) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const ok = (res: http.ServerResponse, result: unknown) => answer(res, 200, { ok: true, result });
  const fail = (res: http.ServerResponse, errorCode: number, description: string, status = 200) =>
    answer(res, status, { ok: false, error_code: errorCode, description });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const m = /^\/bot([^/]+)\/([^/?]+)/.exec(req.url ?? '');
    if (!m) return fail(res, 404, 'Not Found', 404);
    if (decodeURIComponent(m[1]!) !== token) return fail(res, 401, 'Unauthorized', 401);
    const method = m[2]!;
    let body: Record<string, unknown> = {};
    if (raw.trim()) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
      } catch {
        return fail(res, 400, 'Bad Request');
      }
    }
    calls.push({ method, body });

    const scripted = failures.get(method)?.shift();
    if (scripted) {
      if (scripted.drop) {
        req.socket.destroy();
        return;
      }
      const code = scripted.errorCode ?? 400;
      return fail(res, code, scripted.description ?? describe(code), scripted.status ?? 200);
    }

    const chatId = typeof body.chat_id === 'string' || typeof body.chat_id === 'number' ? String(body.chat_id) : '';
    const textOk = (t: unknown) => typeof t === 'string' && t.length >= 1 && t.length <= LIMIT;
    const sentResult = () => ({ message_id: (++messageSeq).toString(16).padStart(20, '0'), date: Date.now() });

    switch (method) {
      case 'getMe':
        return ok(res, { id: '1459232241454765289', account_name: 'bot.Fake', account_type: 'BASIC', can_join_groups: false });
      case 'getUpdates': {
        if (webhook.url) return fail(res, 400, 'Webhook is active; call deleteWebhook before getUpdates');
        const next = queue.shift();
        if (next) return ok(res, next);
        const seconds = Number(body.timeout ?? 30);
        const waitMs = (Number.isFinite(seconds) && seconds >= 0 ? seconds : 30) * 1000;
        const waiter = {
          deliver: (u: object) => {
            clearTimeout(timer);
            if (res.destroyed || res.writableEnded) return false;
            ok(res, u);
            return true;
          },
        };
        const remove = () => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
        };
        const timer = setTimeout(() => {
          remove();
          fail(res, 408, 'Request timeout');
        }, waitMs);
        // A client that went away takes nothing with it (the real API may lose it; the fake keeps tests exact).
        res.on('close', () => {
          clearTimeout(timer);
          remove();
        });
        waiters.push(waiter);
        return;
      }
      case 'sendMessage':
        if (!chatId) return fail(res, 400, 'chat_id is required');
        if (!textOk(body.text)) return fail(res, 400, `text must be 1-${LIMIT} characters`);
        sent.push({ method, chat_id: chatId, text: body.text as string });
        return ok(res, sentResult());
      case 'sendPhoto': {
        if (!chatId) return fail(res, 400, 'chat_id is required');
        const photo = body.photo;
        if (typeof photo !== 'string' || photo === '') return fail(res, 400, 'The photo must not be empty');
        if (!/^https?:\/\//.test(photo)) return fail(res, 400, 'The photo must start with http:// or https://');
        if (body.caption !== undefined && !textOk(body.caption)) return fail(res, 400, `caption must be 1-${LIMIT} characters`);
        sent.push({ method, chat_id: chatId, photo, ...(typeof body.caption === 'string' ? { caption: body.caption } : {}) });
        return ok(res, sentResult());
      }
      case 'sendChatAction':
        if (!chatId) return fail(res, 400, 'chat_id is required');
        if (body.action !== 'typing') return fail(res, 400, 'action must be typing');
        return answer(res, 200, { ok: true });
      case 'setWebhook': {
        const url = body.url;
        const secret = body.secret_token;
        if (typeof url !== 'string' || !url.startsWith('https://')) return fail(res, 400, 'url must be a public https URL');
        if (typeof secret !== 'string' || secret.length < 8 || secret.length > 256) return fail(res, 400, 'secret_token must be 8-256 characters');
        Object.assign(webhook, { url, secret, updated_at: Date.now() });
        return ok(res, { url, updated_at: webhook.updated_at });
      }
      case 'deleteWebhook':
        Object.assign(webhook, { url: '', secret: null, updated_at: Date.now() });
        return ok(res, { url: '', updated_at: webhook.updated_at });
      case 'getWebhookInfo':
        return ok(res, { url: webhook.url, updated_at: webhook.updated_at });
      default:
        return fail(res, 400, 'Bad Request: invalid API name');
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    sent,
    calls,
    get pending() {
      return queue.length;
    },
    webhook,
    get waiting() {
      return waiters.length;
    },
    pushUpdate(update) {
      for (let w = waiters.shift(); w; w = waiters.shift()) if (w.deliver(update)) return;
      queue.push(update);
    },
    failNext(method, failure) {
      const f = typeof failure === 'number' ? { errorCode: failure } : failure;
      failures.set(method, [...(failures.get(method) ?? []), f]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function describe(code: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Internal server error', 404: 'Not Found', 408: 'Request timeout', 429: 'Quota exceeded' }[
      code
    ] ?? 'Error'
  );
}

/** A text update as Zalo sends it (unwrapped, ids as 20-hex strings, date in ms). */
export function zaloTextUpdate(text: string, o: { messageId?: string; chatId?: string; date?: number } = {}): object {
  const chatId = o.chatId ?? '6ede9afa66b88fe6d6a9';
  return {
    event_name: 'message.text.received',
    message: {
      message_id: o.messageId ?? '2d758cb5e222177a4e35',
      date: o.date ?? 1749632637199,
      from: { id: chatId, display_name: 'Người dân', is_bot: false },
      chat: { id: chatId, chat_type: 'PRIVATE' },
      text,
    },
  };
}
