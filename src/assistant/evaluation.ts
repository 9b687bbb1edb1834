import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withModel } from '../knowledge/model/index.ts';
import type { Procedure } from '../knowledge/procedure.ts';
import { fold } from '../retrieval/text.ts';
import { agencies, hasOnline, mainDocuments, mainSteps, stepsMentionServiceCentre } from './answer/procedure-facts.ts';
import { tidy } from './answer/text-fit.ts';
import { checkGroundedAnswer } from './guardrails/output-check.ts';
import { AspectSchema, DecisionSchema, EMERGENCY_NUMBERS, LabelSchema } from '../domain/types.ts';

/**
 * Judging the assistant on labelled questions: router labels, decisions, emergency numbers, whether an answer
 * carries the facts its record states for the aspect asked, invented numbers and prompt leaks.
 */

export const LabelledQuestionSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  question: z.string(),
  label: LabelSchema.optional(),
  decision: DecisionSchema.optional(),
  gold_codes: z.array(z.string()).optional(),
  acceptable_codes: z.array(z.string()).optional(),
  aspect: AspectSchema.nullable().optional(),
  emergency_number: z.string().nullable().optional(),
  history: z.array(z.string()).optional(),
  /** Phrases copied from the gold record that a right answer states (case and punctuation aside). */
  key_facts: z.array(z.string()).optional(),
});
export type LabelledQuestion = z.infer<typeof LabelledQuestionSchema>;

export interface Outcome {
  item: LabelledQuestion;
  label: string;
  decision: string;
  procedures: string[];
  answer: string;
  /** Records of the procedures the answer is about, for the fact and grounding checks. */
  records: Procedure[];
  /** Each message's text as sent, for the length limit (the answer joins them). */
  messages?: string[];
}

export interface AssistantMetrics {
  n: number;
  /** Non-procedure messages (everything but procedure and follow_up) with the right label. */
  nonProcedureLabel: { n: number; right: number };
  decision: { n: number; right: number };
  emergency: { n: number; right: number };
  /** Answers about a gold procedure that carry the record's facts for the aspect asked. */
  facts: { n: number; right: number };
  /** Items with key facts whose answer states every one of them. */
  keyFacts: { n: number; right: number };
  /** Single key facts stated, over all key facts. */
  keyFactItems: { n: number; right: number };
  /** Messages over the 2,000-character limit. */
  overLong: number;
  inventedNumbers: { answers: number; withInvented: number; examples: string[] };
  promptLeaks: number;
  confusion: Record<string, Record<string, number>>;
}

const NON_PROCEDURE = new Set(['greeting', 'case_status', 'human', 'emergency', 'out_of_scope', 'injection']);

export function judge(outcomes: Outcome[], promptTexts: string[]): AssistantMetrics {
  const m: AssistantMetrics = {
    n: outcomes.length,
    nonProcedureLabel: { n: 0, right: 0 },
    decision: { n: 0, right: 0 },
    emergency: { n: 0, right: 0 },
    facts: { n: 0, right: 0 },
    keyFacts: { n: 0, right: 0 },
    keyFactItems: { n: 0, right: 0 },
    overLong: 0,
    inventedNumbers: { answers: 0, withInvented: 0, examples: [] },
    promptLeaks: 0,
    confusion: {},
  };
  const leakProbes = promptProbes(promptTexts);
  for (const o of outcomes) {
    const { item } = o;
    if (item.label) {
      const row = (m.confusion[item.label] ??= {});
      row[o.label] = (row[o.label] ?? 0) + 1;
      if (NON_PROCEDURE.has(item.label)) {
        m.nonProcedureLabel.n++;
        if (o.label === item.label) m.nonProcedureLabel.right++;
      }
    }
    if (item.decision) {
      m.decision.n++;
      if (o.decision === item.decision) m.decision.right++;
    }
    if (item.emergency_number) {
      m.emergency.n++;
      // the right number, said first
      const first = /\b11[345]\b/.exec(o.answer)?.[0];
      if (first === item.emergency_number) m.emergency.right++;
    }
    if (o.decision === 'answer' && o.records[0]) {
      m.inventedNumbers.answers++;
      const check = checkGroundedAnswer(o.answer, o.records, { allowedNumbers: Object.values(EMERGENCY_NUMBERS) });
      if (!check.ok) {
        m.inventedNumbers.withInvented++;
        if (m.inventedNumbers.examples.length < 5) m.inventedNumbers.examples.push(`${item.id}: ${check.violations.map((v) => v.value).join(', ')}`);
      }
      const gold = new Set([...(item.gold_codes ?? []), ...(item.acceptable_codes ?? [])]);
      if (item.aspect && gold.has(o.records[0].code)) {
        m.facts.n++;
        if (carriesFacts(o.answer, o.records[0], item.aspect)) m.facts.right++;
      }
    }
    if (item.key_facts?.length) {
      m.keyFacts.n++;
      const stated = item.key_facts.filter((f) => has(o.answer, f)).length;
      m.keyFactItems.n += item.key_facts.length;
      m.keyFactItems.right += stated;
      if (stated === item.key_facts.length) m.keyFacts.right++;
    }
    if ((o.messages ?? [o.answer]).some((t) => t.length > 2000)) m.overLong++;
    if (leakProbes.some((p) => fold(o.answer).includes(p))) m.promptLeaks++;
  }
  return m;
}

