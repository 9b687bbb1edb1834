import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Update, UserFromGetMe } from 'grammy/types';

/**
 * A fake Telegram Bot API over real HTTP, speaking the documented protocol (https://core.telegram.org/bots/api):
 * `POST|GET /bot<token>/<method>` with JSON, urlencoded or multipart/form-data bodies (or a query string), answered
 * `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }` with the same HTTP status as
 * Telegram. Method names are case-insensitive, as on Telegram.
 *
 * Implemented: getMe, getUpdates (long poll honouring offset, limit, timeout and allowed_updates; 409 while a webhook
 * is set; a second concurrent getUpdates ends the first with 409, like Telegram), sendMessage (4,096-character limit,
 * inline keyboard checks), sendChatAction, sendPhoto (URL or uploaded file; 1,024-character caption), setMyCommands,
 * getMyCommands, answerCallbackQuery (only for callback queries pushed here), setWebhook (https only), deleteWebhook,
 * getWebhookInfo. Anything else: 404 Not Found. A wrong token: 401 Unauthorized.
 *
 * Groups (the staff desk): `addGroup` makes a chat a supergroup, with topics (`forum: true`) or without. In a
 * group the fake keeps the messages the bot sent, so it implements createForumTopic (→ `{message_thread_id, name,
 * icon_color}`; 400 "the chat is not a forum" in a group without topics), closeForumTopic, reopenForumTopic,
 * deleteForumTopic (its messages go with it), editMessageText and editMessageReplyMarkup (400 "message is not
 * modified" when nothing changes, "message to edit not found" when it is gone; omitting reply_markup removes the
 * keyboard, as on Telegram), and sendMessage's message_thread_id (a deleted topic: 400 "message thread not found";
 * a closed one: 400 "TOPIC_CLOSED") and reply_parameters / reply_to_message_id (400 "message to be replied not
 * found" unless allow_sending_without_reply). `staffDeletesTopic`, `staffDeletesMessage` and `staffClosesTopic` do
 * what a staff member would in the app.
 *
 * Not implemented: the fake never delivers updates to a webhook by itself; use `postWebhook` to do what Telegram
 * does. Private chats are not tracked (any chat id is accepted).
 */

export type NewUpdate = Omit<Update, 'update_id'>;

export interface RecordedCall {
  method: string;
  /** The parameters as Telegram would read them (JSON-serialized form fields parsed back). */
  payload: Record<string, unknown>;
  /** Uploaded files by parameter name (e.g. `photo`), for multipart requests. */
  files: Record<string, { filename: string; data: Buffer }>;
  /** When the fake had read the whole request (ms since the epoch): for checking a sender's rate. */
  at: number;
  /** What the fake answered. */
  status: number;
  response: unknown;
}

export type Failure = { status: 429; retryAfter: number } | { status: number; description?: string };

export interface FakeTelegram {
  /** The `apiRoot` to give grammY, e.g. http://127.0.0.1:PORT (no trailing slash). */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  /** Every call except getUpdates, in arrival order (failed ones included). */
  readonly sent: RecordedCall[];
  /** Every call, getUpdates included. */
  readonly calls: RecordedCall[];
  /** Queues an update (assigning the next update_id) and wakes a waiting getUpdates. */
  pushUpdate(update: NewUpdate): Update;
  /** Updates not yet confirmed by an offset. */
  pending(): Update[];
  /** The next `times` calls of `method` fail: 429 with retry_after, or 5xx/4xx with a description. */
  failNext(method: string, failure: Failure, times?: number): void;
  readonly webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | null;
  readonly commands: { command: string; description: string }[];
  /** Resolves once `predicate` holds (checked on every call and every 10 ms); rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** POSTs an update to a webhook URL like Telegram does (JSON, with X-Telegram-Bot-Api-Secret-Token when given). */
  postWebhook(url: string, update: Update | NewUpdate, secret?: string): Promise<{ status: number; body: string }>;
  /** Numbers an update (and makes its callback query answerable) without queueing it: for handlers called directly. */
  newUpdate(update: NewUpdate): Update;
  /** Makes `chatId` a supergroup the bot is an admin of: with topics (a forum) or without. */
  addGroup(chatId: number, opts: { forum: boolean; title?: string }): void;
  /** A group's topics, deleted ones left out. */
  topics(chatId: number): FakeTopic[];
  /** A message in a group as it is now (edits applied); undefined once deleted. */
  messageIn(chatId: number, messageId: number): Message | undefined;
  /** A group's current messages in order; with `threadId`, only that topic's. */
  messagesIn(chatId: number, threadId?: number): Message[];
  /** A staff member deletes a topic in the app: the topic and its messages are gone (Telegram sends no update). */
  staffDeletesTopic(chatId: number, threadId: number): void;
  /** A staff member deletes one message in the app (Telegram sends no update). */
  staffDeletesMessage(chatId: number, messageId: number): void;
  /** A staff member closes a topic in the app; returns the service message Telegram would deliver. */
  staffClosesTopic(chatId: number, threadId: number, userId: number): NewUpdate;
  close(): Promise<void>;
}

