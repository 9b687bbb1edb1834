/**
 * Who may reach a route, by its path, for the route matrix test (test/security/route-matrix.test.ts), which checks
 * every registered route against it: `staff` and `admin` routes must refuse anyone without a session of that role.
 * A path under /api/ that is listed nowhere counts as staff, so a new API route is guarded until someone decides
 * otherwise here.
 */
export type RouteAccess = 'public' | 'citizen' | 'staff' | 'admin';

const RULES: ReadonlyArray<{ prefix: string; access: RouteAccess }> = [
  { prefix: '/api/admin', access: 'admin' },
  { prefix: '/api/staff', access: 'staff' },
  { prefix: '/api/reports', access: 'staff' },
  { prefix: '/api/chat', access: 'citizen' },
  { prefix: '/api/auth', access: 'public' },
  { prefix: '/webhooks', access: 'public' },
  // The console page and its assets show a login form; its data comes from the staff API.
  { prefix: '/console', access: 'public' },
  { prefix: '/docs', access: 'public' },
];

export function routeAccess(_method: string, url: string): RouteAccess {
  const path = url.split('?', 1)[0] ?? url;
  for (const rule of RULES) {
    if (path === rule.prefix || path.startsWith(`${rule.prefix}/`)) return rule.access;
  }
  return path.startsWith('/api/') ? 'staff' : 'public';
}
