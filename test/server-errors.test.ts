import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server/app.ts';
import { ERRORS } from '../src/server/errors.ts';
import { openTestDb, type TestDb } from './helpers/db.ts';

/** Every route answers errors in one shape, { ok: false, code, error }, from one catalogue. */
describe('the error catalogue at the HTTP edge', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('an unknown route, a malformed JSON body and an oversized one all answer the one shape in Vietnamese', async () => {
    const app = buildServer({ db: t.db, logger: pino({ level: 'silent' }), isReady: () => true });
    app.post('/echo', async (req) => req.body);
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ ok: false, code: 'not_found', error: ERRORS.not_found.message });
    const bad = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ ok: false, code: 'malformed_json' });
    const big = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(300_000) }) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ ok: false, code: 'payload_too_large', error: ERRORS.payload_too_large.message });
    await app.close();
  });

  it('every code has a status in the 4xx/5xx range and a Vietnamese message', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(e.status, code).toBeGreaterThanOrEqual(400);
      expect(e.status, code).toBeLessThan(600);
      expect(e.message, code).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
    }
  });
});
