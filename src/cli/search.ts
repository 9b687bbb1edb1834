import { parseArgs } from 'node:util';
import { openKnowledgeBase } from '../app/knowledge-base.ts';
import { indexProgressBar } from './progress.ts';
import { runCli, UsageError } from './main.ts';

/** `npm run search -- "câu hỏi"`: the top procedures for a person to read. */
runCli(async (config, argv) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { limit: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } },
  });
  const question = positionals.join(' ');
  if (!question.trim()) throw new UsageError('cách dùng: npm run search -- "câu hỏi" [--limit 10] [--json]');
  const progress = indexProgressBar();
  const kb = await openKnowledgeBase(config, { onProgress: progress.onProgress });
  progress.stop();
  try {
    const t0 = performance.now();
    const res = await kb.search.search(question, { limit: Number(values.limit), withBodies: values.json });
    const ms = performance.now() - t0;
    if (values.json) {
      process.stdout.write(JSON.stringify(res, null, 2) + '\n');
      return;
    }
    const lines = res.hits.map(
      (h, i) =>
        `${String(i + 1).padStart(2)}. ${h.code.padEnd(10)} ${h.score.toFixed(3)}  [${h.levels.join(', ')}]  ${h.title}`,
    );
    process.stdout.write(
      [
        `Câu hỏi: ${question}`,
        `Đã hiểu: ${res.query.expanded}`,
        ...lines,
        `Độ tin cậy: ${res.confidence.toFixed(2)}${res.noMatch ? ' — không có thủ tục nào thật sự khớp' : ''} (${ms.toFixed(1)} ms)`,
      ].join('\n') + '\n',
    );
  } finally {
    await kb.close();
  }
});
