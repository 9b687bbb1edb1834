import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { servePage } from '../../server/pages.ts';

/**
 * The console page where an admin edits the life events and the router's phrase lists: `GET /console/language`, a
 * self-contained page, public as /console is (it signs in through /api/auth/me and shows a staff member only a
 * refusal); everything it reads and changes goes through /api/admin/language, admin only.
 */
export const LANGUAGE_PAGE_PATH = '/console/language';
const PAGE_FILE = new URL('./page.html', import.meta.url);

export function registerLanguagePage(app: FastifyInstance): void {
  servePage(app, LANGUAGE_PAGE_PATH, readFileSync(PAGE_FILE, 'utf8'));
}
