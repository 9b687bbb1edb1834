import { readableForm } from '../../assistant/answer/procedure-facts.ts';
import { loadGuideQuestions, type GuideQuestionPhrases } from '../../knowledge/guide-questions.ts';
import { nameIsCut, sentences } from '../../knowledge/model/items.ts';
import { withModel } from '../../knowledge/model/index.ts';
import type { ModelGroup, ModelItem } from '../../knowledge/model/schema.ts';
import { SHIPPED_KNOWLEDGE_DIR } from '../../knowledge/phrase-lists.ts';
import type { Channel, Procedure } from '../../knowledge/procedure.ts';
import {
  type CaseAnswer,
  type CaseIndex,
  compileLanguage,
  conditionValue,
  type GuideLanguage,
  indexCases,
  type Situation,
} from './conditions.ts';

/**
 * The citizen's own list of papers: the record's items for everyone, plus those of the cases that hold, minus
 * those of the cases that do not; a case answered "Không rõ" (or never asked) keeps its items with the condition
 * in the record's words. Every line is an item's text whole, as the record states it.
 */

export interface ChecklistLine {
  /** The record's item text, whole. */
  text: string;
  originals: number | null;
  copies: number | null;
  form: string | null;
  /** Shown when the citizen answered "Không rõ" or the item applies in a case not asked: the record's words. */
  condition: string | null;
  /**
   * The fallback that applies instead of the paper for these answers ("trường hợp không có Giấy chứng sinh thì nộp
   * văn bản của người làm chứng …"), a clause of `text` verbatim; null when the paper itself is brought.
   */
  applies: string | null;
}

export interface Checklist {
  code: string;
  title: string;
  submit: ChecklistLine[];
  show: ChecklistLine[];
  other: ChecklistLine[];
  /** The record's own sentences saying what need not be brought, for these answers. */
  notNeeded: string[];
  /** Forms named by the record (the record's official page has them). */
  forms: string[];
  decision: string | null;
  /** ISO date of our copy: the record's own update date, else the snapshot of its source; null when unknown. */
  listingDate: string | null;
  /** What `listingDate` is: the source's last change of the record, or the date of our copy of the listing. */
  listingDateKind: 'updated' | 'snapshot' | null;
  url: string;
  /** 'search': `url` is the national portal where the code is searched (the record has no page of its own). */
  urlKind: 'page' | 'search';
}

export interface ChecklistOptions {
  /** The channel chosen, when known: settles the items that only apply to one way of sending the dossier. */
  channel?: Channel | null;
  questions?: GuideQuestionPhrases;
}

const SHIPPED: GuideLanguage = compileLanguage(loadGuideQuestions(SHIPPED_KNOWLEDGE_DIR));

export function guideLanguage(phrases?: GuideQuestionPhrases): GuideLanguage {
  return phrases ? compileLanguage(phrases) : SHIPPED;
}

/** "mẫu CT01", "Mẫu số 02/ĐK": a form the item's text names. */
const FORM_IN_TEXT = /\b[mM][ẫa]u\s+(?:số\s+)?([A-ZĐ]{1,6}[\d./-]*\d[\w/.-]*)/gu;

