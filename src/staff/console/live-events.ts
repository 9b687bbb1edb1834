import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { TicketStatus, TicketEvent } from '../../domain/staff.ts';
import type { HandoverDesk } from '../../services/handover/types.ts';

/**
 * The console's live updates as server-sent events: every ticket event after the cursor, each with the ticket's
 * status and owner as they are now (so a claim by someone else shows without another request). The log is polled
 * (one short query a second, no connection held between polls: the desk's queries take one from the pool and give
 * it back); a comment line every 20 s keeps proxies from closing a quiet stream. Each event's `id:` is the ticket
 * event's id, so a browser that reconnects sends it back as Last-Event-ID and misses nothing.
 */

export interface LiveOptions {
  pollMs: number;
  heartbeatMs: number;
}

export const LIVE_DEFAULTS: LiveOptions = { pollMs: 1000, heartbeatMs: 20_000 };

export interface LiveEvent extends TicketEvent {
  ticketStatus: TicketStatus | null;
  ownerId: number | null;
  ownerName: string | null;
}

const BATCH = 100;
// Skipping to the end of the log when a client gives no cursor: large pages, read once per connection.
const SKIP_BATCH = 1000;

/** The id of the last event in the log (0 when empty), read in pages through the desk. */
export async function endOfLog(desk: HandoverDesk): Promise<number> {
  let cursor = 0;
  for (;;) {
    const page = await desk.eventsAfter(cursor, SKIP_BATCH);
    if (page.length === 0) return cursor;
    cursor = page[page.length - 1]!.id;
    if (page.length < SKIP_BATCH) return cursor;
  }
}

/** The events after `cursor`, each with its ticket's current status and owner. */
export async function liveEventsAfter(desk: HandoverDesk, cursor: number): Promise<LiveEvent[]> {
  const events = await desk.eventsAfter(cursor, BATCH);
  const tickets = new Map<number, Awaited<ReturnType<HandoverDesk['getTicket']>>>();
  for (const id of new Set(events.map((e) => e.ticketId))) tickets.set(id, await desk.getTicket(id));
  return events.map((e) => {
    const t = tickets.get(e.ticketId) ?? null;
    return { ...e, ticketStatus: t?.status ?? null, ownerId: t?.ownerId ?? null, ownerName: t?.ownerName ?? null };
  });
}

export function formatEvent(e: LiveEvent): string {
  // JSON has no raw newlines, so one data line per event is enough.
  return `id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * Streams to `res` (already hijacked from fastify) until the client goes; the returned function ends it sooner
 * (the server closing). `start` null: from the end of the log.
 */
export function streamLiveEvents(
  res: ServerResponse,
  deps: { desk: HandoverDesk; logger: Logger; options: LiveOptions },
  start: number | null,
): () => void {
  const { desk, logger, options } = deps;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    clearInterval(heartbeat);
    if (!res.writableEnded) res.end();
  };
  res.on('close', stop);

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  res.write('retry: 3000\n\n');
  heartbeat = setInterval(() => res.write(': ping\n\n'), options.heartbeatMs);

  // A full socket buffer (a slow phone) waits for 'drain' rather than piling events up in memory.
  const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((r) => res.once('drain', r)));

  const poll = async (cursor: number) => {
    if (stopped) return;
    let next = cursor;
    let full = false;
    try {
      const events = await liveEventsAfter(desk, cursor);
      for (const e of events) {
        if (stopped) return;
        await write(formatEvent(e));
        next = e.id;
      }
      full = events.length === BATCH;
    } catch (err) {
      logger.warn({ err }, 'console: live events poll failed; retrying');
    }
    if (!stopped) timer = setTimeout(() => void poll(next), full ? 0 : options.pollMs);
  };

  void (async () => {
    let cursor = start;
    try {
      cursor ??= await endOfLog(desk);
    } catch (err) {
      logger.warn({ err }, 'console: live events could not find the end of the log');
      stop();
      return;
    }
    // Tells the page where the stream starts (its lastEventId), so it loads the queue after this point.
    if (!stopped) await write(`id: ${cursor}\nevent: ready\ndata: {"after":${cursor}}\n\n`);
    void poll(cursor);
  })();

  return stop;
}
