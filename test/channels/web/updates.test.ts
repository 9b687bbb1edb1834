import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyMessage } from '../../../src/domain/types.ts';
import { WEB_CHAT_MESSAGES, registerWebChat } from '../../../src/channels/web/routes.ts';
import { registerWebUpdates, type WebUpdatesResponse, type WebUpdatesSource } from '../../../src/channels/web/updates.ts';
import type { Db } from '../../../src/storage/db.ts';
import { WebUpdatesStore } from '../../../src/storage/web-updates.ts';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { addStaff, claimTicket, closeTicket, openTicket, storeOutbound as storeFor } from './handover-rows.ts';

let t: TestDb;
let db: Db;
let store: WebUpdatesStore;
beforeAll(async () => {
  t = await openTestDb();
  db = t.db;
  store = new WebUpdatesStore(db);
});
afterAll(async () => {
  await t?.cleanup();
});

let chats = 0;
const storeOutbound = (chatId: string, kind: 'staff' | 'system', message: ReplyMessage) => storeFor(db, chatId, kind, message);
/** A fresh web conversation id per test, so tests never see each other's rows. */
const newChat = () => `chat_${Date.now().toString(36)}_${++chats}`;

/** A bot reply to a citizen's web message: returned in the POST response, never by the updates route. */
async function storeBotReply(chatId: string, text: string): Promise<void> {
  const inbound = await db.query<{ id: string }>(
    `INSERT INTO inbound_updates (channel, update_key, conversation_id, event, status)
     VALUES ('web', $1, $2, '{}'::jsonb, 'done') RETURNING id`,
    [`${chatId}-m1`, `web:${chatId}`],
  );
  await db.query(
    `INSERT INTO outbound_messages (inbound_id, conversation_id, channel, chat_id, seq, message, status, sent_at)
     VALUES ($1, $2, 'web', $3, 0, $4, 'sent', now())`,
    [inbound[0]!.id, `web:${chatId}`, chatId, JSON.stringify({ text })],
  );
}

async function statusOf(id: number): Promise<{ status: string; sent: boolean }> {
  const rows = await db.query<{ status: string; sent_at: unknown }>(`SELECT status, sent_at FROM outbound_messages WHERE id = $1`, [id]);
  return { status: rows[0]!.status, sent: rows[0]!.sent_at !== null };
}

function chatApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  registerWebChat(app, { converse: async () => [{ text: 'ok' }], logger: pino({ level: 'silent' }), updates: store });
  return app;
}

async function getUpdates(app: FastifyInstance, query: string) {
  const res = await app.inject({ method: 'GET', url: `/api/chat/updates?${query}` });
  return { res, body: res.json() as WebUpdatesResponse };
}

