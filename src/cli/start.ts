import { startApp } from '../app/server.ts';
import { describeStorage } from '../app/knowledge-base.ts';
import { createLogger } from '../util/logger.ts';
import { indexProgressBar } from './progress.ts';
import { runCli } from './main.ts';

/**
 * `npm start`: the whole product. The server listens at once (health, web chat, webhooks); the knowledge base is
 * prepared behind it; Telegram and Zalo start when their tokens are set. Ctrl-C stops it cleanly.
 */
runCli(async (config) => {
  const log = createLogger(config.logLevel);
  const t0 = performance.now();
  log.info({ storage: describeStorage(config), embeddings: config.embeddings.kind, llm: config.llm ? config.llm.model : 'off' }, 'starting');
  const progress = indexProgressBar();
  const running = await startApp(config, { logger: log, onProgress: progress.onProgress });
  const kb = await running.ready.finally(() => progress.stop());
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  process.stderr.write(
    `Sẵn sàng sau ${seconds} s: ${kb.report.procedures} thủ tục, ${describeStorage(config)}. ` +
      `Web chat: ${running.url}  (Ctrl-C để dừng)\n`,
  );
  // `on`, not `once`: a signal can arrive twice (tsx relays it to this process, and sends it again when this process
  // is slow to acknowledge on a loaded machine); a second one must not kill the process halfway through closing. A
  // third (Ctrl-C pressed again and again) quits at once.
  let signals = 0;
  await new Promise<void>((resolve) => {
    const stop = () => {
      if (++signals >= 3) process.exit(130);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  log.info('stopping');
  await running.close();
});
