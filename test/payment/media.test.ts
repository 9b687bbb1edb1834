import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import { registerMedia } from '../../src/server/media.ts';
import { deleteExpiredMedia, insertMedia } from '../../src/storage/media-store.ts';
import { vietQrPayload, vietQrPng } from '../../src/services/payment/vietqr.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { decodeQrPng } from './qr.ts';

/** GET /media/:name on a real server and database: what was stored and has not expired, nothing else. */
const NOW = new Date('2027-03-01T03:00:00Z');
const DAY = 86_400_000;
const LIVE = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p_.png';
const OLD = 'zZ9yY8xX7wW6vV5uU4tT3sS2rR1qQ0p-.png';

describe('media route', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let payload: string;

  beforeAll(async () => {
    t = await openTestDb();
    app = buildServer({ db: t.db, logger: pino({ level: 'silent' }), isReady: () => true });
    registerMedia(app, { db: t.db, now: () => NOW });
    payload = vietQrPayload({ bankBin: '970436', accountNumber: '0011001234567', accountName: 'X', bankName: null }, 20_000, 'HS H56.14-240823-0001');
    const png = await vietQrPng(payload);
    await insertMedia(t.db, { name: LIVE, content: png, mime: 'image/png', expiresAt: new Date(NOW.getTime() + DAY) });
    await insertMedia(t.db, { name: OLD, content: png, mime: 'image/png', expiresAt: new Date(NOW.getTime() - 1000) });
    await insertMedia(t.db, { name: 'not-a-served-name.png', content: png, mime: 'image/png', expiresAt: new Date(NOW.getTime() + DAY) });
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('serves a stored image as PNG with its cache and nosniff headers; it decodes to the payload', async () => {
    expect(LIVE).toMatch(/^[A-Za-z0-9_-]{32}\.png$/);
    const res = await app.inject({ method: 'GET', url: `/media/${LIVE}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(decodeQrPng(res.rawPayload)).toBe(payload);
  });

  it('404 in the one error shape for unknown, expired, badly formed and path-tricking names', async () => {
    const bad = [
      `/media/${'Q'.repeat(32)}.png`, // well formed, unknown
      `/media/${OLD}`, // expired
      '/media/not-a-served-name.png', // stored, but not a name we give out
      `/media/${LIVE.replace('.png', '.PNG')}`,
      `/media/${LIVE}.png`,
      `/media/${LIVE.slice(1)}`,
      '/media/',
      '/media',
      `/media/..%2F..%2Fetc%2Fpasswd`,
      `/media/..%2f${LIVE}`,
      `/media/%2e%2e/${LIVE}`,
      `/media/${LIVE}%00`,
      `/media/${LIVE}/..`,
    ];
    for (const url of bad) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/application\/json/);
      expect(res.json(), url).toMatchObject({ ok: false, code: 'not_found' });
    }
  });

  it('expired images are purged; live ones stay', async () => {
    expect(await deleteExpiredMedia(t.db, NOW)).toBe(1);
    expect((await app.inject({ method: 'GET', url: `/media/${LIVE}` })).statusCode).toBe(200);
    expect(await deleteExpiredMedia(t.db, new Date(NOW.getTime() + 2 * DAY))).toBe(2);
    expect((await app.inject({ method: 'GET', url: `/media/${LIVE}` })).statusCode).toBe(404);
  });
});
