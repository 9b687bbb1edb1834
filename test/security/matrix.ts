import { routeAccess, type RouteAccess } from '../../src/server/auth/route-policy.ts';
import type { RegisteredRoute } from '../../src/server/auth/types.ts';
import { SESSION_COOKIE } from '../../src/server/auth/plugin.ts';

/**
 * The route matrix: every staff and admin route, called as an anonymous visitor, as a citizen of the web chat
 * (a conversation, no session), as a staff member and as an admin, over real HTTP. Answers it checks:
 *   anonymous, citizen → 401;  staff → 403 on admin routes, else neither 401 nor 403;  admin → neither 401 nor 403.
 * Nothing may answer 5xx: the probes send an empty JSON body and a path parameter that names nothing (999999).
 */

export interface Caller {
  name: 'anonymous' | 'citizen' | 'staff' | 'admin';
  cookie?: string;
  csrfToken?: string;
  /** The citizen's web chat conversation id, sent along as a citizen's page would. */
  conversationId?: string;
}

export interface Probe {
  method: string;
  url: string;
  access: RouteAccess;
  caller: Caller['name'];
  status: number;
}

/** The guarded routes among `routes`, one per method and path (HEAD is fastify's copy of GET). */
export function guardedRoutes(routes: readonly RegisteredRoute[]): Array<RegisteredRoute & { access: 'staff' | 'admin' }> {
  const seen = new Set<string>();
  const out: Array<RegisteredRoute & { access: 'staff' | 'admin' }> = [];
  for (const r of routes) {
    const access = routeAccess(r.method, r.url);
    if ((access !== 'staff' && access !== 'admin') || r.method === 'HEAD' || r.method === 'OPTIONS') continue;
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...r, access });
  }
  // Reads first, so a write an admin probe makes cannot change what a later read sees.
  return out.sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
}

/** A concrete path for a route pattern: every parameter and wildcard names nothing that exists. */
export function concretePath(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, '999999').replace(/\*/g, 'x');
}

/** Calls every guarded route as each caller, in order (staff before admin); the answers. */
export async function probeRoutes(baseUrl: string, routes: readonly RegisteredRoute[], callers: readonly Caller[]): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const caller of callers) {
    for (const r of guardedRoutes(routes)) {
      const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
      const headers: Record<string, string> = {};
      if (caller.cookie) headers.cookie = `${SESSION_COOKIE}=${caller.cookie}`;
      if (caller.csrfToken) headers['x-csrf-token'] = caller.csrfToken;
      if (unsafe) headers['content-type'] = 'application/json';
      const path = concretePath(r.url) + (caller.conversationId ? `?conversationId=${caller.conversationId}` : '');
      const res = await fetch(new URL(path, baseUrl), {
        method: r.method,
        headers,
        body: unsafe ? JSON.stringify(caller.conversationId ? { conversationId: caller.conversationId } : {}) : undefined,
        redirect: 'manual',
        // A stream (server-sent events) never ends: the status is all the matrix needs.
        signal: AbortSignal.timeout(30_000),
      });
      await res.body?.cancel();
      probes.push({ method: r.method, url: r.url, access: r.access, caller: caller.name, status: res.status });
    }
  }
  return probes;
}

/** Each probe whose answer breaks the matrix, as a readable line. */
export function violations(probes: readonly Probe[]): string[] {
  return probes
    .filter((p) => {
      if (p.status >= 500) return true;
      if (p.caller === 'anonymous' || p.caller === 'citizen') return p.status !== 401;
      if (p.caller === 'staff' && p.access === 'admin') return p.status !== 403;
      return p.status === 401 || p.status === 403;
    })
    .map((p) => `${p.caller} → ${p.method} ${p.url} (${p.access}): ${p.status}`);
}

/** Signs in over HTTP: the session cookie's value and the CSRF token. */
export async function signInOverHttp(baseUrl: string, username: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(new URL('/api/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!setCookie) throw new Error('login set no session cookie');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: setCookie.slice(SESSION_COOKIE.length + 1).split(';', 1)[0]!, csrfToken };
}
