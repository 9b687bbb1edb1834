import type { ChannelTerms } from '../procedure.ts';
import { sentences, tidyText } from './items.ts';
import type { CaseRef, ModelGroup, ProcedureCase } from './schema.ts';

/**
 * A procedure's cases: the distinct conditions its documents, requirements, steps and channel descriptions
 * state ("trẻ em bị bỏ rơi", "không có Giấy chứng sinh", "ủy quyền …"), each with where it shows up. The guided
 * submission asks about these, and the answerer leads with what the citizen's own case changes.
 */

const MAX_CASES = 16;

/** A sentence that states a case: "Trường hợp X thì …", "Nếu X thì …", "Đối với trường hợp X, …". */
const CASE_SENTENCE = /^(?:[-+•*]\s*|\([ivx]+\)\s*)?(?:trong\s+)?(?:trường\s+hợp|nếu|đối\s+với\s+trường\s+hợp)\s+(.{3,160}?)(?:\s+thì\s+|,\s+|\s+(?=phải\s))/iu;

/** Conditions that say nothing about a citizen's situation. */
const GENERIC = /^(?:nếu\s+có|có|thấy|hồ\s+sơ|tiếp\s+nhận|cần|cơ\s+quan|công\s+chức|cán\s+bộ|kiểm\s+tra|xác\s+minh|quá\s+thời\s+hạn\s+(?:giải\s+quyết|trả)|không\s+(?:tra\s+cứu|bổ\s+sung|giải\s+quyết|đủ\s+điều\s+kiện|đồng\s+ý)|người\s+(?:yêu\s+cầu|nộp\s+hồ\s+sơ)\s+(?:xác\s+nhận|không\s+bổ\s+sung|đã\s+nộp)|thông\s+tin|đủ\s+điều\s+kiện|sau\s+khi)/iu;

/** Lowercased words without diacritics-insensitive folding: enough to tell "trẻ em bị bỏ rơi" and "trẻ bị bỏ rơi" apart from other cases. */
function words(s: string): Set<string> {
  const stop = new Set(['của', 'và', 'là', 'thì', 'được', 'các', 'cho', 'việc', 'có', 'đã', 'em', 'người', 'theo', 'quy', 'định', 'về', 'tại', 'trong', 'với', 'này', 'đó', 'hoặc', 'bị']);
  return new Set(
    s
      .toLowerCase()
      .normalize('NFC')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w && !stop.has(w)),
  );
}

function similar(a: Set<string>, b: Set<string>): boolean {
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  const small = Math.min(a.size, b.size);
  return small > 0 && (inter / small >= 0.8 || inter / (a.size + b.size - inter) >= 0.6);
}

export function collectCases(groups: ModelGroup[], conditions: string | null, steps: string[], channels: ChannelTerms[]): ProcedureCase[] {
  const found: { label: string; keys: Set<string>; refs: CaseRef[] }[] = [];
  const add = (label: string, ref: CaseRef) => {
    const clean = tidyText(label).replace(/[.,;:]+$/, '');
    if (clean.length < 4 || clean.length > 160 || GENERIC.test(clean)) return;
    const keys = words(clean);
    if (!keys.size) return;
    const same = found.find((c) => similar(c.keys, keys));
    if (same) {
      if (!same.refs.some((r) => JSON.stringify(r) === JSON.stringify(ref))) same.refs.push(ref);
      return;
    }
    found.push({ label: clean, keys, refs: [ref] });
  };
  groups.forEach((g, gi) => {
    if (g.when) add(g.when, { kind: 'group', group: gi });
    g.items.forEach((it, ii) => {
      if (it.when) add(it.when, { kind: 'item', group: gi, item: ii });
      it.alternatives.forEach((a, ai) => add(a.when, { kind: 'alternative', group: gi, item: ii, alternative: ai }));
    });
  });
  const fromText = (text: string, kind: 'requirement' | 'step' | 'channel' | 'note') => {
    for (const line of text.split(/\n+/)) {
      for (const s of sentences(line)) {
        const m = CASE_SENTENCE.exec(s);
        if (m) add(m[1]!, { kind, text: s });
      }
    }
  };
  if (conditions) fromText(conditions, 'requirement');
  // notes listed among the papers state cases too ("Trường hợp người đi đăng ký khai sinh cho trẻ em là ông, bà …")
  for (const g of groups) {
    for (const n of g.notes) fromText(n, 'note');
    for (const it of g.items) for (const n of it.notes) fromText(n, 'note');
  }
  for (const s of steps) fromText(s, 'step');
  for (const c of channels) if (c.description) fromText(c.description, 'channel');
  return found.slice(0, MAX_CASES).map((c, i) => ({ id: `c${i + 1}`, label: c.label, refs: c.refs }));
}