export interface FakeTopic {
  message_thread_id: number;
  name: string;
  icon_color: number;
  closed: boolean;
}

/** The six colours Telegram allows for a topic icon (https://core.telegram.org/bots/api#createforumtopic). */
export const TOPIC_ICON_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f] as const;
const TOPIC_NAME_MAX = 128;

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}
const badRequest = (d: string) => new ApiError(400, `Bad Request: ${d}`);

interface Waiter {
  res: http.ServerResponse;
  limit: number;
  timer: NodeJS.Timeout;
  record: RecordedCall;
}

export async function startFakeTelegram(opts: { token?: string; botInfo?: Partial<UserFromGetMe> } = {}): Promise<FakeTelegram> {
  const token = opts.token ?? '123456:TEST-fake-token_abc';
  const botId = Number(token.split(':')[0]) || 123456;
  const botInfo: UserFromGetMe = {
    id: botId,
    is_bot: true,
    first_name: 'Trợ lý xã',
    username: 'troly_xa_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    ...opts.botInfo,
  } as UserFromGetMe;

  const sent: RecordedCall[] = [];
  const calls: RecordedCall[] = [];
  let queue: Update[] = [];
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  let allowedUpdates: string[] | null = null;
  let waiter: Waiter | null = null;
  let webhook: FakeTelegram['webhook'] = null;
  let commands: FakeTelegram['commands'] = [];
  const failures = new Map<string, Failure[]>();
  const callbackIds = new Set<string>();
  // Groups the bot is in, their topics and the messages in them (private chats are not tracked).
  const groups = new Map<string, { chat: { id: number; type: 'supergroup'; title: string; is_forum?: true }; topics: Map<number, FakeTopic>; messages: Map<number, Message> }>();
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());

  function respond(res: http.ServerResponse, record: RecordedCall, status: number, body: unknown) {
    record.status = status;
    record.response = body;
    if (!res.writableEnded && !res.destroyed) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }
    notify();
  }
  const ok = (res: http.ServerResponse, record: RecordedCall, result: unknown, description?: string) =>
    respond(res, record, 200, { ok: true, result, ...(description ? { description } : {}) });
  const fail = (res: http.ServerResponse, record: RecordedCall, e: ApiError) =>
    respond(res, record, e.status, {
      ok: false,
      error_code: e.status,
      description: e.description,
      ...(e.parameters ? { parameters: e.parameters } : {}),
    });

  function deliverable(): Update[] {
    if (allowedUpdates && allowedUpdates.length > 0) {
      const allowed = allowedUpdates;
      // Telegram does not keep updates of types the bot did not ask for.
      queue = queue.filter((u) => Object.keys(u).some((k) => allowed.includes(k)));
    }
    return queue;
  }

  function wakeWaiter() {
    if (!waiter) return;
    const available = deliverable();
    if (available.length === 0) return;
    const w = waiter;
    waiter = null;
    clearTimeout(w.timer);
    ok(w.res, w.record, available.slice(0, w.limit));
  }

  function getUpdates(p: Record<string, unknown>, res: http.ServerResponse, record: RecordedCall) {
    if (webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    if (waiter) {
      const old = waiter;
      waiter = null;
      clearTimeout(old.timer);
      fail(old.res, old.record, new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    const offset = num(p.offset) ?? 0;
    if (offset > 0) queue = queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) queue = queue.slice(offset);
    const limit = Math.min(100, Math.max(1, num(p.limit) ?? 100));
    const timeout = Math.max(0, num(p.timeout) ?? 0);
    if (Array.isArray(p.allowed_updates)) allowedUpdates = p.allowed_updates.map(String);
    const available = deliverable();
    if (available.length > 0 || timeout === 0) return ok(res, record, available.slice(0, limit));
    const w: Waiter = {
      res,
      limit,
      record,
      timer: setTimeout(() => {
        if (waiter === w) waiter = null;
        ok(res, record, []);
      }, timeout * 1000),
    };
    waiter = w;
    // The client gave up (aborted): forget the waiter. The updates stay queued until an offset confirms them.
    res.on('close', () => {
      if (waiter === w) {
        waiter = null;
        clearTimeout(w.timer);
      }
    });
  }

  function message(chatId: unknown, extra: Partial<Message>): Message {
    if (chatId === undefined || chatId === null || chatId === '') throw badRequest('chat_id is empty');
    const id = typeof chatId === 'number' ? chatId : /^-?\d+$/.test(String(chatId)) ? Number(chatId) : String(chatId);
    const group = groups.get(String(id));
    const m = {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: group ? group.chat : { id, type: 'private', first_name: 'Dân' },
      from: { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username },
      ...extra,
    } as Message;
    group?.messages.set(m.message_id, m);
    return m;
  }

  function groupOf(chatId: unknown) {
    const group = groups.get(String(chatId ?? ''));
    if (!group) throw badRequest('chat not found');
    return group;
  }

  function forumOf(chatId: unknown) {
    const group = groupOf(chatId);
    if (!group.chat.is_forum) throw badRequest('the chat is not a forum');
    return group;
  }

  function topicOf(chatId: unknown, threadId: unknown): FakeTopic {
    const topic = forumOf(chatId).topics.get(num(threadId) ?? 0);
    if (!topic) throw badRequest('message thread not found');
    return topic;
  }

  /** sendMessage's placement: message_thread_id (a topic) and reply_parameters / reply_to_message_id. */
  function placement(p: Record<string, unknown>): Partial<Message> {
    const out: Record<string, unknown> = {};
    const group = groups.get(String(p.chat_id ?? ''));
    const threadId = num(p.message_thread_id);
    if (threadId !== undefined && group) {
      if (group.chat.is_forum) {
        const topic = group.topics.get(threadId);
        if (!topic) throw badRequest('message thread not found');
        if (topic.closed) throw badRequest('TOPIC_CLOSED');
        Object.assign(out, { message_thread_id: threadId, is_topic_message: true });
      } else if (!group.messages.has(threadId)) throw badRequest('message thread not found');
    }
    const rp = (typeof p.reply_parameters === 'object' && p.reply_parameters !== null ? p.reply_parameters : {}) as Record<string, unknown>;
    const replyId = num(rp.message_id) ?? num(p.reply_to_message_id);
    if (replyId !== undefined && group) {
      const target = group.messages.get(replyId);
      if (target) {
        // Telegram does not nest: the replied message comes without its own reply_to_message.
        const { reply_to_message: _nested, ...flat } = target as Message & { reply_to_message?: unknown };
        out.reply_to_message = flat;
        if (!group.chat.is_forum) out.message_thread_id = target.message_thread_id ?? target.message_id;
      } else if (!truthy(rp.allow_sending_without_reply ?? p.allow_sending_without_reply)) throw badRequest('message to be replied not found');
    }
    return out as Partial<Message>;
  }

  function editable(p: Record<string, unknown>): Message {
    if (p.inline_message_id !== undefined) throw badRequest('inline messages are not supported by the fake');
    const m = groupOf(p.chat_id).messages.get(num(p.message_id) ?? 0);
    if (!m) throw badRequest('message to edit not found');
    if (m.from?.id !== botInfo.id) throw badRequest("message can't be edited");
    return m;
  }

  function checkMarkup(markup: unknown) {
    if (markup === undefined) return;
    if (typeof markup !== 'object' || markup === null) throw badRequest("can't parse reply keyboard markup JSON object");
    const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
    if (rows === undefined) return;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    const buttons = rows.flat() as Record<string, unknown>[];
    if (buttons.length > 100) throw badRequest('too many buttons');
    for (const b of buttons) {
      if (typeof b.text !== 'string' || b.text === '') throw badRequest('text buttons are unallowed in the inline keyboard');
      if (b.callback_data !== undefined) {
        const n = Buffer.byteLength(String(b.callback_data), 'utf8');
        if (n < 1 || n > 64) throw badRequest('BUTTON_DATA_INVALID');
      } else if (b.url !== undefined) {
        if (!/^(https?|tg):\/\/\S+$/i.test(String(b.url))) throw badRequest('BUTTON_URL_INVALID');
      } else throw badRequest("can't find field \"callback_data\"");
    }
  }

  const methods: Record<string, (p: Record<string, unknown>, res: http.ServerResponse, rec: RecordedCall) => void> = {
    getme: (_p, res, rec) => ok(res, rec, botInfo),
    getupdates: getUpdates,
    sendmessage: (p, res, rec) => {
      const text = typeof p.text === 'string' ? p.text : p.text === undefined ? '' : String(p.text);
      if (text.trim() === '') throw badRequest('message text is empty');
      if (text.length > TEXT_LIMIT) throw badRequest('message is too long');
      checkMarkup(p.reply_markup);
      const where = placement(p);
      ok(res, rec, message(p.chat_id, { ...where, text, ...(p.reply_markup ? { reply_markup: p.reply_markup as Message['reply_markup'] } : {}) }));
    },
    editmessagetext: (p, res, rec) => {
      const m = editable(p);
      const text = typeof p.text === 'string' ? p.text : '';
      if (text.trim() === '') throw badRequest('message text is empty');
      if (text.length > TEXT_LIMIT) throw badRequest('message is too long');
      checkMarkup(p.reply_markup);
      const markup = keyboardOf(p.reply_markup);
      if (m.text === text && sameMarkup(m.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
      Object.assign(m, { text, edit_date: Math.floor(Date.now() / 1000) });
      setMarkup(m, markup);
      ok(res, rec, m);
    },
    editmessagereplymarkup: (p, res, rec) => {
      const m = editable(p);
      checkMarkup(p.reply_markup);
      const markup = keyboardOf(p.reply_markup);
      if (sameMarkup(m.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
      Object.assign(m, { edit_date: Math.floor(Date.now() / 1000) });
      setMarkup(m, markup);
      ok(res, rec, m);
    },
    createforumtopic: (p, res, rec) => {
      const group = forumOf(p.chat_id);
      const name = typeof p.name === 'string' ? p.name : '';
      if (name.trim() === '') throw badRequest('TOPIC_TITLE_EMPTY');
      if (name.length > TOPIC_NAME_MAX) throw badRequest('TOPIC_TITLE_INVALID');
      const color = num(p.icon_color);
      if (color !== undefined && !(TOPIC_ICON_COLORS as readonly number[]).includes(color)) throw badRequest('TOPIC_ICON_COLOR_INVALID');
      // The topic's id is the id of its "topic created" service message, as on Telegram.
      const threadId = nextMessageId;
      const topic: FakeTopic = { message_thread_id: threadId, name, icon_color: color ?? TOPIC_ICON_COLORS[threadId % TOPIC_ICON_COLORS.length]!, closed: false };
      group.topics.set(threadId, topic);
      message(p.chat_id, { message_thread_id: threadId, is_topic_message: true, forum_topic_created: { name, icon_color: topic.icon_color } } as Partial<Message>);
      ok(res, rec, { message_thread_id: threadId, name, icon_color: topic.icon_color });
    },
    closeforumtopic: (p, res, rec) => {
      const topic = topicOf(p.chat_id, p.message_thread_id);
      if (topic.closed) throw badRequest('TOPIC_NOT_MODIFIED');
      topic.closed = true;
      ok(res, rec, true);
    },
    reopenforumtopic: (p, res, rec) => {
      const topic = topicOf(p.chat_id, p.message_thread_id);
      if (!topic.closed) throw badRequest('TOPIC_NOT_MODIFIED');
      topic.closed = false;
      ok(res, rec, true);
    },
    deleteforumtopic: (p, res, rec) => {
      topicOf(p.chat_id, p.message_thread_id);
      deleteTopic(forumOf(p.chat_id), num(p.message_thread_id)!);
      ok(res, rec, true);
    },
    sendphoto: (p, res, rec) => {
      const photo = p.photo;
      if (photo === undefined || photo === '') throw badRequest('there is no photo in the request');
      if (typeof photo === 'string' && photo.startsWith('attach://') && !rec.files.photo) throw badRequest('wrong file identifier/HTTP URL specified');
      const caption = p.caption === undefined ? undefined : String(p.caption);
      if (caption && caption.length > CAPTION_LIMIT) throw badRequest('message caption is too long');
      checkMarkup(p.reply_markup);
      const size = rec.files.photo?.data.length ?? 0;
      ok(
        res,
        rec,
        message(p.chat_id, {
          photo: [{ file_id: `photo-${nextMessageId}`, file_unique_id: `u${nextMessageId}`, width: 320, height: 320, file_size: size }],
          ...(caption ? { caption } : {}),
          ...(p.reply_markup ? { reply_markup: p.reply_markup as Message['reply_markup'] } : {}),
        }),
      );
    },
    sendchataction: (p, res, rec) => {
      message(p.chat_id, {});
      if (!CHAT_ACTIONS.has(String(p.action))) throw badRequest('wrong parameter action in request');
      ok(res, rec, true);
    },
    setmycommands: (p, res, rec) => {
      const list = p.commands;
      if (!Array.isArray(list)) throw badRequest('parameter "commands" is required');
      for (const c of list as Record<string, unknown>[]) {
        if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      commands = (list as { command: string; description: string }[]).map((c) => ({ command: c.command, description: c.description }));
      ok(res, rec, true);
    },
    getmycommands: (_p, res, rec) => ok(res, rec, commands),
    answercallbackquery: (p, res, rec) => {
      const id = String(p.callback_query_id ?? '');
      if (!id) throw badRequest('parameter "callback_query_id" is required');
      if (!callbackIds.has(id)) throw badRequest('query is too old and response timeout expired or query ID is invalid');
      ok(res, rec, true);
    },
    setwebhook: (p, res, rec) => {
      const url = String(p.url ?? '');
      if (url === '') {
        webhook = null;
        return ok(res, rec, true, 'Webhook was deleted');
      }
      if (!/^https:\/\//i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('secret token contains unallowed characters');
      webhook = {
        url,
        ...(secret ? { secret_token: secret } : {}),
        ...(Array.isArray(p.allowed_updates) ? { allowed_updates: p.allowed_updates.map(String) } : {}),
      };
      if (Array.isArray(p.allowed_updates)) allowedUpdates = p.allowed_updates.map(String);
      if (truthy(p.drop_pending_updates)) queue = [];
      ok(res, rec, true, 'Webhook was set');
    },
    deletewebhook: (p, res, rec) => {
      const had = webhook !== null;
      webhook = null;
      if (truthy(p.drop_pending_updates)) queue = [];
      ok(res, rec, true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
    },
    getwebhookinfo: (_p, res, rec) =>
      ok(res, rec, {
        url: webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: queue.length,
        ...(webhook?.allowed_updates ? { allowed_updates: webhook.allowed_updates } : {}),
      }),
  };

  function deleteTopic(group: NonNullable<ReturnType<typeof groups.get>>, threadId: number) {
    group.topics.delete(threadId);
    for (const [id, m] of group.messages) if (m.message_thread_id === threadId) group.messages.delete(id);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: RecordedCall = { method: '', payload: {}, files: {}, at: Date.now(), status: 0, response: undefined };
      try {
        const url = new URL(req.url ?? '/', 'http://fake');
        const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
        if (!m) throw new ApiError(404, 'Not Found');
        record.method = m[2]!;
        const { payload, files } = parseBody(req.headers['content-type'] ?? '', Buffer.concat(chunks), url.searchParams);
        record.payload = payload;
        record.files = files;
        calls.push(record);
        if (record.method.toLowerCase() !== 'getupdates') sent.push(record);
        if (decodeURIComponent(m[1]!) !== token) throw new ApiError(401, 'Unauthorized');
        const handler = methods[record.method.toLowerCase()];
        if (!handler) throw new ApiError(404, 'Not Found');
        const queued = failures.get(record.method.toLowerCase());
        const failure = queued?.shift();
        if (failure) {
          if (failure.status === 429 && 'retryAfter' in failure) {
            throw new ApiError(429, `Too Many Requests: retry after ${failure.retryAfter}`, { retry_after: failure.retryAfter });
          }
          throw new ApiError(failure.status, ('description' in failure && failure.description) || (failure.status >= 500 ? 'Internal Server Error' : 'Bad Request'));
        }
        handler(payload, res, record);
      } catch (e) {
        fail(res, record, e instanceof ApiError ? e : new ApiError(400, `Bad Request: ${(e as Error).message}`));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    sent,
    calls,
    get webhook() {
      return webhook;
    },
    get commands() {
      return commands;
    },
    pushUpdate(update) {
      const full = { ...update, update_id: nextUpdateId++ } as Update;
      if (full.callback_query) callbackIds.add(full.callback_query.id);
      queue.push(full);
      wakeWaiter();
      notify();
      return full;
    },
    pending: () => [...queue],
    failNext(method, failure, times = 1) {
      const key = method.toLowerCase();
      const list = failures.get(key) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(key, list);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        if (predicate()) return resolve();
        const check = () => {
          if (!predicate()) return;
          cleanup();
          resolve();
        };
        const interval = setInterval(check, 10);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Telegram: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearInterval(interval);
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
      });
    },
    async postWebhook(url, update, secret) {
      const full = 'update_id' in update ? (update as Update) : ({ ...update, update_id: nextUpdateId++ } as Update);
      if (full.callback_query) callbackIds.add(full.callback_query.id);
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(full),
      });
      return { status: r.status, body: await r.text() };
    },
    newUpdate(update) {
      const full = { ...update, update_id: nextUpdateId++ } as Update;
      if (full.callback_query) callbackIds.add(full.callback_query.id);
      return full;
    },
    addGroup(chatId, o) {
      const chat = { id: chatId, type: 'supergroup' as const, title: o.title ?? 'Cán bộ một cửa', ...(o.forum ? { is_forum: true as const } : {}) };
      groups.set(String(chatId), { chat, topics: new Map(), messages: new Map() });
    },
    topics: (chatId) => [...(groups.get(String(chatId))?.topics.values() ?? [])].map((t) => ({ ...t })),
    messageIn: (chatId, messageId) => groups.get(String(chatId))?.messages.get(messageId),
    messagesIn: (chatId, threadId) =>
      [...(groups.get(String(chatId))?.messages.values() ?? [])].filter((m) => threadId === undefined || m.message_thread_id === threadId),
    staffDeletesTopic(chatId, threadId) {
      const group = groups.get(String(chatId));
      if (!group?.topics.has(threadId)) throw new Error(`fake Telegram: no topic ${threadId} in ${chatId}`);
      deleteTopic(group, threadId);
      notify();
    },
    staffDeletesMessage(chatId, messageId) {
      if (!groups.get(String(chatId))?.messages.delete(messageId)) throw new Error(`fake Telegram: no message ${messageId} in ${chatId}`);
      notify();
    },
    staffClosesTopic(chatId, threadId, userId) {
      const group = groups.get(String(chatId));
      const topic = group?.topics.get(threadId);
      if (!group || !topic) throw new Error(`fake Telegram: no topic ${threadId} in ${chatId}`);
      topic.closed = true;
      notify();
      return {
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: group.chat,
          from: user(userId),
          message_thread_id: threadId,
          is_topic_message: true,
          forum_topic_closed: {},
        },
      } as NewUpdate;
    },
    async close() {
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter = null;
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// --- body parsing: JSON, urlencoded, multipart/form-data, query string ----------------------------------------

function parseBody(
  contentType: string,
  body: Buffer,
  query: URLSearchParams,
): { payload: Record<string, unknown>; files: RecordedCall['files'] } {
  const payload: Record<string, unknown> = {};
  const files: RecordedCall['files'] = {};
  for (const [k, v] of query) payload[k] = formValue(v);
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (body.length === 0) return { payload, files };
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('JSON object expected');
    Object.assign(payload, parsed);
  } else if (type === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) payload[k] = formValue(v);
  } else if (type === 'multipart/form-data') {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
    if (!boundary) throw badRequest('multipart boundary missing');
    const uploads = new Map<string, { filename: string; data: Buffer }>();
    for (const part of multipartParts(body, boundary)) {
      if (part.filename !== undefined) uploads.set(part.name, { filename: part.filename, data: part.data });
      else payload[part.name] = formValue(part.data.toString('utf8'));
    }
    // Parameters given as attach://<name> refer to a file part of that name; a bare file part is the parameter itself.
    for (const [k, v] of Object.entries(payload)) {
      const ref = typeof v === 'string' && v.startsWith('attach://') ? uploads.get(v.slice('attach://'.length)) : undefined;
      if (ref) files[k] = ref;
    }
    for (const [name, file] of uploads) if (!(name in payload)) files[name] = file;
  }
  return { payload, files };
}

/** Telegram reads JSON-serialized objects and arrays in form fields. */
function formValue(v: string): unknown {
  if (/^\s*[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

function multipartParts(body: Buffer, boundary: string): { name: string; filename?: string; data: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { name: string; filename?: string; data: Buffer }[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    let from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === '--') break;
    if (body.subarray(from, from + 2).toString() === '\r\n') from += 2;
    const next = body.indexOf(delimiter, from);
    if (next === -1) break;
    let chunk = body.subarray(from, next);
    if (chunk.subarray(-2).toString() === '\r\n') chunk = chunk.subarray(0, -2);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:\s*form-data;?(.*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename=(?:"([^"]*)"|([^;\r\n]+))/i.exec(disposition);
      if (name !== undefined) {
        parts.push({ name, ...(filename ? { filename: (filename[1] ?? filename[2] ?? '').trim() } : {}), data: Buffer.from(chunk.subarray(headerEnd + 4)) });
      }
    }
    start = next;
  }
  return parts;
}

function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** An inline keyboard with at least one button, else undefined (an empty keyboard is no keyboard). */
function keyboardOf(markup: unknown): Message['reply_markup'] {
  const rows = (markup as { inline_keyboard?: unknown[][] } | undefined)?.inline_keyboard;
  return rows && rows.some((r) => r.length > 0) ? (markup as Message['reply_markup']) : undefined;
}

function sameMarkup(a: Message['reply_markup'], b: Message['reply_markup']): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function setMarkup(m: Message, markup: Message['reply_markup']) {
  if (markup) m.reply_markup = markup;
  else delete (m as { reply_markup?: unknown }).reply_markup;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

// --- update builders -----------------------------------------------------------------------------------------

export interface Who {
  chatId?: number;
  userId?: number;
}

const user = (id: number) => ({ id, is_bot: false, first_name: 'Dân', language_code: 'vi' });
const privateChat = (id: number) => ({ id, type: 'private' as const, first_name: 'Dân' });
let builderMessageId = 5000;

/** A private-chat text message (commands get their bot_command entity, like Telegram sends them). */
export function textUpdate(text: string, who: Who = {}): NewUpdate {
  const chatId = who.chatId ?? 42;
  const cmd = /^\/\S+/.exec(text);
  return {
    message: {
      message_id: builderMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: privateChat(chatId),
      from: user(who.userId ?? chatId),
      text,
      ...(cmd ? { entities: [{ type: 'bot_command', offset: 0, length: cmd[0].length }] } : {}),
    },
  } as NewUpdate;
}

/** A button press under one of the bot's messages. */
export function callbackUpdate(data: string, who: Who & { queryId?: string } = {}): NewUpdate {
  const chatId = who.chatId ?? 42;
  return {
    callback_query: {
      id: who.queryId ?? `cb-${builderMessageId++}`,
      from: user(who.userId ?? chatId),
      chat_instance: '-987654321',
      data,
      message: {
        message_id: builderMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: privateChat(chatId),
        from: { id: 123456, is_bot: true, first_name: 'Trợ lý xã', username: 'troly_xa_bot' },
        text: 'Mời bạn chọn:',
      },
    },
  } as NewUpdate;
}

/** A message with some other content (sticker, photo, voice…): `fields` is merged into the message. */
export function contentUpdate(fields: Record<string, unknown>, who: Who = {}): NewUpdate {
  const chatId = who.chatId ?? 42;
  return {
    message: {
      message_id: builderMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: privateChat(chatId),
      from: user(who.userId ?? chatId),
      ...fields,
    },
  } as NewUpdate;
}

export const stickerUpdate = (who: Who = {}) =>
  contentUpdate(
    { sticker: { file_id: 'CAACAgIAAxkBAAE', file_unique_id: 'AgADxx', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' } },
    who,
  );

/** A staff member's text in a group: in a forum topic (`threadId`), or as a reply (`replyTo`), as Telegram shapes them. */
export function groupTextUpdate(
  text: string,
  where: { chatId: number; userId: number; threadId?: number; replyTo?: Message; firstName?: string },
): NewUpdate {
  const chat = { id: where.chatId, type: 'supergroup' as const, title: 'Cán bộ một cửa', ...(where.threadId !== undefined ? { is_forum: true as const } : {}) };
  const cmd = /^\/\S+/.exec(text);
  // In a topic, a message that replies to nothing in particular replies to the topic's "created" service message;
  // in a group without topics, a reply belongs to the thread of the message it answers.
  const inTopic =
    where.threadId !== undefined
      ? {
          message_thread_id: where.threadId,
          is_topic_message: true,
          reply_to_message: where.replyTo ?? {
            message_id: where.threadId,
            date: Math.floor(Date.now() / 1000),
            chat,
            message_thread_id: where.threadId,
            is_topic_message: true,
            forum_topic_created: { name: 'topic', icon_color: TOPIC_ICON_COLORS[0] },
          },
        }
      : where.replyTo
        ? { message_thread_id: where.replyTo.message_thread_id ?? where.replyTo.message_id, reply_to_message: where.replyTo }
        : {};
  return {
    message: {
      message_id: builderMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: where.userId, is_bot: false, first_name: where.firstName ?? 'Cán bộ', language_code: 'vi' },
      text,
      ...inTopic,
      ...(cmd ? { entities: [{ type: 'bot_command', offset: 0, length: cmd[0].length }] } : {}),
    },
  } as NewUpdate;
}

/** A staff member presses a button under `message` (one the fake holds, e.g. from `messageIn`). */
export function groupCallbackUpdate(data: string, on: { message: Message; userId: number; queryId?: string; firstName?: string }): NewUpdate {
  return {
    callback_query: {
      id: on.queryId ?? `cb-${builderMessageId++}`,
      from: { id: on.userId, is_bot: false, first_name: on.firstName ?? 'Cán bộ', language_code: 'vi' },
      chat_instance: '-555000111',
      data,
      // A snapshot: the fake keeps editing its own copy.
      message: structuredClone(on.message),
    },
  } as NewUpdate;
}
