import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRole } from '../../src/server/auth/guard.ts';
import { routeAccess } from '../../src/server/auth/route-policy.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { type Caller, concretePath, guardedRoutes, probeRoutes, signInOverHttp, violations } from '../security/matrix.ts';
import { type AuthApp, buildAuthApp } from './auth-app.ts';

const PW = 'mat-khau-kiem-thu-2';

describe('the access policy by path', () => {
  it.each([
    ['GET', '/', 'public'],
    ['GET', '/healthz', 'public'],
    ['GET', '/readyz', 'public'],
    ['GET', '/docs/json', 'public'],
    ['GET', '/console', 'public'],
    ['GET', '/console/app.js', 'public'],
    ['POST', '/api/auth/login', 'public'],
    ['POST', '/webhooks/telegram', 'public'],
    ['POST', '/api/chat', 'citizen'],
    ['GET', '/api/chat/updates', 'citizen'],
    ['GET', '/api/staff/tickets', 'staff'],
    ['GET', '/api/reports/satisfaction.csv', 'staff'],
    ['POST', '/api/admin/users', 'admin'],
    ['GET', '/api/staffing', 'staff'],
    ['GET', '/api/tickets', 'staff'],
  ])('%s %s is %s', (method, url, access) => {
    expect(routeAccess(method, url)).toBe(access);
  });

  it('probes one concrete path per guarded route and method', () => {
    expect(concretePath('/api/staff/tickets/:id/events/:eventId')).toBe('/api/staff/tickets/999999/events/999999');
    const routes = guardedRoutes([
      { method: 'POST', url: '/api/staff/x' },
      { method: 'GET', url: '/api/staff/x' },
      { method: 'HEAD', url: '/api/staff/x' },
      { method: 'GET', url: '/api/staff/x' },
      { method: 'GET', url: '/healthz' },
    ]);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/staff/x', 'POST /api/staff/x']);
  });
});

/** The matrix itself catches what it must: it is run here on a small app with one forgotten guard and one wrong role. */
describe('the route matrix check', () => {
  let t: TestDb;
  let a: AuthApp;
  let base: string;
  beforeAll(async () => {
    t = await openTestDb();
    const accounts = new Accounts(t.db);
    await accounts.add({ username: 'm-staff', role: 'staff', password: PW }, CLI_ACTOR);
    await accounts.add({ username: 'm-admin', role: 'admin', password: PW }, CLI_ACTOR);
    a = await buildAuthApp(t.db, {}, (app) => {
      app.get('/api/staff/forgotten', async () => ({ ok: true }));
      app.post('/api/admin/too-open', { preHandler: requireRole('staff') }, async () => ({ ok: true }));
      app.get('/api/staff/things/:id', { preHandler: requireRole('staff') }, async (_req, reply) => reply.code(404).send({ ok: false }));
    });
    base = await a.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await a?.close();
    await t?.cleanup();
  });

  it('reports a route reachable without a session and an admin route a staff member can use, and nothing else', async () => {
    const callers: Caller[] = [
      { name: 'anonymous' },
      { name: 'citizen', conversationId: 'some-conversation-1' },
      { name: 'staff', ...(await signInOverHttp(base, 'm-staff', PW)) },
      { name: 'admin', ...(await signInOverHttp(base, 'm-admin', PW)) },
    ];
    const probes = await probeRoutes(base, a.app.routeList, callers);
    expect(violations(probes).sort()).toEqual(
      [
        'anonymous → GET /api/staff/forgotten (staff): 200',
        'citizen → GET /api/staff/forgotten (staff): 200',
        'staff → POST /api/admin/too-open (admin): 200',
      ].sort(),
    );
    // The guarded dummy routes of the helper are in the list and pass.
    expect(probes.filter((p) => p.url === '/api/admin/ping' && p.caller === 'staff').map((p) => p.status)).toEqual([403, 403]);
  });
});
