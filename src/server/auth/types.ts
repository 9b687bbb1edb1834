import type { StaffUser } from '../../domain/staff.ts';
import type { UserStore } from '../../storage/user-store.ts';

/** The console's session cookie. */
export const SESSION_COOKIE = 'sid';

/** A route as registered, for the route matrix test. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface Session {
    /** The signed-in account; absent for an anonymous visitor. */
    userId?: number;
    /** The CSRF secret (@fastify/csrf-protection keeps it here). */
    _csrf?: string;
  }
  interface FastifyRequest {
    /** Set by `requireRole`: read it only in routes guarded by it (elsewhere it is null at runtime). */
    staffUser: StaffUser;
  }
  interface FastifyInstance {
    /** What `requireRole` needs, decorated by `registerAuth`. */
    staffAuth: { users: UserStore };
    /** Every route registered after `registerAuth`, in order. */
    routeList: readonly RegisteredRoute[];
  }
}
