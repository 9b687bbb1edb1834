import type { FastifyInstance } from 'fastify';
import type { Db } from '../storage/db.ts';
import { mediaByName } from '../storage/media-store.ts';
import { sendError } from './errors.ts';

/** 32 url-safe random characters and the extension: anything else is not a name we gave out. */
export const MEDIA_NAME = /^[A-Za-z0-9_-]{32}\.png$/;
const SERVED_MIME = new Set(['image/png']);

/**
 * `GET /media/:name`: the images the bot sends (VietQR codes), for Telegram's and Zalo's servers to fetch from
 * PUBLIC_URL and for the web chat. Only a stored, unexpired name answers; the name is checked against its exact
 * form before the database is asked, so no path, dot or encoded slash reaches anything, and there is nothing to list.
 */
export function registerMedia(app: FastifyInstance, deps: { db: Db; now?: () => Date }): void {
  const now = deps.now ?? (() => new Date());
  app.get<{ Params: { name: string } }>('/media/:name', async (req, reply) => {
    const name = req.params.name;
    if (!MEDIA_NAME.test(name)) return sendError(reply, 'not_found');
    const media = await mediaByName(deps.db, name, now());
    if (!media || !SERVED_MIME.has(media.mime)) return sendError(reply, 'not_found');
    return reply
      .header('content-type', media.mime)
      // the name never changes content; private: the code carries a dossier number, no shared cache needs it
      .header('cache-control', 'private, max-age=86400, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('x-robots-tag', 'noindex')
      .header('referrer-policy', 'no-referrer')
      .send(media.content);
  });
}
