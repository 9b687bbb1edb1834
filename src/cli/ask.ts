import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createAssistant } from '../app/assistant.ts';
import { openKnowledgeBase } from '../app/knowledge-base.ts';
import { renderPlain } from '../assistant/render-plain.ts';
import { createLogger } from '../util/logger.ts';
import { indexProgressBar } from './progress.ts';
import { runCli, UsageError } from './main.ts';

/**
 * `npm run ask -- "câu hỏi"`: the answer as a citizen would see it. `--json` prints {"decision","procedures",
 * "answer"}; `--conversation ID` continues a conversation (follow-ups, numbered choices) across runs.
 */
runCli(async (config, argv) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, conversation: { type: 'string' } },
  });
  const question = positionals.join(' ');
  if (!question.trim()) throw new UsageError('cách dùng: npm run ask -- "câu hỏi" [--json] [--conversation ID]');
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const progress = indexProgressBar();
  const kb = await openKnowledgeBase(config, { onProgress: progress.onProgress });
  progress.stop();
  try {
    const assistant = createAssistant(config, kb, log);
    const reply = await assistant.handle({ conversationId: `cli:${values.conversation ?? randomUUID()}`, channel: 'cli', text: question });
    const answer = renderPlain(reply.messages);
    if (values.json) {
      process.stdout.write(JSON.stringify({ decision: reply.decision, procedures: reply.procedures, answer }) + '\n');
    } else {
      process.stdout.write(answer + '\n');
    }
  } finally {
    await kb.close();
  }
});
