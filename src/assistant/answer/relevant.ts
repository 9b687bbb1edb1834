import type { ProcedureModel } from '../../knowledge/model/index.ts';
import { sentences } from '../../knowledge/model/items.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import { bigrams, contentTokens, fold } from '../../retrieval/text.ts';
import type { Aspect } from '../../domain/types.ts';
import { tidy } from './text-fit.ts';

/**
 * The record's own sentences that answer what the message asks beyond the aspect's template: "bé hơn 2 tháng rồi
 * chưa làm khai sinh, quá hạn chưa" is answered by the steps' "Trong thời hạn 60 ngày kể từ ngày sinh con …";
 * "người nhận nuôi phải hơn con nuôi bao nhiêu tuổi" by the conditions' "Hơn con nuôi từ 20 tuổi trở lên". A
 * sentence qualifies when it shares the message's distinctive words (not the procedure's title, not filler) and at
 * least one of its word pairs; sentences are returned whole, best first.
 */

/** Words of questions that say what is asked, not about what: they never make a sentence relevant (folded). */
const ASKING = new Set(
  ('bao lau may ngay bao nhieu tien gi the nao sao duoc khong ko co phai can nhung lam xin nop o dau hoi cho em toi minh ' +
    'vay a nhe nha roi chua thi la ma va hay hoac neu khi de ve den tu trong ngoai nay kia do giup voi cua ' +
    'giay to ho so thu tuc dang ky cap').split(' '),
);

interface Candidate {
  text: string;
  source: 'condition' | 'step' | 'note' | 'channel' | 'document' | 'result';
}

/** Sentences about the office's own work (who checks, records, forwards): not what a citizen asks about. */
const OFFICE_WORK = /^(?:\(?[ivx]+\)\s*)?(?:(?:nếu\s+thấy\s+)?hồ\s+sơ\s+(?:đầy\s+đủ|chưa\s+đầy\s+đủ|hợp\s+lệ)|(?:trường\s+hợp|nếu)\s+(?:thấy\s+)?hồ\s+sơ|người\s+tiếp\s+nhận|công\s+chức|cán\s+bộ|bộ\s+phận\s+(?:tiếp\s+nhận|một\s+cửa)|cơ\s+quan\s+(?:đăng\s+ký|tiếp\s+nhận)[^.]*có\s+trách\s+nhiệm)/iu;

function candidates(p: Procedure, model: ProcedureModel): Candidate[] {
  const out: Candidate[] = [];
  const add = (text: string | null | undefined, source: Candidate['source']) => {
    if (!text) return;
    for (const line of text.split(/\n+/)) {
      for (const s of sentences(line)) {
        const t = tidy(s).replace(/^[-+•*]\s*/, '');
        if (t.length >= 20 && t.length <= 500 && !OFFICE_WORK.test(t)) out.push({ text: t, source });
      }
    }
  };
  add(p.conditions, 'condition');
  for (const s of p.steps) add(s, 'step');
  for (const g of model.groups) {
    for (const n of g.notes) add(n, 'note');
    for (const it of g.items) for (const n of it.notes) add(n, 'note');
  }
  for (const c of p.channels) add(c.description, 'channel');
  add(p.result, 'result');
  return out;
}

const ASPECT_CUES: Partial<Record<Aspect, RegExp>> = {
  time: /\b(thoi han|ngay|gio|thang)\b.*\d|\d.*\b(ngay|gio|thang)\b/,
  fee: /\b(phi|le phi|dong|mien)\b/,
  online: /\b(truc tuyen|cong dich vu cong|dien tu|vneid)\b/,
  where: /\b(uy ban|cong an|trung tam|bo phan|noi)\b/,
  conditions: /\b(dieu kien|tu du|tuoi|phai|duoc)\b/,
};

export function relevantSentences(question: string, p: Procedure, model: ProcedureModel, aspect: Aspect, max = 2): string[] {
  const title = new Set(fold(p.title).split(' '));
  const qTokens = [...new Set(contentTokens(fold(question)))].filter((w) => w.length > 1 && !ASKING.has(w) && !title.has(w));
  if (!qTokens.length) return [];
  const qWords = new Set(qTokens);
  const qPairs = new Set(bigrams(fold(question).split(' ')).filter((b) => b.split('_').some((w) => qWords.has(w))));
  const cue = ASPECT_CUES[aspect];
  const seen = new Set<string>();
  const pool = candidates(p, model).filter((c) => {
    const f = fold(c.text);
    if (seen.has(f)) return false;
    seen.add(f);
    return true;
  });
  // a word the record repeats in every other sentence ("người nhận con nuôi") tells little: weigh words by rarity
  const df = new Map<string, number>();
  const folded = pool.map((c) => fold(c.text));
  for (const f of folded) for (const w of new Set(f.split(' '))) df.set(w, (df.get(w) ?? 0) + 1);
  const weight = (w: string) => Math.log(1 + pool.length / (df.get(w) ?? 1));
  const scored: { text: string; score: number }[] = [];
  pool.forEach((c, i) => {
    const f = folded[i]!;
    const words = new Set(f.split(' '));
    const hit = qTokens.filter((w) => words.has(w));
    const pairs = [...new Set(bigrams(f.split(' ')))].filter((b) => qPairs.has(b));
    if (hit.length < 2 || pairs.length < 1) return;
    const score = hit.reduce((a, w) => a + weight(w), 0) + pairs.length + (cue?.test(f) ? 1.5 : 0) - c.text.length / 300;
    scored.push({ text: c.text, score });
  });
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0]?.score ?? 0;
  return scored
    .filter((s, i) => i === 0 || s.score >= 0.85 * best)
    .slice(0, max)
    .map((s) => s.text);
}

/** "Trong thời hạn 60 ngày kể từ ngày sinh con …", "chậm nhất là 03 ngày làm việc trước …": a time the record states. */
const DEADLINE = /\b(?:trong\s+thời\s+hạn|thời\s+hạn|chậm\s+nhất(?:\s+là)?|không\s+quá|sau|trước)\s+(?:\d+|một|hai|ba|năm|mười)\s*(?:\(\w+\)\s*)?(?:ngày|giờ|tháng|năm)\b/iu;

/**
 * The record's sentences that state a time limit, for the time answer: the processing time of the channel table
 * is often a bare number (its unit lost), while the steps or conditions say what the citizen must know ("Trong
 * thời hạn 15 ngày kể từ ngày có người chết …"). Whole sentences, in the record's order, the office's own
 * internal deadlines left out.
 */
/** An internal deadline: what an officer or another office does within it. */
const INTERNAL = /\b(?:công\s+chức|cán\s+bộ|xác\s+minh|phần\s+mềm|chuyển\s+hồ\s+sơ|thẩm\s+định|trình\s+(?:lãnh\s+đạo|chủ\s+tịch))/iu;

export function deadlineSentences(p: Procedure, model: ProcedureModel, max = 2): string[] {
  return candidates(p, model)
    .filter((c) => c.source !== 'channel' && DEADLINE.test(c.text) && !INTERNAL.test(c.text))
    .map((c) => c.text)
    .filter((t, i, all) => all.indexOf(t) === i)
    .slice(0, max);
}
