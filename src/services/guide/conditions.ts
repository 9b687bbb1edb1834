import type { GuideQuestionPhrases } from '../../knowledge/guide-questions.ts';
import type { ProcedureCase, ProcedureModel } from '../../knowledge/model/schema.ts';
import type { Channel } from '../../knowledge/procedure.ts';

/**
 * Whether a condition the record states ("trẻ em bị bỏ rơi", "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn,
 * ở nhờ") holds for a citizen, from their answers about the record's cases. The model files a condition under the
 * case whose label looks most like it, and that label is not always the condition itself: a narrower one ("ủy
 * quyền cho tổ chức …" under "ủy quyền thực hiện thủ tục"), a sibling ("hàng hóa tạm xuất" under "… tạm nhập,
 * tái xuất"), even its negation ("… không thuộc quyền sở hữu của mình …" under "… thuộc quyền sở hữu của mình").
 * So an answer decides a condition only where logic allows: the same words decide it, a narrower condition is
 * false when the case is, a negation flips the answer; anything else stays undecided and is shown with its words.
 */

/** The citizen's answer about one case; the stored value says whether the record's case holds. */
export type CaseAnswer = 'yes' | 'no' | 'unknown';
/** A condition's value for this citizen: decided, or left for the citizen to read. */
export type Decided = 'yes' | 'no' | 'open';

export interface Situation {
  answers: Record<string, CaseAnswer>;
  /** The channel the citizen chose, when they have: decides conditions that only say how the dossier is sent. */
  channel: Channel | null;
}

const NEGATION = new Set(['không', 'chưa']);
const STOP = new Set(['của', 'và', 'là', 'thì', 'các', 'việc', 'về', 'tại', 'vào', 'trong', 'với', 'theo', 'này', 'đó', 'bị', 'những', 'đối', 'cho', 'trường', 'hợp', 'nếu']);

function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .normalize('NFC')
    .replace(/uỷ/g, 'ủy')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Words right after a "không"/"chưa": what is negated ("không thuộc" → thuộc, "không có" → có). */
function negatedHeads(ts: string[]): Set<string> {
  const heads = new Set<string>();
  ts.forEach((t, i) => {
    if (NEGATION.has(t) && ts[i + 1]) heads.add(ts[i + 1]!);
  });
  return heads;
}

function core(ts: string[]): Set<string> {
  return new Set(ts.filter((t) => !STOP.has(t) && !NEGATION.has(t)));
}

export interface Relation {
  /** same words; narrower (more words: implies the label); broader (fewer: implied by it); other. */
  kind: 'same' | 'narrower' | 'broader' | 'other';
  /** One of the two negates what the other states ("không thuộc quyền sở hữu" against "thuộc quyền sở hữu"). */
  flip: boolean;
}

/** How a condition's words relate to a case label's words. */
export function relation(condition: string, label: string): Relation {
  const a = tokens(condition);
  const b = tokens(label);
  const ha = negatedHeads(a);
  const hb = negatedHeads(b);
  // "không phải là bưu chính công ích" inside a longer condition negates a qualifier, not what the label says:
  // only a negated word the other side states plainly flips the meaning.
  const flip = [...ha].some((h) => b.includes(h) && !hb.has(h)) !== [...hb].some((h) => a.includes(h) && !ha.has(h));
  const ca = core(a);
  const cb = core(b);
  const missingFromA = [...cb].filter((w) => !ca.has(w)).length;
  const missingFromB = [...ca].filter((w) => !cb.has(w)).length;
  const slack = (n: number) => (n >= 8 ? 1 : 0);
  if (!missingFromA && !missingFromB) return { kind: 'same', flip };
  if (missingFromA <= slack(cb.size) && ca.size > cb.size) return { kind: 'narrower', flip };
  if (missingFromB <= slack(ca.size) && cb.size > ca.size) return { kind: 'broader', flip };
  return { kind: 'other', flip };
}

const opposite = (a: Decided): Decided => (a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'open');

/** The condition's value, given whether the case it is filed under holds. */
export function decide(condition: string, c: ProcedureCase, caseValue: Decided): Decided {
  if (caseValue === 'open') return 'open';
  const r = relation(condition, c.label);
  const v = r.flip ? opposite(caseValue) : caseValue;
  if (r.kind === 'same') return v;
  if (r.kind === 'narrower') return v === 'no' ? 'no' : 'open';
  if (r.kind === 'broader') return v === 'yes' ? 'yes' : 'open';
  return 'open';
}

