import axios, { type AxiosInstance, type AxiosResponse } from 'axios';

/**
 * Our own client for the Zalo Bot Platform API (ZALO.md §1): `POST ${apiBase}/bot${token}/${method}` with a JSON
 * body, answered by an `{ ok, result | error_code, description }` envelope in which HTTP 200 does not mean success.
 *
 * The token sits in the URL path, so nothing this module throws carries a URL, an axios config, a request or the
 * original axios error: errors are built here from the method name, the envelope and an error code, and every
 * server-supplied text is scrubbed of the token before it goes into a message.
 */

export const ZALO_DEFAULT_API_BASE = 'https://bot-api.zaloplatforms.com';
/** Margin added to the long-poll timeout for the HTTP timeout (the live API answers 408 ~15–40 ms after it). */
const POLL_HTTP_MARGIN_MS = 7_000;
const DEFAULT_TIMEOUT_MS = 15_000;
const TYPING_TIMEOUT_MS = 5_000;

/** Base class of everything the client throws; `method` is the API method, never a URL. */
export class ZaloError extends Error {
  override name = 'ZaloError';
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(message);
  }
}

/** Zalo answered, with `ok:false` (any HTTP status) or with something that is not the envelope. */
export class ZaloApiError extends ZaloError {
  override name = 'ZaloApiError';
  /** `error_code` from the envelope (400, 401, 403, 404, 408, 429 …), or the HTTP status when there was none. */
  readonly errorCode: number;
  /** `description` from the envelope, scrubbed of the token. */
  readonly description: string;
  /** HTTP status of the answer (Zalo often uses 200 for errors, e.g. the getUpdates 408). */
  readonly status: number;
  constructor(method: string, info: { errorCode: number; description: string; status: number }) {
    super(method, `Zalo ${method} failed: ${info.errorCode} ${info.description}`.trim());
    this.errorCode = info.errorCode;
    this.description = info.description;
    this.status = info.status;
  }
}

/** No usable answer: connection refused or reset, DNS failure, timeout, or the call was aborted. */
export class ZaloNetworkError extends ZaloError {
  override name = 'ZaloNetworkError';
  /** A Node or axios error code such as ECONNREFUSED, ECONNRESET, ETIMEDOUT, ERR_CANCELED; never a message. */
  readonly code: string;
  /** True when our own AbortSignal ended the call (e.g. stop()). */
  readonly aborted: boolean;
  constructor(method: string, code: string, aborted: boolean) {
    super(method, `Zalo ${method} failed: ${aborted ? 'aborted' : `network error ${code}`}`);
    this.code = code;
    this.aborted = aborted;
  }
}

