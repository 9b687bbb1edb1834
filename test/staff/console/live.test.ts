import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../src/server/auth/plugin.ts';
import type { LiveEvent } from '../../../src/staff/console/live-events.ts';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { buildConsoleApp, type ConsoleApp, PASSWORD } from './console-app.ts';

/**
 * GET /api/staff/events over a real socket: server-sent events from the ticket log, each with the ticket's status
 * now; Last-Event-ID resumes after the last one seen; a heartbeat comment; the poll stops when the client goes,
 * and the server closes with a stream open.
 */

interface Sse {
  /** Resolves with the first frame for which `match` is true (frames seen so far included). */
  next(match: (frame: Frame) => boolean): Promise<Frame>;
  raw: () => string;
  status: number;
  headers: http.IncomingHttpHeaders;
  close(): void;
}
interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

function parseFrames(text: string): Frame[] {
  return text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => {
      const f: Frame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) f.comment = line.slice(1).trim();
        const m = /^(id|event|data): ?(.*)$/.exec(line);
        if (m) f[m[1] as 'id' | 'event' | 'data'] = m[2];
      }
      return f;
    });
}

function openSse(base: string, path: string, cookie: string, headers: Record<string, string> = {}): Promise<Sse> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { headers: { cookie: `${SESSION_COOKIE}=${cookie}`, accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      const waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
      const check = () => {
        const frames = parseFrames(text);
        for (const w of [...waiters]) {
          const hit = frames.find(w.match);
          if (hit) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(hit);
          }
        }
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        check();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        raw: () => text,
        next: (match) =>
          new Promise((r) => {
            waiters.push({ match, resolve: r });
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

let t: TestDb;
let c: ConsoleApp;
let base: string;
let cookie: string;
let csrf: string;
let polls = 0;

beforeAll(async () => {
  t = await openTestDb();
  c = await buildConsoleApp(t.db, { live: { pollMs: 20, heartbeatMs: 100 } });
  // Counts the stream's polls of the log, to see them stop when the client goes.
  const eventsAfter = c.desk.eventsAfter.bind(c.desk);
  c.desk.eventsAfter = (after, limit) => {
    polls++;
    return eventsAfter(after, limit);
  };
  await c.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(c.app.server.address() as AddressInfo).port}/`;
  const login = await c.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lan', password: PASSWORD } });
  cookie = login.cookies.find((k) => k.name === SESSION_COOKIE)!.value;
  csrf = login.json().csrfToken;
});

afterAll(async () => {
  await c?.close();
  await t?.cleanup();
});

const data = (f: Frame) => JSON.parse(f.data!) as LiveEvent;
const claim = (id: number) => c.app.inject({ method: 'POST', url: `/api/staff/tickets/${id}/claim`, cookies: { [SESSION_COOKIE]: cookie }, headers: { 'x-csrf-token': csrf }, payload: {} });

describe('GET /api/staff/events', () => {
  it('refuses without a session (401 JSON, not a stream)', async () => {
    const res = await fetch(new URL('/api/staff/events', base));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, code: 'unauthorized' });
  });

  it('starts at the end of the log, then delivers a claim with the ticket now with staff; Last-Event-ID resumes', async () => {
    const earlier = await c.openTicket(`web-live-${Date.now()}-a`);
    const sse = await openSse(base, '/api/staff/events', cookie);
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sse.headers['cache-control']).toBe('no-store');
    const ready = await sse.next((f) => f.event === 'ready');
    const start = Number(ready.id);
    expect(start).toBeGreaterThan(0);

    const id = await c.openTicket(`web-live-${Date.now()}-b`);
    const opened = await sse.next((f) => !!f.data && !f.event && data(f).ticketId === id);
    expect(data(opened)).toMatchObject({ kind: 'opened', ticketId: id, ticketStatus: 'waiting' });
    expect(Number(opened.id)).toBe(data(opened).id);

    expect((await claim(id)).statusCode).toBe(200);
    const claimed = await sse.next((f) => !!f.data && !f.event && data(f).kind === 'claimed');
    expect(data(claimed)).toMatchObject({ ticketId: id, actorId: c.users.lan.id, actorName: 'Nguyễn Thị Lan', ticketStatus: 'with_staff', ownerName: 'Nguyễn Thị Lan' });
    // the ticket opened before the stream started is not replayed
    expect(parseFrames(sse.raw()).some((f) => f.data && !f.event && data(f).ticketId === earlier)).toBe(false);
    sse.close();

    // A reconnect with Last-Event-ID gets what came after it (the claim), and not the opening before it.
    const again = await openSse(base, '/api/staff/events?after=0', cookie, { 'last-event-id': opened.id! });
    const replay = await again.next((f) => !!f.data && !f.event);
    expect(data(replay)).toMatchObject({ kind: 'claimed', ticketId: id });
    again.close();

    // ?after= alone replays from there.
    const fromStart = await openSse(base, `/api/staff/events?after=${start}`, cookie);
    const first = await fromStart.next((f) => !!f.data && !f.event);
    expect(data(first)).toMatchObject({ kind: 'opened', ticketId: id });
    fromStart.close();
  });

  it('sends a heartbeat comment on a quiet stream', async () => {
    const sse = await openSse(base, '/api/staff/events', cookie);
    await sse.next((f) => f.comment === 'ping');
    sse.close();
  });

  it('a bad cursor is a 400 in the one error shape', async () => {
    const res = await fetch(new URL('/api/staff/events?after=abc', base), { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, code: 'bad_request', error: 'Mã sự kiện không hợp lệ.' });
  });

  it('stops polling when the client disconnects', async () => {
    const sse = await openSse(base, '/api/staff/events', cookie);
    await sse.next((f) => f.event === 'ready');
    const during = polls;
    await expect.poll(() => polls).toBeGreaterThan(during + 2);
    sse.close();
    // Alive, the stream polls every 20 ms; gone, a window of 150 ms passes with no poll at all.
    const quietWindow = async () => {
      const before = polls;
      await new Promise((r) => setTimeout(r, 150));
      return polls - before;
    };
    await expect.poll(quietWindow, { timeout: 3000 }).toBe(0);
    expect(await quietWindow()).toBe(0);
  });

  it('the server closes with a stream still open', async () => {
    const sse = await openSse(base, '/api/staff/events', cookie);
    await sse.next((f) => f.event === 'ready');
    await c.app.close();
    expect(sse.raw()).toContain('event: ready');
  });
});
