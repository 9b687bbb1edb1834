import type * as Fastify from 'fastify';
import type { SessionStore as FastifySessionStore } from '@fastify/session';
import type { SessionStore } from '../../storage/session-store.ts';

/** @fastify/session's callback interface over our `sessions` table. */
export function fastifySessionStore(store: SessionStore, fallbackMaxAgeMs: number): FastifySessionStore {
  return {
    set(sessionId, session, callback) {
      // JSON round trip: the cookie's own toJSON, and no symbols or functions in the stored data.
      const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
      const expires = session.cookie?.expires ? new Date(session.cookie.expires) : new Date(Date.now() + fallbackMaxAgeMs);
      store.set(sessionId, { userId: session.userId ?? null, data, expiresAt: expires }).then(() => callback(), callback);
    },
    get(sessionId, callback) {
      store.get(sessionId).then((data) => callback(null, data as Fastify.Session | null), callback);
    },
    destroy(sessionId, callback) {
      store.destroy(sessionId).then(() => callback(), callback);
    },
  };
}