/** An item that is itself a form to fill in ("Tờ khai đăng ký khai sinh theo mẫu"). */
const NAMES_A_FORM = /theo mẫu|\(mẫu|mẫu số|biểu mẫu|mẫu hộ tịch điện tử/iu;

interface ReadItem {
  include: boolean;
  line: ChecklistLine;
}

function readItem(idx: CaseIndex, lang: GuideLanguage, s: Situation, g: ModelGroup, gi: number, it: ModelItem, ii: number): ReadItem {
  const open: string[] = [];
  let include = true;
  const conds: [string | null, ReturnType<CaseIndex['group']['get']>][] = [
    [g.when, idx.group.get(gi)],
    [it.when, idx.item.get(`${gi}:${ii}`)],
  ];
  for (const [text, c] of conds) {
    if (!text) continue;
    const v = conditionValue(idx, lang, s, text, c);
    if (v === 'no') include = false;
    else if (v === 'open' && !open.includes(text)) open.push(text);
  }
  // A fallback chain applies as far as its cases hold in order: "không có Giấy chứng sinh", then "không có người làm chứng".
  let applies: string | null = null;
  for (const [ai, a] of it.alternatives.entries()) {
    if (conditionValue(idx, lang, s, a.when, idx.alternative.get(`${gi}:${ii}:${ai}`)) !== 'yes') break;
    applies = a.text;
  }
  return {
    include,
    line: { text: it.text, originals: it.originals, copies: it.copies, form: it.form, condition: open.length ? open.join('; ') : null, applies },
  };
}

/** A note's sentences saying what need not be brought, unless the case they state is known not to hold. */
function notNeededSentences(idx: CaseIndex, lang: GuideLanguage, s: Situation, notes: string[]): string[] {
  const out: string[] = [];
  for (const note of notes) {
    for (const sentence of sentences(note)) {
      if (!lang.notNeeded.test(sentence)) continue;
      const stated = idx.notes.find((n) => n.text === sentence || sentence.includes(n.text) || n.text.includes(sentence));
      if (stated && conditionValue(idx, lang, s, stated.c.label, stated.c) === 'no') continue;
      out.push(sentence.replace(/^[-+•*]\s*/u, ''));
    }
  }
  return out;
}

export function listingDate(p: Procedure, phrases: GuideQuestionPhrases): Pick<Checklist, 'listingDate' | 'listingDateKind'> {
  if (p.updatedAt && /^\d{4}-\d{2}-\d{2}/.test(p.updatedAt)) return { listingDate: p.updatedAt.slice(0, 10), listingDateKind: 'updated' };
  const copy = phrases.listingCopies.find((c) => c.origin === (p.origin ?? 'listing'));
  return copy ? { listingDate: copy.date, listingDateKind: 'snapshot' } : { listingDate: null, listingDateKind: null };
}

export function personalChecklist(p: Procedure, answers: Record<string, CaseAnswer>, opts: ChecklistOptions = {}): Checklist {
  const lang = guideLanguage(opts.questions);
  const model = withModel(p).model;
  const idx = indexCases(model);
  const s: Situation = { answers, channel: opts.channel ?? null };
  const out: Checklist = {
    code: p.code,
    title: p.title,
    submit: [],
    show: [],
    other: [],
    notNeeded: [],
    forms: [],
    decision: p.decision,
    ...listingDate(p, lang.phrases),
    url: p.url,
    urlKind: p.urlKind ?? 'page',
  };
  const seen = new Set<string>();
  const addForm = (f: string | null) => {
    if (f && !out.forms.some((x) => x.toLowerCase() === f.toLowerCase())) out.forms.push(f);
  };
  model.groups.forEach((g, gi) => {
    const groupOff = g.when !== null && conditionValue(idx, lang, s, g.when, idx.group.get(gi)) === 'no';
    if (!groupOff) out.notNeeded.push(...notNeededSentences(idx, lang, s, g.notes));
    g.items.forEach((it, ii) => {
      const r = readItem(idx, lang, s, g, gi, it, ii);
      if (!r.include || seen.has(`${g.kind}\n${it.text}`)) return;
      seen.add(`${g.kind}\n${it.text}`);
      out[g.kind].push(r.line);
      out.notNeeded.push(...notNeededSentences(idx, lang, s, it.notes));
      addForm(readableForm(it.form));
      // the item's name unless it was cut at a word for length: a form list must not show half a sentence
      // ("… ban hành kèm theo Thông tư số"); the item itself is whole in the list above
      if (NAMES_A_FORM.test(it.text) && !nameIsCut(it.text)) addForm(it.name);
      for (const m of it.text.matchAll(FORM_IN_TEXT)) addForm(`Mẫu ${m[1]!.replace(/[.)]+$/, '')}`);
    });
  });
  out.notNeeded = [...new Set(out.notNeeded)];
  return out;
}

/** Every line of a checklist, in the order shown. */
export function checklistLines(c: Checklist): ChecklistLine[] {
  return [...c.submit, ...c.show, ...c.other];
}
