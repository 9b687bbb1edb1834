import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { servePage } from '../../server/pages.ts';

/**
 * `GET /console/knowledge`: the admins' page for knowledge imports (upload, preview, apply with its progress, the
 * version history and rollback). Self-contained and public as /console is: it signs in through /api/auth/me and
 * reads everything from /api/admin/knowledge/, which is admin only.
 */
export const KNOWLEDGE_PAGE_PATH = '/console/knowledge';
const PAGE_FILE = new URL('./page.html', import.meta.url);

/** The page with the upload cap the route enforces, so a file over it is refused before it is sent. */
export function knowledgePage(maxBytes: number): string {
  return readFileSync(PAGE_FILE, 'utf8').replace('data-max-bytes="0"', `data-max-bytes="${maxBytes}"`);
}

export function registerKnowledgePage(app: FastifyInstance, opts: { maxBytes: number }): void {
  servePage(app, KNOWLEDGE_PAGE_PATH, knowledgePage(opts.maxBytes));
}
