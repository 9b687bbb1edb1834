import type { Choice, Language } from '../../domain/types.ts';
import type { GuideQuestionPhrases } from '../../knowledge/guide-questions.ts';
import { withModel } from '../../knowledge/model/index.ts';
import type { ProcedureCase } from '../../knowledge/model/schema.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import { type Checklist, checklistLines, guideLanguage, personalChecklist } from './checklist.ts';
import { type CaseAnswer, channelsNamed, type GuideLanguage, indexCases } from './conditions.ts';

/**
 * The questions the guide asks before the checklist: only the record's cases whose answer changes what to bring
 * (cases filed on items, fallbacks or groups of papers), the most telling first, at most four. Each is worded from
 * the record's label through knowledge/guide-questions.json ("không có Giấy chứng sinh" → "Bé có Giấy chứng sinh
 * không?"), with Có / Không / Không rõ.
 */

export interface GuideQuestion {
  caseId: string;
  /** The question as the citizen reads it, Vietnamese, short: "Bé có Giấy chứng sinh không?". */
  text: string;
  /** The record's case label, verbatim. */
  label: string;
  /**
   * Có / Không / Không rõ, ids guide:a:<caseId>:yes|no|unknown. The id says whether the record's case holds, so
   * for an inverted question ("Bé có Giấy chứng sinh không?" for "không có Giấy chứng sinh") "Có" carries `no`.
   * Store the parsed value as `answers[caseId]` for `personalChecklist`.
   */
  choices: Choice[];
  /** The question asks the opposite of the label. */
  inverted: boolean;
  /** Ask only when the earlier answer (a case value as stored) is one of these; null = always ask. */
  onlyIf: { caseId: string; answers: CaseAnswer[] } | null;
  /** How many lines of the checklist this answer changes. */
  impact: number;
}

export interface GuideQuestionOptions {
  /** At most this many questions (default 4). */
  max?: number;
  questions?: GuideQuestionPhrases;
  lang?: Language;
}

const ANSWER_ID = /^guide:a:([A-Za-z0-9_-]{1,20}):(yes|no|unknown)$/;

export function guideAnswerId(caseId: string, answer: CaseAnswer): string {
  return `guide:a:${caseId}:${answer}`;
}

/** "guide:a:c4:no" → { caseId: 'c4', answer: 'no' }; null for anything else. */
export function parseGuideAnswer(id: string): { caseId: string; answer: CaseAnswer } | null {
  const m = ANSWER_ID.exec(id);
  return m ? { caseId: m[1]!, answer: m[2] as CaseAnswer } : null;
}

/** The question for a label: the first pattern that matches, its {1} the record's own words; else the fallback. */
export function questionText(lang: GuideLanguage, label: string, language: Language = 'vi'): { text: string; inverted: boolean } {
  if (language === 'vi') {
    for (const q of lang.phrases.questions) {
      const m = new RegExp(q.pattern, 'iu').exec(label);
      if (m) return { text: q.text.replace('{1}', m[1] ?? label), inverted: q.inverted };
    }
  } else {
    // English questions quote the record's Vietnamese label; an inverted pattern still tells which way it reads.
    const inverted = lang.phrases.questions.find((q) => new RegExp(q.pattern, 'iu').test(label))?.inverted ?? false;
    if (inverted) return { text: lang.phrases.fallback.en.replace('{label}', label), inverted: false };
  }
  return { text: lang.phrases.fallback[language].replace('{label}', label), inverted: false };
}

function lineKeys(c: Checklist): Set<string> {
  return new Set(checklistLines(c).map((l) => `${l.text}\n${l.condition ?? ''}\n${l.applies ?? ''}`));
}

function changed(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const k of a) if (!b.has(k)) n++;
  for (const k of b) if (!a.has(k)) n++;
  return n;
}

interface Candidate {
  c: ProcedureCase;
  order: number;
  impact: number;
  /** A fallback of a paper everyone brings: every citizen has an answer. */
  everyone: boolean;
  onlyIf: GuideQuestion['onlyIf'];
}

