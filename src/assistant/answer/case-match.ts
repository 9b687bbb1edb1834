import type { CasePhrases } from '../../knowledge/case-phrases.ts';
import type { ProcedureModel } from '../../knowledge/model/index.ts';
import { containsPhrase, fold } from '../../retrieval/text.ts';

/**
 * Which of a record's cases the citizen's message describes: "con tôi sinh ở nhà, không có giấy chứng sinh" is the
 * record's "trường hợp không có Giấy chứng sinh". The message is folded and the citizens' case phrases add the
 * record's wording; a case matches when the message carries most of the words that set the condition apart from
 * the procedure's own title. Conditions of the form "không có X" need a negation in the message ("không có",
 * "chưa có", "mất"), so "cần giấy chứng sinh không?" is not read as having none.
 */

export interface CaseMatch {
  /** The condition as the record states it. */
  when: string;
  kind: 'item' | 'alternative' | 'group' | 'sentence';
  group?: number;
  item?: number;
  alternative?: number;
  /** The record's sentence, for conditions found outside the documents. */
  text?: string;
  score: number;
}

/** Words that every condition uses and that say nothing about whose case it is (folded). */
const GENERIC = new Set(
  ('truong hop neu doi voi thi la va cua cac co duoc phai da se bi do ra theo quy dinh phap luat nguoi yeu cau thuc hien viec ' +
    'ho so giay to ban tre em cho tai trong khi sau tu den nay do khong chua mot hai nhung can nop xuat trinh ' +
    'lua chon hinh thuc co quan').split(' '),
);
const NEGATED = /\b(khong|chua) (co|the|duoc)\b/;
const MESSAGE_NEGATION = /\b(khong|ko|k|chua|hong|hok|kh) (co|lay|xin|duoc|the|kip|giu)\b|\b(mat|thieu|that lac|danh roi|lam mat)\b|\bsinh (o|tai) nha\b|\bde (o|tai) nha\b|\bno\b|\bwithout\b|\bdon t have\b/;

function distinctive(condition: string, titleTokens: Set<string>): string[] {
  return [...new Set(fold(condition).split(' '))].filter((w) => w.length > 1 && !GENERIC.has(w) && !titleTokens.has(w));
}

/** Adjacent word pairs of a condition that contain one of its distinctive words ("lam chung", "chung sinh"). */
function pairsWith(condition: string, keys: Set<string>): string[] {
  const w = fold(condition).split(' ');
  const out: string[] = [];
  for (let i = 0; i + 1 < w.length; i++) if (keys.has(w[i]!) || keys.has(w[i + 1]!)) out.push(`${w[i]} ${w[i + 1]}`);
  return out;
}

/** The message with the record's wording of every case phrase it contains appended (folded). */
export function expandCaseWords(message: string, phrases: CasePhrases): string {
  const folded = fold(message);
  const extra = phrases.phrases.filter((e) => e.phrases.some((p) => containsPhrase(folded, fold(p)))).map((e) => fold(e.means));
  return [folded, ...extra].join(' ');
}

export function matchCases(message: string, title: string, model: ProcedureModel, phrases: CasePhrases): CaseMatch[] {
  if (!message.trim()) return [];
  const text = expandCaseWords(message, phrases);
  const words = new Set(text.split(' '));
  const negated = MESSAGE_NEGATION.test(text) || phrases.phrases.some((e) => NEGATED.test(fold(e.means)) && text.includes(fold(e.means)));
  const titleTokens = new Set(fold(title).split(' '));
  const paddedText = ` ${text} `;
  const out: CaseMatch[] = [];
  const consider = (when: string, m: Omit<CaseMatch, 'when' | 'score'>) => {
    if (NEGATED.test(fold(when)) && !negated) return;
    const keys = distinctive(when, titleTokens);
    if (!keys.length) return;
    const hit = keys.filter((k) => words.has(k)).length;
    const score = hit / keys.length;
    // words must also stand together as the record puts them: "làm giấy … chứng sinh" is not "người làm chứng"
    const pairs = pairsWith(when, new Set(keys));
    const together = pairs.filter((p) => paddedText.includes(` ${p} `)).length;
    if (pairs.length && !together) return;
    if ((hit >= 2 && score >= 0.5) || (keys.length <= 2 && hit === keys.length)) out.push({ when, ...m, score: score + hit * 0.01 + together * 0.05 });
  };
  model.groups.forEach((g, gi) => {
    if (g.when) consider(g.when, { kind: 'group', group: gi });
    g.items.forEach((it, ii) => {
      if (it.when && it.when !== 'nếu có') consider(it.when, { kind: 'item', group: gi, item: ii });
      it.alternatives.forEach((a, ai) => consider(a.when, { kind: 'alternative', group: gi, item: ii, alternative: ai }));
    });
  });
  for (const c of model.cases) {
    for (const r of c.refs) if (r.text) consider(c.label, { kind: 'sentence', text: r.text });
  }
  // best first; one entry per sentence or item
  const seen = new Set<string>();
  return out
    .sort((a, b) => b.score - a.score)
    .filter((m) => {
      const key = m.text ?? `${m.group}.${m.item}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