/** Compiled phrase data: the patterns the guide reads labels with. */
export interface GuideLanguage {
  phrases: GuideQuestionPhrases;
  skip: RegExp[];
  channelCase: RegExp;
  notNeeded: RegExp;
  free: RegExp;
  notExact: RegExp;
  exemption: RegExp;
}

export function compileLanguage(phrases: GuideQuestionPhrases): GuideLanguage {
  return {
    phrases,
    skip: phrases.skip.map((p) => new RegExp(p, 'iu')),
    channelCase: new RegExp(phrases.channelCases.pattern, 'iu'),
    notNeeded: new RegExp(phrases.notNeeded, 'iu'),
    free: new RegExp(phrases.fees.free, 'iu'),
    notExact: new RegExp(phrases.fees.notExact, 'iu'),
    exemption: new RegExp(phrases.fees.exemption, 'iu'),
  };
}

/** The channels a condition that only says how the dossier is sent names; null when it says something else. */
export function channelsNamed(lang: GuideLanguage, text: string): Channel[] | null {
  if (!lang.channelCase.test(text)) return null;
  const t = text.toLowerCase();
  const named = lang.phrases.channelCases.channels.filter((c) => t.includes(c.words)).map((c) => c.channel);
  return named.length ? named : null;
}

/** Where each condition of the record's documents is filed among its cases, and which cases negate each other. */
export interface CaseIndex {
  cases: ProcedureCase[];
  group: Map<number, ProcedureCase>;
  item: Map<string, ProcedureCase>;
  alternative: Map<string, ProcedureCase>;
  /** Note sentences that state a case. */
  notes: { text: string; c: ProcedureCase }[];
  /** Case id → the case whose label is its exact negation ("có X" / "không có X"): one answer settles both. */
  partner: Map<string, string>;
}

export function indexCases(model: ProcedureModel): CaseIndex {
  const idx: CaseIndex = { cases: model.cases, group: new Map(), item: new Map(), alternative: new Map(), notes: [], partner: new Map() };
  for (const c of model.cases) {
    for (const r of c.refs) {
      if (r.kind === 'group' && r.group !== undefined) idx.group.set(r.group, c);
      else if (r.kind === 'item' && r.group !== undefined && r.item !== undefined) idx.item.set(`${r.group}:${r.item}`, c);
      else if (r.kind === 'alternative' && r.alternative !== undefined) idx.alternative.set(`${r.group}:${r.item}:${r.alternative}`, c);
      else if (r.kind === 'note' && r.text) idx.notes.push({ text: r.text, c });
    }
  }
  for (const a of model.cases) {
    for (const b of model.cases) {
      if (a === b || idx.partner.has(a.id)) continue;
      const r = relation(a.label, b.label);
      if (r.kind === 'same' && r.flip) {
        idx.partner.set(a.id, b.id);
        idx.partner.set(b.id, a.id);
      }
    }
  }
  return idx;
}

/** Whether a case holds: the citizen's answer, else its negation partner's answer flipped, else open. */
export function caseValue(idx: CaseIndex, lang: GuideLanguage, s: Situation, c: ProcedureCase): Decided {
  const own = s.answers[c.id];
  if (own === 'yes' || own === 'no') return own;
  if (own === 'unknown') return 'open';
  const partner = idx.partner.get(c.id);
  const p = partner ? s.answers[partner] : undefined;
  if (p === 'yes' || p === 'no') return opposite(p);
  return channelValue(lang, s, c.label);
}

function channelValue(lang: GuideLanguage, s: Situation, text: string): Decided {
  if (!s.channel) return 'open';
  const named = channelsNamed(lang, text);
  if (!named) return 'open';
  if (!named.includes(s.channel)) return 'no';
  // "người yêu cầu là cơ quan, tổ chức (nếu … theo hình thức trực tiếp": the channel is only part of it
  return / là /iu.test(text) ? 'open' : 'yes';
}

/** A condition's value: through the case it is filed under, else by the channel it names, else open. */
export function conditionValue(idx: CaseIndex, lang: GuideLanguage, s: Situation, text: string, c: ProcedureCase | undefined): Decided {
  if (c) {
    const v = decide(text, c, caseValue(idx, lang, s, c));
    if (v !== 'open') return v;
  }
  return channelValue(lang, s, text);
}