export function guideQuestions(p: Procedure, opts: GuideQuestionOptions = {}): GuideQuestion[] {
  const max = opts.max ?? 4;
  const lang = guideLanguage(opts.questions);
  const model = withModel(p).model;
  const idx = indexCases(model);
  const paperRefs = (c: ProcedureCase) => c.refs.filter((r) => r.kind === 'item' || r.kind === 'alternative' || r.kind === 'group');
  const candidates: Candidate[] = [];
  model.cases.forEach((c, order) => {
    if (!paperRefs(c).length || lang.skip.some((re) => re.test(c.label)) || channelsNamed(lang, c.label)) return;
    // A fallback further down a chain matters once the earlier one holds ("không có người làm chứng" after "không có Giấy chứng sinh").
    const before: Record<string, CaseAnswer> = {};
    let onlyIf: GuideQuestion['onlyIf'] = null;
    for (const r of paperRefs(c)) {
      if (r.kind !== 'alternative' || !r.alternative) continue;
      const prev = idx.alternative.get(`${r.group}:${r.item}:${r.alternative - 1}`);
      if (prev && prev.id !== c.id) {
        before[prev.id] = 'yes';
        onlyIf = { caseId: prev.id, answers: ['yes'] };
      }
    }
    const impact = changed(
      lineKeys(personalChecklist(p, { ...before, [c.id]: 'yes' }, { questions: lang.phrases })),
      lineKeys(personalChecklist(p, { ...before, [c.id]: 'no' }, { questions: lang.phrases })),
    );
    if (!impact) return;
    const everyone = paperRefs(c).some((r) => {
      if (r.kind !== 'alternative') return false;
      const g = model.groups[r.group!];
      return !!g && !g.when && !g.items[r.item!]?.when;
    });
    // Papers all inside a group another case decides: ask after that case, unless it was answered "Không".
    if (!onlyIf) {
      const gates = new Set(paperRefs(c).map((r) => (r.kind === 'group' ? undefined : idx.group.get(r.group!)?.id)));
      const [gate] = [...gates];
      if (gates.size === 1 && gate && gate !== c.id) onlyIf = { caseId: gate, answers: ['yes', 'unknown'] };
    }
    candidates.push({ c, order, impact, everyone, onlyIf });
  });
  // One question for a case and its negation ("có X" / "không có X"): the other's answer follows.
  const kept = candidates.filter((k) => {
    const partner = idx.partner.get(k.c.id);
    const other = partner ? candidates.find((o) => o.c.id === partner) : undefined;
    return !other || other.impact < k.impact || (other.impact === k.impact && other.order > k.order);
  });
  const ranked = [...kept].sort((a, b) => b.impact - a.impact || Number(b.everyone) - Number(a.everyone) || a.order - b.order);
  // Follow-ups right after the question they depend on; a follow-up whose question is not asked goes unless it stands alone.
  const top = ranked.filter((k) => !k.onlyIf || !ranked.some((r) => r.c.id === k.onlyIf!.caseId));
  const ordered: Candidate[] = [];
  const place = (k: Candidate) => {
    ordered.push(k);
    for (const f of ranked) if (f.onlyIf?.caseId === k.c.id && !ordered.includes(f)) place(f);
  };
  for (const k of top) place(k);
  const asked = ordered.slice(0, max);
  const labels = lang.phrases.choices[opts.lang ?? 'vi'];
  return asked.map((k) => {
    const q = questionText(lang, k.c.label, opts.lang ?? 'vi');
    const truth = (said: 'yes' | 'no'): CaseAnswer => (q.inverted ? (said === 'yes' ? 'no' : 'yes') : said);
    // a follow-up whose question fell outside the limit is asked unconditionally only when it has impact alone
    const onlyIf = k.onlyIf && asked.some((a) => a.c.id === k.onlyIf!.caseId) ? k.onlyIf : null;
    return {
      caseId: k.c.id,
      text: q.text,
      label: k.c.label,
      choices: [
        { id: guideAnswerId(k.c.id, truth('yes')), label: labels.yes },
        { id: guideAnswerId(k.c.id, truth('no')), label: labels.no },
        { id: guideAnswerId(k.c.id, 'unknown'), label: labels.unknown },
      ],
      inverted: q.inverted,
      onlyIf,
      impact: k.impact,
    };
  });
}
