import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyMessage } from '../../../src/domain/types.ts';
import { InboundEventSchema, type InboundEvent } from '../../../src/channels/types.ts';
import {
  WEB_CHAT_BODY_LIMIT,
  WEB_CHAT_MESSAGES,
  registerWebChat,
  toInboundEvent,
} from '../../../src/channels/web/routes.ts';

const CONV = 'conv_0123456789-abc';
const PAGE = readFileSync(new URL('../../../src/channels/web/page.html', import.meta.url), 'utf8');

interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

function setup(converse?: (e: InboundEvent) => Promise<ReplyMessage[]>) {
  const events: InboundEvent[] = [];
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const app: FastifyInstance = Fastify({ logger: false });
  registerWebChat(app, {
    logger,
    converse: async (e) => {
      events.push(e);
      return converse ? converse(e) : [{ text: `echo ${e.kind}` }];
    },
  });
  return { app, events, logs };
}

let current: FastifyInstance | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

function post(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) {
  current = app;
  return app.inject({
    method: 'POST',
    url: '/api/chat',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

describe('GET / (the chat page)', () => {
  it('serves the page as UTF-8 HTML, no-cache, with a strict CSP that names the inline script and style by hash', async () => {
    const { app } = setup();
    current = app;
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe(PAGE);
    expect(res.body).toContain('Trợ lý thủ tục hành chính');
    expect(res.body).toContain('placeholder="Nhập câu hỏi, ví dụ: làm giấy khai sinh cần gì"');
    expect(res.body).toContain('Trợ lý tự động. Không gửi số căn cước, số điện thoại, số tài khoản.');
    expect(res.body).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1/);
    expect(res.body).toContain('aria-live="polite"');

    const csp = String(res.headers['content-security-policy']);
    const directives = Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['img-src']).toEqual(["'self'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    const script = /<script>([\s\S]*?)<\/script>/.exec(PAGE)?.[1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(PAGE)?.[1];
    expect(script && style).toBeTruthy();
    expect(directives['script-src']).toEqual([sha(script!)]);
    expect(directives['style-src']).toEqual([sha(style!)]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('has no external resources and never builds markup from strings', () => {
    expect(PAGE).not.toMatch(/<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(PAGE).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });
});

describe('POST /api/chat', () => {
  it('hands converse a web text event and answers its messages', async () => {
    const reply: ReplyMessage[] = [
      { text: 'Hồ sơ gồm:\n- Tờ khai', choices: [{ id: 'proc:1.001193', label: 'Đăng ký khai sinh' }] },
      { text: 'Xem thêm', link: { url: 'https://dichvucong.gov.vn/', label: 'Cổng DVC' } },
    ];
    const { app, events } = setup(async () => reply);
    const res = await post(app, { conversationId: CONV, messageId: 'msg-00000001', text: '  làm giấy khai sinh cần gì  ' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ messages: reply });
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(InboundEventSchema.safeParse(e).success).toBe(true);
    expect(e).toMatchObject({
      channel: 'web',
      chatId: CONV,
      updateKey: 'msg-00000001',
      userId: null,
      kind: 'text',
      text: 'làm giấy khai sinh cần gì',
    });
    expect(e.choice).toBeUndefined();
    expect(e.command).toBeUndefined();
    expect(e.receivedAt).toBeInstanceOf(Date);
  });

  it('sends a choice as kind "choice" with its id', async () => {
    const { app, events } = setup();
    const res = await post(app, { conversationId: CONV, messageId: 'msg-00000002', choice: 'proc:1.001193' });
    expect(res.statusCode).toBe(200);
    expect(events[0]).toMatchObject({ channel: 'web', chatId: CONV, updateKey: 'msg-00000002', kind: 'choice', choice: 'proc:1.001193' });
    expect(events[0]!.text).toBeUndefined();
  });

  it('gives each message without a messageId its own random updateKey', async () => {
    const { app, events } = setup();
    await post(app, { conversationId: CONV, text: 'a' });
    await post(app, { conversationId: CONV, text: 'a' });
    expect(events[0]!.updateKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[1]!.updateKey).not.toBe(events[0]!.updateKey);
  });

  it.each([
    ['/start', 'start'],
    ['/help', 'help'],
    ['/menu', 'menu'],
    ['/lienhe', 'lienhe'],
    ['  /MENU  ', 'menu'],
    ['/start xin chào', 'start'],
    ['/lienhe@xa_bot', 'lienhe'],
  ])('turns %j into the command %s', async (text, command) => {
    const { app, events } = setup();
    const res = await post(app, { conversationId: CONV, text });
    expect(res.statusCode).toBe(200);
    expect(events[0]).toMatchObject({ kind: 'command', command, text: text.trim() });
    expect(InboundEventSchema.safeParse(events[0]).success).toBe(true);
  });

  it.each(['/starting', '/unknown', 'start', 'gõ /menu để xem'])('keeps %j as plain text', async (text) => {
    const { app, events } = setup();
    await post(app, { conversationId: CONV, text });
    expect(events[0]).toMatchObject({ kind: 'text', text });
  });

  it.each([
    ['no conversationId', { text: 'x' }, WEB_CHAT_MESSAGES.badConversation],
    ['a short conversationId', { conversationId: 'abc', text: 'x' }, WEB_CHAT_MESSAGES.badConversation],
    ['a conversationId with other characters', { conversationId: 'abc def ghi', text: 'x' }, WEB_CHAT_MESSAGES.badConversation],
    ['a conversationId over 100', { conversationId: 'a'.repeat(101), text: 'x' }, WEB_CHAT_MESSAGES.badConversation],
    ['a bad messageId', { conversationId: CONV, messageId: '../../etc', text: 'x' }, WEB_CHAT_MESSAGES.badConversation],
    ['neither text nor choice', { conversationId: CONV }, WEB_CHAT_MESSAGES.oneOf],
    ['both text and choice', { conversationId: CONV, text: 'x', choice: 'y' }, WEB_CHAT_MESSAGES.oneOf],
    ['blank text', { conversationId: CONV, text: '   \n ' }, WEB_CHAT_MESSAGES.emptyText],
    ['text over 4000', { conversationId: CONV, text: 'a'.repeat(4001) }, WEB_CHAT_MESSAGES.textTooLong],
    ['a choice over 200', { conversationId: CONV, choice: 'c'.repeat(201) }, WEB_CHAT_MESSAGES.badChoice],
    ['an empty choice', { conversationId: CONV, choice: '' }, WEB_CHAT_MESSAGES.badChoice],
    ['text of the wrong type', { conversationId: CONV, text: 42 }, WEB_CHAT_MESSAGES.invalid],
    ['an array body', [{ conversationId: CONV, text: 'x' }], WEB_CHAT_MESSAGES.invalid],
    ['a JSON null body', 'null', WEB_CHAT_MESSAGES.invalid],
  ])('answers 400 with the one error shape and a Vietnamese message for %s', async (_name, body, error) => {
    const { app, events } = setup();
    const res = await post(app, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ ok: false, code: "bad_request", error });
    expect(events).toHaveLength(0);
  });

  it('cleans text and choice (NUL, lone surrogates, zero-width and bidi junk out, NFC) before handing them on', async () => {
    const { app, events } = setup();
    const junk = (t: string) => `\u0000${t}\ud83d\u200b\u202e\u2067`;
    const a = await post(app, { conversationId: CONV, text: junk('làm giấy khai sinh'.normalize('NFD')) });
    const b = await post(app, { conversationId: CONV, choice: junk('proc:1.001193') });
    const c = await post(app, { conversationId: CONV, text: '\ufeff/menu\u0000' });
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([200, 200, 200]);
    expect(events.map((e) => e.text ?? e.choice)).toEqual(['làm giấy khai sinh', 'proc:1.001193', '/menu']);
    expect(events[2]).toMatchObject({ kind: 'command', command: 'menu' });
  });

  it('answers 400 (not 5xx) when nothing readable is left after cleaning, like an empty text or choice', async () => {
    const { app, events } = setup();
    const text = await post(app, { conversationId: CONV, text: '\u0000\u200b \ud800\u2066' });
    expect(text.statusCode).toBe(400);
    expect(text.json()).toEqual({ ok: false, code: expect.any(String), error: WEB_CHAT_MESSAGES.emptyText });
    const choice = await post(app, { conversationId: CONV, choice: '\u0000\ufeff' });
    expect(choice.statusCode).toBe(400);
    expect(choice.json()).toEqual({ ok: false, code: expect.any(String), error: WEB_CHAT_MESSAGES.badChoice });
    expect(events).toHaveLength(0);
  });

  it('takes the page\'s message counter as the event\'s sequence; a bad one is a 400', async () => {
    const { app, events } = setup();
    expect((await post(app, { conversationId: CONV, messageId: 'msg-00000004', seq: 7, text: 'a' })).statusCode).toBe(200);
    expect((await post(app, { conversationId: CONV, text: 'b' })).statusCode).toBe(200);
    expect(events[0]).toMatchObject({ updateKey: 'msg-00000004', sequence: 7 });
    expect(events[1]).not.toHaveProperty('sequence');
    for (const seq of [-1, 1.5, '3', 2 ** 60]) {
      const res = await post(app, { conversationId: CONV, seq, text: 'c' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ ok: false, code: expect.any(String), error: WEB_CHAT_MESSAGES.invalid });
    }
    expect(events).toHaveLength(2);
  });

  it('accepts exactly 4000 characters and 100-character ids', async () => {
    const { app, events } = setup();
    const res = await post(app, { conversationId: 'c'.repeat(100), messageId: 'm'.repeat(100), text: 'ă'.repeat(4000) });
    expect(res.statusCode).toBe(200);
    expect(events[0]!.text).toHaveLength(4000);
  });

  it('answers 400 JSON for malformed JSON', async () => {
    const { app, events } = setup();
    const res = await post(app, '{"conversationId": "conv_0123456789", "text": ');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ ok: false, code: expect.any(String), error: WEB_CHAT_MESSAGES.badJson });
    expect(events).toHaveLength(0);
  });

  it('answers 400 JSON for an empty JSON body', async () => {
    const { app } = setup();
    const res = await post(app, '');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toHaveProperty('error');
  });

  it('answers 415 JSON for a body that is not JSON', async () => {
    const { app, events } = setup();
    const res = await post(app, 'conversationId=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ ok: false, code: expect.any(String), error: WEB_CHAT_MESSAGES.badContentType });
    expect(events).toHaveLength(0);
  });

  it(`answers 413 JSON for a body over ${WEB_CHAT_BODY_LIMIT} bytes`, async () => {
    const { app, events } = setup();
    const res = await post(app, { conversationId: CONV, text: 'x'.repeat(WEB_CHAT_BODY_LIMIT) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ ok: false, code: expect.any(String), error: WEB_CHAT_MESSAGES.tooLarge });
    expect(events).toHaveLength(0);
  });

  it('keeps the largest valid message (4000 three-byte letters) under the body limit', async () => {
    const { app } = setup();
    const res = await post(app, { conversationId: 'c'.repeat(100), messageId: 'm'.repeat(100), text: 'ữ'.repeat(4000) });
    expect(res.statusCode).toBe(200);
  });

  it('answers 503 with the Vietnamese busy message when converse throws, and logs the error without the text', async () => {
    const { app, logs } = setup(async () => {
      throw new Error('database is down');
    });
    const res = await post(app, { conversationId: CONV, messageId: 'msg-00000003', text: 'số căn cước 012345678901' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ ok: false, code: expect.any(String), error: 'Hệ thống đang bận, vui lòng thử lại sau ít phút.' });
    const line = logs.find((l) => l.level >= 50);
    expect(line).toBeDefined();
    expect(JSON.stringify(line)).toContain('database is down');
    expect(line).toMatchObject({ chatId: CONV, updateKey: 'msg-00000003' });
    expect(JSON.stringify(logs)).not.toContain('012345678901');
  });
});

describe('toInboundEvent', () => {
  it('builds a valid InboundEvent for each kind', () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const text = toInboundEvent({ conversationId: CONV, messageId: 'msg-00000009', text: 'hỏi' }, now);
    expect(text).toEqual({ channel: 'web', updateKey: 'msg-00000009', chatId: CONV, userId: null, kind: 'text', text: 'hỏi', receivedAt: now });
    for (const e of [text, toInboundEvent({ conversationId: CONV, choice: 'x' }), toInboundEvent({ conversationId: CONV, text: '/help' })]) {
      expect(InboundEventSchema.parse(e)).toEqual(e);
    }
  });
});
