import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openKnowledgeBase } from '../app/knowledge-base.ts';
import { QueryError } from '../retrieval/query.ts';
import { retrievalMetrics, type Judged } from '../retrieval/metrics.ts';
import { indexProgressBar } from './progress.ts';
import { runCli, UsageError } from './main.ts';

const QuestionSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  question: z.string(),
  gold_codes: z.array(z.string()).optional(),
  acceptable_codes: z.array(z.string()).optional(),
});

/**
 * `npm run eval -- --questions FILE`: one JSON line per question on stdout
 * ({"id","decision","procedures","answer"}); with gold codes, hit@1/3/10 and MRR on stderr. Nothing else on stdout.
 */
runCli(async (config, argv) => {
  const { values } = parseArgs({ args: argv, options: { questions: { type: 'string' } } });
  if (!values.questions) throw new UsageError('cách dùng: npm run eval -- --questions FILE.jsonl');
  const lines = fs.readFileSync(values.questions, 'utf8').split('\n');
  const questions: z.infer<typeof QuestionSchema>[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let parsed;
    try {
      parsed = QuestionSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) questions.push(parsed.data);
    else process.stderr.write(`${values.questions}:${i + 1}: bỏ qua dòng không đọc được\n`);
  });

  const progress = indexProgressBar();
  const kb = await openKnowledgeBase(config, { onProgress: progress.onProgress });
  progress.stop();
  const judged: Judged[] = [];
  try {
    for (const q of questions) {
      let procedures: string[] = [];
      try {
        procedures = (await kb.search.search(q.question, { limit: 10 })).hits.map((h) => h.code);
      } catch (err) {
        if (!(err instanceof QueryError)) throw err;
      }
      process.stdout.write(JSON.stringify({ id: q.id, decision: 'answer', procedures, answer: null }) + '\n');
      if (q.gold_codes?.length) judged.push({ ranked: procedures, gold: q.gold_codes, acceptable: q.acceptable_codes });
    }
  } finally {
    await kb.close();
  }
  if (judged.length) {
    const m = retrievalMetrics(judged);
    process.stderr.write(
      `n=${m.n} hit@1=${m.hit1.toFixed(3)} hit@3=${m.hit3.toFixed(3)} hit@10=${m.hit10.toFixed(3)} MRR=${m.mrr.toFixed(3)}\n`,
    );
  }
});