/** Replaces the token (raw or URL-encoded) and anything shaped like `bot<id>:<secret>` with a placeholder. */
export function redactToken(text: string, token?: string): string {
  let out = text;
  if (token) {
    for (const t of new Set([token, encodeURIComponent(token)])) out = out.split(t).join('<redacted>');
  }
  return out.replace(/bot\d+(?::|%3A)[^/\s"'?#]+/gi, 'bot<redacted>');
}

export interface ZaloBotInfo {
  id: string;
  account_name: string;
  account_type: string;
  can_join_groups: boolean;
}
export interface ZaloSentMessage {
  message_id: string;
  date: number;
}
export interface ZaloWebhookInfo {
  url: string;
  updated_at: number;
}
export interface CallOptions {
  /** HTTP timeout for this call in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ZaloBotClientOptions {
  token: string;
  apiBase?: string;
  /** Default HTTP timeout for calls other than getUpdates, in ms. */
  timeoutMs?: number;
}

interface Envelope {
  ok: boolean;
  result?: unknown;
  error_code?: unknown;
  description?: unknown;
}

const isEnvelope = (d: unknown): d is Envelope =>
  typeof d === 'object' && d !== null && typeof (d as { ok?: unknown }).ok === 'boolean';

export class ZaloBotClient {
  readonly #token: string;
  readonly #http: AxiosInstance;
  readonly #timeoutMs: number;

  constructor(options: ZaloBotClientOptions) {
    if (!options.token) throw new Error('ZaloBotClient: token is required');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const base = (options.apiBase ?? ZALO_DEFAULT_API_BASE).replace(/\/+$/, '');
    this.#http = axios.create({
      baseURL: `${base}/bot${options.token}/`,
      headers: { 'Content-Type': 'application/json' },
      // We read `ok` ourselves: Zalo answers errors with HTTP 200 as well as 4xx.
      validateStatus: () => true,
      // A redirect would carry the token to another host.
      maxRedirects: 0,
      // Zalo answers are small; bound what a misbehaving server can make us buffer.
      maxContentLength: 1024 * 1024,
    });
  }

  /** Keeps the token out of `console.log(client)`, `util.inspect` and JSON. */
  toJSON() {
    return { client: 'ZaloBotClient' };
  }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return 'ZaloBotClient {}';
  }

  getMe(opts?: CallOptions): Promise<ZaloBotInfo> {
    return this.call<ZaloBotInfo>('getMe', {}, opts);
  }

  /**
   * One long poll. Zalo returns at most one update per call (not an array) and dequeues it as it answers: there is
   * no offset and no acknowledgement, so the caller must store it before doing anything slow. The documented
   * "nothing arrived" answer (`ok:false, error_code:408`, HTTP 200) and the `{ok:true, result:{}}` edge case both
   * come back as []. Updates are returned raw for `parseZaloUpdate`.
   */
  async getUpdates(params: { timeout?: number; signal?: AbortSignal } = {}): Promise<unknown[]> {
    const timeoutSec = Math.max(1, Math.round(params.timeout ?? 30));
    let result: unknown;
    try {
      result = await this.call<unknown>(
        'getUpdates',
        { timeout: String(timeoutSec) },
        { timeoutMs: timeoutSec * 1000 + POLL_HTTP_MARGIN_MS, signal: params.signal },
      );
    } catch (e) {
      if (e instanceof ZaloApiError && e.errorCode === 408) return [];
      throw e;
    }
    const items = Array.isArray(result) ? result : [result];
    return items.filter((u) => typeof u === 'object' && u !== null && Object.keys(u).length > 0);
  }

  /** Plain text (no parse_mode, so a citizen's `*` or `<b>` is shown as typed); 1–2,000 characters. */
  sendMessage(chatId: string, text: string, opts?: CallOptions): Promise<ZaloSentMessage> {
    return this.call<ZaloSentMessage>('sendMessage', { chat_id: chatId, text }, opts);
  }

  /** `photoUrl` must be a public http(s) URL (uploads and data URIs are refused); caption 1–2,000 characters. */
  sendPhoto(chatId: string, photoUrl: string, caption?: string, opts?: CallOptions): Promise<ZaloSentMessage> {
    return this.call<ZaloSentMessage>('sendPhoto', { chat_id: chatId, photo: photoUrl, ...(caption ? { caption } : {}) }, opts);
  }

  /** Shows "typing…" for about 5 s; documented result is just `ok:true`. */
  async sendChatAction(chatId: string, action: 'typing' = 'typing', opts?: CallOptions): Promise<void> {
    await this.call<unknown>('sendChatAction', { chat_id: chatId, action }, { timeoutMs: TYPING_TIMEOUT_MS, ...opts });
  }

  /** `url` must be public HTTPS; `secretToken` (8–256 characters) comes back in `X-Bot-Api-Secret-Token`. */
  setWebhook(url: string, secretToken: string, opts?: CallOptions): Promise<ZaloWebhookInfo> {
    return this.call<ZaloWebhookInfo>('setWebhook', { url, secret_token: secretToken }, opts);
  }

  /** Needed before getUpdates: polling and a webhook are mutually exclusive. */
  deleteWebhook(opts?: CallOptions): Promise<ZaloWebhookInfo> {
    return this.call<ZaloWebhookInfo>('deleteWebhook', {}, opts);
  }

  /** Does not return the secret. */
  getWebhookInfo(opts?: CallOptions): Promise<ZaloWebhookInfo> {
    return this.call<ZaloWebhookInfo>('getWebhookInfo', {}, opts);
  }

  private async call<T>(method: string, body: object, opts: CallOptions = {}): Promise<T> {
    let res: AxiosResponse<unknown>;
    try {
      res = await this.#http.post<unknown>(method, body, { timeout: opts.timeoutMs ?? this.#timeoutMs, signal: opts.signal });
    } catch (e) {
      // The axios error holds the URL (with the token) in config, request and message: keep only its code.
      throw this.networkError(method, e, opts.signal);
    }
    const d = res.data;
    if (isEnvelope(d)) {
      if (d.ok) return d.result as T;
      const code = Number(d.error_code);
      throw new ZaloApiError(method, {
        errorCode: Number.isFinite(code) && code !== 0 ? code : res.status,
        description: redactToken(typeof d.description === 'string' ? d.description.slice(0, 500) : '', this.#token),
        status: res.status,
      });
    }
    throw new ZaloApiError(method, {
      errorCode: res.status,
      description: `unexpected answer (HTTP ${res.status}, not a Zalo envelope)`,
      status: res.status,
    });
  }

  private networkError(method: string, e: unknown, signal: AbortSignal | undefined): ZaloNetworkError {
    const aborted = axios.isCancel(e) || signal?.aborted === true;
    const raw = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    const code = typeof raw === 'string' && /^[A-Z0-9_]{1,40}$/.test(raw) ? raw : aborted ? 'ERR_CANCELED' : 'ERR_NETWORK';
    return new ZaloNetworkError(method, code, aborted);
  }
}
