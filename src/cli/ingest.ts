import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openKnowledgeBase } from '../app/knowledge-base.ts';
import { writeCatalogue } from '../knowledge/catalogue.ts';
import { parseListingText } from '../knowledge/listing-parser.ts';
import { createLogger } from '../util/logger.ts';
import { indexProgressBar } from './progress.ts';
import { runCli, UsageError } from './main.ts';

/**
 * `npm run ingest` re-indexes the committed knowledge base (migrations first).
 * `npm run ingest -- --from FILE` first regenerates knowledge/procedures.jsonl from a national-listing export:
 * bad lines are reported with their line numbers and skipped; when nothing usable remains, the previous
 * knowledge base is left as it was.
 */
runCli(async (config, argv) => {
  const log = createLogger(config.logLevel);
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' } } });
  if (values.from) {
    if (!fs.existsSync(values.from)) throw new UsageError(`không tìm thấy tệp ${values.from}`);
    const { procedures, errors } = parseListingText(fs.readFileSync(values.from, 'utf8'));
    for (const e of errors) process.stderr.write(`${values.from}:${e.line}: bỏ qua: ${e.reason}\n`);
    if (procedures.length === 0) throw new UsageError('không đọc được thủ tục nào; giữ nguyên cơ sở tri thức cũ');
    writeCatalogue(config.knowledgeDir, procedures);
    log.info({ procedures: procedures.length, skipped: errors.length }, 'catalogue written');
  }
  const t0 = performance.now();
  const progress = indexProgressBar();
  const kb = await openKnowledgeBase(config, { onProgress: progress.onProgress });
  progress.stop();
  log.info({ ...kb.report, seconds: ((performance.now() - t0) / 1000).toFixed(1) }, 'index up to date');
  await kb.close();
});
