import { parseArgs } from 'node:util';
import { createAssistant } from '../app/assistant.ts';
import { openKnowledgeBase } from '../app/knowledge-base.ts';
import { formatMetrics, judge, type LabelledQuestion, LabelledQuestionSchema, type Outcome, readPromptTexts } from '../assistant/evaluation.ts';
import { PROMPTS_DIR } from '../assistant/llm/prompts.ts';
import { renderPlain } from '../assistant/render-plain.ts';
import { retrievalMetrics, type Judged } from '../retrieval/metrics.ts';
import { ProcedureStore } from '../storage/procedure-store.ts';
import { readJsonLines } from '../util/json-lines.ts';
import { createLogger } from '../util/logger.ts';
import { indexProgressBar } from './progress.ts';
import { runCli, UsageError } from './main.ts';

/**
 * `npm run eval -- --questions FILE`: each question goes through the whole assistant in a fresh conversation (its
 * `history` first, when it has one). stdout: one JSON line per question {"id","decision","procedures","answer"},
 * `procedures` being the ranked list (up to 10, best first, the answer's procedure first)
 * and nothing else; stderr: retrieval hit@k over questions with gold codes, and the assistant's metrics over
 * labelled ones.
 */
runCli(async (config, argv) => {
  const { values } = parseArgs({ args: argv, options: { questions: { type: 'string' } } });
  if (!values.questions) throw new UsageError('cách dùng: npm run eval -- --questions FILE.jsonl');
  const questions = readQuestions(values.questions);
  const progress = indexProgressBar();
  const kb = await openKnowledgeBase(config, { onProgress: progress.onProgress });
  progress.stop();
  const assistant = createAssistant(config, kb, createLogger('error'));
  const store = new ProcedureStore(kb.db);
  const judged: Judged[] = [];
  const outcomes: Outcome[] = [];
  const run = `${Date.now().toString(36)}`;
  try {
    for (const q of questions) {
      const conversationId = `eval:${run}:${q.id}`;
      for (const earlier of q.history ?? []) await assistant.handle({ conversationId, channel: 'eval', text: earlier });
      const reply = await assistant.handle({ conversationId, channel: 'eval', text: q.question });
      const answer = renderPlain(reply.messages);
      process.stdout.write(JSON.stringify({ id: q.id, decision: reply.decision, procedures: reply.ranked, answer }) + '\n');
      outcomes.push({ item: q, label: reply.label, decision: reply.decision, procedures: reply.procedures, answer, messages: reply.messages.map((m) => renderPlain([m])), records: await store.getMany(reply.procedures.slice(0, 1)) });
      const expectsProcedure = q.gold_codes?.length && (!q.decision || q.decision === 'answer');
      if (expectsProcedure) {
        // the list the assistant ranked (answer first); a follow-up without a search ranks the procedure it answered
        judged.push({ ranked: reply.ranked, gold: q.gold_codes!, acceptable: q.acceptable_codes });
      }
    }
  } finally {
    await kb.close();
  }
  if (judged.length) {
    const m = retrievalMetrics(judged);
    process.stderr.write(`n=${m.n} hit@1=${m.hit1.toFixed(3)} hit@3=${m.hit3.toFixed(3)} hit@10=${m.hit10.toFixed(3)} MRR=${m.mrr.toFixed(3)}\n`);
  }
  if (questions.some((q) => q.label || q.decision)) process.stderr.write(formatMetrics(judge(outcomes, readPromptTexts(PROMPTS_DIR))) + '\n');
});

function readQuestions(file: string): LabelledQuestion[] {
  return readJsonLines(file, LabelledQuestionSchema, (bad) => process.stderr.write(`${file}:${bad.line}: bỏ qua dòng không đọc được\n`));
}