describe('GET /api/chat/updates', () => {
  let app: FastifyInstance;
  beforeAll(() => {
    app = chatApp();
  });
  afterAll(() => app.close());

  it('returns the staff and system messages after the cursor, oldest first, with their choices, and never the bot replies', async () => {
    const chat = newChat();
    const other = newChat();
    await storeBotReply(chat, 'Câu trả lời của trợ lý');
    const notice = await storeOutbound(chat, 'system', { text: 'Bạn đang ở vị trí số 2 trong hàng chờ.' });
    const reply = await storeOutbound(chat, 'staff', { text: 'Chào anh, tôi là Lan.' });
    await storeOutbound(other, 'staff', { text: 'Tin của người khác' });
    const rating = await storeOutbound(chat, 'system', {
      text: 'Anh/chị có hài lòng không?',
      choices: [
        { id: 'rate:5', label: 'Rất hài lòng' },
        { id: 'rate:4', label: 'Hài lòng' },
      ],
    });

    const { res, body } = await getUpdates(app, `conversationId=${chat}&after=0`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(body.ok).toBe(true);
    expect(body.messages.map((m) => [m.id, m.kind, m.message.text])).toEqual([
      [notice, 'system', 'Bạn đang ở vị trí số 2 trong hàng chờ.'],
      [reply, 'staff', 'Chào anh, tôi là Lan.'],
      [rating, 'system', 'Anh/chị có hài lòng không?'],
    ]);
    expect(body.messages[2]!.message.choices).toEqual([
      { id: 'rate:5', label: 'Rất hài lòng' },
      { id: 'rate:4', label: 'Hài lòng' },
    ]);
    expect(new Date(body.messages[0]!.at).toISOString()).toBe(body.messages[0]!.at);
    expect(body.cursor).toBe(rating);
    expect(body.handover).toEqual({ status: null, staffName: null });

    const later = await getUpdates(app, `conversationId=${chat}&after=${reply}`);
    expect(later.body.messages.map((m) => m.id)).toEqual([rating]);
  });

  it('marks what it returns as sent, and returns it again for the same cursor (a lost response, a reopened page)', async () => {
    const chat = newChat();
    const first = await storeOutbound(chat, 'staff', { text: 'Tin thứ nhất' });
    expect(await statusOf(first)).toEqual({ status: 'pending', sent: false });

    const a = await getUpdates(app, `conversationId=${chat}&after=0`);
    expect(a.body.messages.map((m) => m.id)).toEqual([first]);
    expect(await statusOf(first)).toEqual({ status: 'sent', sent: true });

    // The page reopened before it saved the cursor: the same `after` gets the same message again.
    const again = await getUpdates(app, `conversationId=${chat}&after=0`);
    expect(again.body.messages.map((m) => m.id)).toEqual([first]);

    // With the cursor it did save, only what came later.
    const second = await storeOutbound(chat, 'staff', { text: 'Tin thứ hai' });
    const b = await getUpdates(app, `conversationId=${chat}&after=${a.body.cursor}`);
    expect(b.body.messages.map((m) => m.message.text)).toEqual(['Tin thứ hai']);
    expect(b.body.cursor).toBe(second);
    const none = await getUpdates(app, `conversationId=${chat}&after=${b.body.cursor}`);
    expect(none.body.messages).toEqual([]);
    expect(none.body.cursor).toBe(second);
  });

  it('tells the open ticket’s state: waiting, then with the owner’s display name, then none once closed', async () => {
    const chat = newChat();
    const ticket = await openTicket(db, chat);
    expect((await getUpdates(app, `conversationId=${chat}`)).body.handover).toEqual({ status: 'waiting', staffName: null });
    await claimTicket(db, ticket, await addStaff(db, 'Nguyễn Thị Lan'));
    expect((await getUpdates(app, `conversationId=${chat}`)).body.handover).toEqual({ status: 'with_staff', staffName: 'Nguyễn Thị Lan' });
    await closeTicket(db, ticket);
    expect((await getUpdates(app, `conversationId=${chat}`)).body.handover).toEqual({ status: null, staffName: null });
  });

  it('answers bad parameters with 400 in the one error shape and the page’s wording', async () => {
    const cases: Array<[string, string]> = [
      ['', WEB_CHAT_MESSAGES.badConversation],
      ['conversationId=short', WEB_CHAT_MESSAGES.badConversation],
      ['conversationId=bad%20id%20with%20spaces', WEB_CHAT_MESSAGES.badConversation],
      [`conversationId=${'x'.repeat(101)}`, WEB_CHAT_MESSAGES.badConversation],
      ['conversationId=chat_12345678&conversationId=chat_87654321', WEB_CHAT_MESSAGES.badConversation],
      ['conversationId=chat_12345678&after=-1', WEB_CHAT_MESSAGES.invalid],
      ['conversationId=chat_12345678&after=1e3', WEB_CHAT_MESSAGES.invalid],
      ['conversationId=chat_12345678&after=', WEB_CHAT_MESSAGES.invalid],
      ['conversationId=chat_12345678&wait=26', WEB_CHAT_MESSAGES.invalid],
      ['conversationId=chat_12345678&wait=abc', WEB_CHAT_MESSAGES.invalid],
      ['conversationId=chat_12345678&wait=1.5', WEB_CHAT_MESSAGES.invalid],
    ];
    for (const [query, error] of cases) {
      const res = await app.inject({ method: 'GET', url: `/api/chat/updates?${query}` });
      expect([query, res.statusCode, res.headers['cache-control']]).toEqual([query, 400, 'no-store']);
      expect([query, res.json()]).toEqual([query, { ok: false, code: 'bad_request', error }]);
    }
    expect((await app.inject({ method: 'GET', url: '/api/chat/updates?conversationId=chat_12345678&after=0&wait=0' })).statusCode).toBe(200);
  });

  it('is not there when the web chat is given no updates source', async () => {
    const bare = Fastify({ logger: false });
    registerWebChat(bare, { converse: async () => [], logger: pino({ level: 'silent' }) });
    const res = await bare.inject({ method: 'GET', url: '/api/chat/updates?conversationId=chat_12345678' });
    expect(res.statusCode).toBe(404);
    await bare.close();
  });
});

describe('GET /api/chat/updates with wait (long polling)', () => {
  /**
   * A long poll that answered early made only a few checks after the event (one is in flight when it happens); one
   * that ran to the end of its 25 s would have made about 1,250 at 20 ms. Counting checks, not time, keeps the
   * tests free of timing.
   */
  const EARLY = 3;
  /** The store, with a promise for the n-th check, so a test acts while a long poll is known to be waiting. */
  function observed(): { source: WebUpdatesSource; checks: () => number; checked: (n: number) => Promise<void> } {
    let n = 0;
    const waiters: Array<{ n: number; resolve: () => void }> = [];
    const source: WebUpdatesSource = {
      handover: (c) => store.handover(c),
      async messagesAfter(c, after, limit) {
        const found = await store.messagesAfter(c, after, limit);
        n++;
        for (const w of waiters.filter((x) => x.n <= n)) w.resolve();
        return found;
      },
    };
    return {
      source,
      checks: () => n,
      checked: (k) => (n >= k ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n: k, resolve }))),
    };
  }

  async function listening(source: WebUpdatesSource, logs?: string[]): Promise<{ app: FastifyInstance; base: string }> {
    const logger = logs
      ? pino({ level: 'debug' }, { write: (line: string) => void logs.push(String((JSON.parse(line) as { msg: string }).msg)) })
      : pino({ level: 'silent' });
    const app = Fastify({ logger: false });
    registerWebUpdates(app, { source, logger, pollMs: 20 });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    return { app, base };
  }

  it('returns as soon as a message arrives, well before the wait ends', async () => {
    const chat = newChat();
    const o = observed();
    const { app, base } = await listening(o.source);
    try {
      const pending = fetch(`${base}/api/chat/updates?conversationId=${chat}&after=0&wait=25`).then((r) => r.json() as Promise<WebUpdatesResponse>);
      await o.checked(2); // it found nothing and is waiting
      const id = await storeOutbound(chat, 'staff', { text: 'Cán bộ trả lời đây.' });
      const stored = o.checks();
      const body = await pending;
      // Answered by the first checks after the message was stored, not at the end of the 25 s (about 1,250 checks).
      expect(o.checks() - stored).toBeLessThanOrEqual(EARLY);
      expect(body.messages.map((m) => [m.id, m.message.text])).toEqual([[id, 'Cán bộ trả lời đây.']]);
      expect(body.cursor).toBe(id);
    } finally {
      await app.close();
    }
  });

  it('returns early when the handover changes (claimed) even without a message', async () => {
    const chat = newChat();
    const ticket = await openTicket(db, chat);
    const o = observed();
    const { app, base } = await listening(o.source);
    try {
      const pending = fetch(`${base}/api/chat/updates?conversationId=${chat}&wait=25`).then((r) => r.json() as Promise<WebUpdatesResponse>);
      await o.checked(2);
      await claimTicket(db, ticket, await addStaff(db, 'Minh'));
      const claimed = o.checks();
      const body = await pending;
      expect(o.checks() - claimed).toBeLessThanOrEqual(EARLY);
      expect(body.handover).toEqual({ status: 'with_staff', staffName: 'Minh' });
      expect(body.messages).toEqual([]);
      expect(body.cursor).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('stops checking when the client goes away', async () => {
    const chat = newChat();
    const o = observed();
    const logs: string[] = [];
    const { app, base } = await listening(o.source, logs);
    try {
      const ctrl = new AbortController();
      const pending = fetch(`${base}/api/chat/updates?conversationId=${chat}&wait=25`, { signal: ctrl.signal }).catch((e: Error) => e.name);
      await o.checked(2);
      ctrl.abort();
      expect(await pending).toBe('AbortError');
      await expect.poll(() => logs, { timeout: 10_000 }).toContain('web updates: client gone, long poll stopped');
      const after = o.checks();
      // A message stored now is not fetched (and so not marked sent) by the abandoned poll.
      const id = await storeOutbound(chat, 'staff', { text: 'Không ai chờ tin này' });
      await app.close();
      expect(o.checks()).toBe(after);
      expect(await statusOf(id)).toEqual({ status: 'pending', sent: false });
    } finally {
      await app.close();
    }
  });

  it('closing the server answers a waiting long poll at once', async () => {
    const chat = newChat();
    const o = observed();
    const { app, base } = await listening(o.source);
    const pending = fetch(`${base}/api/chat/updates?conversationId=${chat}&wait=25`).then((r) => r.json() as Promise<WebUpdatesResponse>);
    await o.checked(2);
    const closing = o.checks();
    await app.close();
    const body = await pending;
    expect(o.checks() - closing).toBeLessThanOrEqual(EARLY);
    expect(body).toEqual({ ok: true, messages: [], handover: { status: null, staffName: null }, cursor: 0 });
  });
});