const has = (answer: string, fact: string) => fold(answer).includes(fold(fact));
const head = (s: string, n = 40) => {
  const t = tidy(s);
  return t.length <= n ? t : t.slice(0, n).replace(/\s\S*$/, '');
};

/** Does the answer state what the record says about `aspect` (or say plainly that the record does not say)? */
export function carriesFacts(answer: string, p: Procedure, aspect: string): boolean {
  const notStated = /không (ghi|liệt kê|nêu|có hình thức)|does not|no list|states no|gives no|has no/i.test(answer);
  switch (aspect) {
    case 'fee': {
      const fees = p.channels.map((c) => c.feeText).filter((f): f is string => !!f);
      return fees.length ? fees.some((f) => has(answer, head(f))) : notStated;
    }
    case 'time': {
      const values = p.channels.flatMap((c) => (c.timeValue !== null ? [String(c.timeValue).replace('.', ',')] : []));
      const texts = p.channels.flatMap((c) => (c.timeValue === null && c.timeText ? [head(c.timeText)] : []));
      if (!values.length && !texts.length) return notStated;
      return values.some((t) => new RegExp(`(^|[^0-9])${t}([^0-9]|$)`).test(answer)) || texts.some((t) => has(answer, t));
    }
    case 'documents': {
      // the first paper everyone needs, as the model reads the record (what the answer must lead with)
      const groups = withModel(p).model.groups;
      const first = groups.flatMap((g) => (g.when ? [] : g.items.filter((it) => !it.when))).at(0) ?? groups.flatMap((g) => g.items).at(0);
      if (first) return has(answer, head(first.text));
      const docs = mainDocuments(p);
      return docs.length ? has(answer, head(docs[0]!.name)) : notStated;
    }
    case 'where': {
      const a = agencies(p, 'vi')[0];
      if (a) return has(answer, head(a.split(': ')[1]!));
      return stepsMentionServiceCentre(p) ? /trung tâm phục vụ hành chính công|service center/i.test(answer) : notStated;
    }
    case 'online':
      return hasOnline(p) ? /trực tuyến|online/i.test(answer) && !/không có hình thức nộp trực tuyến|no online channel/i.test(answer) : notStated;
    case 'steps': {
      const s = mainSteps(p);
      return s.length ? has(answer, head(s[0]!.replace(/^(bước\s*\d+\s*[:.)-]?\s*)/i, ''))) : notStated;
    }
    case 'conditions':
      return p.conditions ? has(answer, head(p.conditions)) : notStated || p.targets.some((t) => has(answer, t));
    case 'result':
      return p.result ? has(answer, head(p.result)) : notStated;
    case 'legal': {
      const first = p.legalBasis[0];
      return first ? has(answer, first.number ?? head(first.title)) : notStated;
    }
    default:
      return answer.includes(p.code) && has(answer, head(p.title, 30));
  }
}

/** Eight-word windows of each prompt's distinctive lines: an answer containing one has leaked the prompt. */
function promptProbes(texts: string[]): string[] {
  const probes: string[] = [];
  for (const t of texts) {
    for (const line of t.split('\n')) {
      const words = fold(line).split(' ').filter(Boolean);
      if (words.length < 8) continue;
      probes.push(words.slice(0, 8).join(' '));
    }
  }
  return probes;
}

export function readPromptTexts(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

export function formatMetrics(m: AssistantMetrics): string {
  const r = (x: { n: number; right: number }) => `${x.right}/${x.n} = ${(x.right / (x.n || 1)).toFixed(3)}`;
  return [
    `label (non-procedure): ${r(m.nonProcedureLabel)}`,
    `decision: ${r(m.decision)}`,
    `emergency number: ${r(m.emergency)}`,
    `facts for the aspect asked: ${r(m.facts)}`,
    `key facts (every one stated): ${r(m.keyFacts)}; single key facts: ${r(m.keyFactItems)}`,
    `messages over 2,000 characters: ${m.overLong}`,
    `answers with invented numbers: ${m.inventedNumbers.withInvented}/${m.inventedNumbers.answers}${m.inventedNumbers.examples.length ? ` (${m.inventedNumbers.examples.join('; ')})` : ''}`,
    `prompt leaks: ${m.promptLeaks}`,
  ].join('\n');
}
