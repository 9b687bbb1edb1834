import type { Logger } from 'pino';
import type { KnowledgeBase } from '../../app/knowledge-base.ts';
import { LiveSearch } from '../../services/knowledge-versions/live-search.ts';
import { KnowledgeVersions } from '../../services/knowledge-versions/service.ts';
import { AuditLog } from '../../storage/audit-log.ts';

export { type KnowledgeRouteDeps, registerKnowledgeAdmin } from './routes.ts';
export { LiveSearch } from '../../services/knowledge-versions/live-search.ts';
export { KnowledgeVersions } from '../../services/knowledge-versions/service.ts';

export interface KnowledgeAdmin {
  /** Give this to the assistant in place of `kb.search`: it follows the version that serves. */
  search: LiveSearch;
  versions: KnowledgeVersions;
}

/**
 * Knowledge updates as the product runs them, on an open knowledge base: the versions service (its embedder and
 * vocabulary are the knowledge base's) and the search the assistant reads, refreshed after each switch.
 */
export function createKnowledgeAdmin(kb: KnowledgeBase, deps: { logger: Logger }): KnowledgeAdmin {
  const search = LiveSearch.from(kb.search, kb);
  const versions = new KnowledgeVersions({
    db: kb.db,
    embedder: kb.embedder,
    vocabulary: kb.vocabulary,
    audit: new AuditLog(kb.db),
    logger: deps.logger,
    onActivated: () => search.reload(),
  });
  return { search, versions };
}
