import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { startProduct, type Product } from '../helpers/product.ts';
import { type Caller, guardedRoutes, probeRoutes, signInOverHttp, violations } from './matrix.ts';

const PW = 'mat-khau-kiem-thu-1';

/**
 * Every route of the whole product, as it starts, against the access policy (src/server/auth/route-policy.ts):
 * a new route under /api/staff/, /api/reports/ or /api/admin/ (or any unlisted /api/ path) is picked up on its own,
 * and the test fails when it answers anyone without a session of the right role.
 */
describe('the route matrix of the running product', () => {
  let p: Product;
  let callers: Caller[];
  beforeAll(async () => {
    p = await startProduct();
    const accounts = new Accounts(p.running.db);
    await accounts.add({ username: 'matrix-staff', role: 'staff', password: PW }, CLI_ACTOR);
    await accounts.add({ username: 'matrix-admin', role: 'admin', password: PW }, CLI_ACTOR);
    const base = p.running.url;
    // A citizen: a real web chat conversation, and so no staff session.
    const conversationId = 'matrix-citizen-0001';
    const chat = await fetch(new URL('/api/chat', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId, text: 'xin chào' }) });
    expect(chat.status).toBe(200);
    callers = [
      { name: 'anonymous' },
      { name: 'citizen', conversationId },
      { name: 'staff', ...(await signInOverHttp(base, 'matrix-staff', PW)) },
      { name: 'admin', ...(await signInOverHttp(base, 'matrix-admin', PW)) },
    ];
  });
  afterAll(async () => {
    await p?.close();
  });

  it('knows the routes registered after the auth plugin (the plugin comes before every staff and product route)', () => {
    const list = p.running.app.routeList;
    expect(list, 'registerAuth is not wired into startApp (app.routeList is missing)').toBeDefined();
    const urls = list.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(expect.arrayContaining(['POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/me', 'POST /api/chat']));
  });

  it('every staff and admin route refuses anonymous visitors and citizens, and admits the right role', async () => {
    const routes = p.running.app.routeList;
    const probes = await probeRoutes(p.running.url, routes, callers);
    expect(violations(probes)).toEqual([]);
    expect(probes.length).toBe(guardedRoutes(routes).length * callers.length);
  });
});
