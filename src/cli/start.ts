import { describeStorage, openKnowledgeBase } from '../app/knowledge-base.ts';
import { createLogger } from '../util/logger.ts';
import { indexProgressBar } from './progress.ts';
import { runCli } from './main.ts';

/** `npm start`: prepares the database and the knowledge base, then says it is ready. */
runCli(async (config) => {
  const log = createLogger(config.logLevel);
  const t0 = performance.now();
  log.info({ storage: describeStorage(config), embeddings: config.embeddings.kind }, 'starting');
  const progress = indexProgressBar();
  const kb = await openKnowledgeBase(config, { onProgress: progress.onProgress });
  progress.stop();
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  log.info({ ...kb.report, seconds, model: kb.embedder.modelId }, 'knowledge base ready');
  process.stderr.write(
    `Sẵn sàng sau ${seconds} s: ${kb.report.procedures} thủ tục, ${describeStorage(config)}. ` +
      `Thử: npm run search -- "làm giấy khai sinh cho con"\n`,
  );
  await kb.close();
});
