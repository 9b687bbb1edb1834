import { fold } from '../../retrieval/text.ts';

/**
 * Removing citizens' personal numbers from a chat message before it is logged, sent to a model or echoed back:
 * citizen ID (căn cước, 12 digits), the old 9-digit CMND, phone numbers, e-mail addresses and bank account numbers.
 *
 * What must survive is just as important: procedure codes (1.001193), legal document numbers (123/2015/NĐ-CP),
 * dates, years, money amounts and dossier codes (H12.22-250101-0001), because answering the question depends on
 * them. So those spans are set aside first, and only the digit runs left over are classified, by their shape and by
 * the words just before them ("stk", "số điện thoại", "CCCD", "mã hồ sơ").
 */

export type PiiKind = 'citizen_id' | 'old_id' | 'phone' | 'email' | 'bank_account';

export const PII_PLACEHOLDERS: Record<PiiKind, string> = {
  citizen_id: '[số căn cước]',
  old_id: '[CMND]',
  phone: '[số điện thoại]',
  email: '[email]',
  bank_account: '[số tài khoản]',
};

/** Shown to the citizen whenever something was removed. */
export const PII_NOTICE =
  'Để bảo vệ thông tin cá nhân, xin đừng gửi số căn cước, số điện thoại hay số tài khoản qua tin nhắn; ' +
  'trợ lý đã xóa các thông tin này.';

export interface RedactionResult {
  text: string;
  /** Kinds removed, each once, in order of first appearance. */
  found: PiiKind[];
}

const EMAIL = /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/gu;

/**
 * Spans that look numeric but are not personal data. Each is blanked out of the working copy before digit runs
 * are classified, so nothing inside them can be redacted.
 */
const PROTECTED: readonly RegExp[] = [
  // Links: a procedure page URL carries its code.
  /\b(?:https?:\/\/|www\.)\S+/giu,
  // Procedure codes, national or with the local suffix: 1.001193, 2.000986.000.00.00.H12.
  /(?<![\d.])\d\.\d{6}(?:\.[\p{L}\d]+)*/gu,
  // Dates written with dots or dashes: 21.12.2022, 01-07-2025.
  /(?<!\d)\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d{2}(?!\d)/gu,
  // Money: 50.000 đồng, 50,000 VNĐ, 5 triệu, 200k, 1,5 tỷ.
  // "k" only glued to the number: "0912345678 k nghe máy" is "không", not thousands.
  /(?<![\p{L}\d])\d[\d.,]*(?:k|\s*(?:việt nam đồng|viet nam dong|triệu|trieu|tr|nghìn|nghin|ngàn|ngan|tỷ|tỉ|ty|đồng|dong|đ|vnđ|vnd|usd))(?![\p{L}\d])/giu,
];

/**
 * Anything joined by a slash: 123/2015/NĐ-CP, Nghị định 104/2022, dates 21/12/2022. Not when a part is a long
 * number on its own: "0912345678/0987654321" is two phone numbers.
 */
const SLASHED = /[\p{L}\d.-]*\d[\p{L}\d.-]*(?:\/[\p{L}\d.-]+)+/gu;
const LONG_NUMBER_PART = /(?:^|\/)[\d .-]{9,}(?:\/|$)/;

/**
 * Codes that mix letters and digits joined by dots or dashes (dossier codes "H12.22-250101-0001",
 * "000.00.12.H12-250101-0001", forms "TP/HT-2020"). A word glued to a number by a single separator
 * ("sđt-0912345678", "stk.0123456789") is a label in front of a number, not a code, and is left to the classifier.
 */
const MIXED_CODE = /[\p{L}\d]+(?:[._-][\p{L}\d]+)+/gu;
const LABEL_THEN_NUMBER = /^\p{L}+[._-]\d+$/u;

/** Words before a digit run that say what it is (folded forms). The nearest one wins. */
const CONTEXT: readonly { kind: 'bank' | 'id' | 'phone' | 'case' | 'tax'; words: readonly string[] }[] = [
  {
    kind: 'bank',
    words: [
      'stk', 'so tk', 'tk', 'tai khoan', 'so tai khoan', 'account', 'acc', 'ngan hang', 'chuyen khoan', 'ck', 'the atm',
      'so the', 'vietcombank', 'vcb', 'techcombank', 'tcb', 'mbbank', 'mb bank', 'bidv', 'agribank', 'vietinbank',
      'acb', 'tpbank', 'sacombank', 'vpbank', 'momo',
    ],
  },
  {
    kind: 'id',
    words: [
      'cccd', 'can cuoc', 'cmnd', 'cmt', 'chung minh', 'chung minh thu', 'chung minh nhan dan', 'dinh danh',
      'so dinh danh', 'ma dinh danh', 'vneid', 'id card', 'national id',
    ],
  },
  {
    kind: 'phone',
    words: ['sdt', 'so dien thoai', 'dien thoai', 'dt', 'dthoai', 'phone', 'tel', 'zalo', 'lien he', 'goi', 'so dt', 'hotline'],
  },
  {
    // Dossier / receipt numbers must stay visible for case-status questions.
    kind: 'case',
    words: ['ma ho so', 'so ho so', 'ho so so', 'ma hs', 'bien nhan', 'giay hen', 'phieu hen', 'ma tra cuu', 'ma so ho so'],
  },
  {
    // A business's tax code is public and procedures about a business need it; a person's is now their căn cước
    // number, which the shape rule still catches.
    kind: 'tax',
    words: ['mst', 'ma so thue', 'ma thue', 'tax code'],
  },
];

const CONTEXT_WINDOW = 40;

type Context = (typeof CONTEXT)[number]['kind'] | null;

/** The kind of the keyword nearest to the end of `before`, or null. */
function contextOf(before: string): Context {
  const folded = ` ${fold(before.slice(-CONTEXT_WINDOW))} `;
  let best: Context = null;
  let bestAt = -1;
  for (const { kind, words } of CONTEXT) {
    for (const w of words) {
      const at = folded.lastIndexOf(` ${w} `);
      // A longer keyword ending at the same place ("so tai khoan" vs "tai khoan") gives the same kind anyway.
      if (at >= 0 && at + w.length > bestAt) {
        best = kind;
        bestAt = at + w.length;
      }
    }
  }
  return best;
}

/** Mobile 0[35789]xxxxxxxx or landline 02xxxxxxxxx, given in national form. */
function isPhone(national: string): boolean {
  return /^0[35789]\d{8}$/.test(national) || /^02\d{9}$/.test(national);
}

/** "100.000.000", "1,500,000": thousands groups ending in zeros, an amount written without its unit. */
function looksLikeAmount(raw: string): boolean {
  return /^\d{1,3}(?:[.,]\d{3})+$/.test(raw) && /000$/.test(raw);
}

interface Group {
  digits: string;
  /** Separator before this group ('' for the first). */
  sep: string;
  start: number;
  end: number;
}

/**
 * Classifies a run of digit groups. `strong` is false for a bare long number with nothing to say what it is
 * (taken as an account number), so that a phone or ID shape starting at the same place is preferred.
 * `international` is the prefix written before the digits ("+", "(+84)"), empty when none.
 */
function classify(
  groups: readonly Group[],
  raw: string,
  international: string,
  ctx: Context,
): { kind: PiiKind; strong: boolean } | null {
  const digits = groups.map((g) => g.digits).join('');
  const n = digits.length;
  const separated = groups.length > 1;
  if (ctx === 'case') return null;
  if (ctx === 'tax') return n === 12 && digits.startsWith('0') ? { kind: 'citizen_id', strong: true } : null;
  // Amounts written without their unit ("100.000.000", "500000") are not personal data.
  const amount = looksLikeAmount(raw) || /0{5}$/.test(digits);

  if (ctx === 'bank' && !amount && n >= 6 && n <= 19) return { kind: 'bank_account', strong: true };
  if (ctx === 'id') {
    if (n === 12) return { kind: 'citizen_id', strong: true };
    if (n === 9) return { kind: 'old_id', strong: true };
  }

  if (international) {
    if (international.includes('84')) return isPhone(`0${digits}`) ? { kind: 'phone', strong: true } : null;
    if (digits.startsWith('84')) return isPhone(`0${digits.slice(2)}`) ? { kind: 'phone', strong: true } : null;
    // Another country's number: "+" then 8 to 15 digits.
    return n >= 8 && n <= 15 ? { kind: 'phone', strong: true } : null;
  }
  if (isPhone(digits) || (/^84\d{9,10}$/.test(digits) && isPhone(`0${digits.slice(2)}`))) {
    return { kind: 'phone', strong: true };
  }
  if (ctx === 'phone' && n === 9 && isPhone(`0${digits}`)) return { kind: 'phone', strong: true };
  if (n === 12 && digits.startsWith('0')) return { kind: 'citizen_id', strong: true };
  // Lists of years ("2021 2022 2023") are not personal data either.
  if (amount || groups.every((g) => /^(?:19|20)\d\d$/.test(g.digits))) return null;
  if (n === 9 && !separated) return { kind: 'old_id', strong: true };
  if (n >= 13 && n <= 19) return { kind: 'bank_account', strong: false };
  if (n >= 10 && n <= 19 && !separated) return { kind: 'bank_account', strong: false };
  return null;
}

/** Digits separated by single spaces, dots or dashes, with an optional +84 / (+84) in front. */
const DIGIT_RUN = /(?<![\d])(?:\(\+?84\)\s?|\+(?=\d))?\d+(?:[ .-]\d+)*/gu;

/**
 * Groups of one run that may belong to one number: dots and dashes always bind; a single space binds only when one
 * side is a short group (0912 345 678, 0012 0300 1234), so "1990 0912345678" stays two numbers.
 */
function splitRun(run: string, offset: number): Group[][] {
  const groups: Group[] = [];
  const re = /([ .-]?)(\d+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(run))) {
    const start = offset + m.index + m[1]!.length;
    groups.push({ digits: m[2]!, sep: m[1]!, start, end: start + m[2]!.length });
  }
  const parts: Group[][] = [];
  let cur: Group[] = [];
  for (const g of groups) {
    const prev = cur[cur.length - 1];
    const binds =
      !prev ||
      g.sep !== ' ' ||
      (prev.digits.length <= 4 && (g.digits.length <= 4 || prev.digits.startsWith('0') || prev.digits === '84'));
    if (!binds) {
      parts.push(cur);
      cur = [];
    }
    cur.push(g);
  }
  if (cur.length) parts.push(cur);
  return parts;
}

interface Hit {
  start: number;
  end: number;
  kind: PiiKind;
}

function blank(s: string, start: number, end: number): string {
  return s.slice(0, start) + '\u0000'.repeat(end - start) + s.slice(end);
}

export function redactPersonalData(text: string): RedactionResult {
  const hits: Hit[] = [];
  let work = text;

  for (const m of text.matchAll(EMAIL)) {
    hits.push({ start: m.index, end: m.index + m[0].length, kind: 'email' });
    work = blank(work, m.index, m.index + m[0].length);
  }
  for (const re of PROTECTED) {
    for (const m of work.matchAll(re)) work = blank(work, m.index, m.index + m[0].length);
  }
  for (const m of work.matchAll(SLASHED)) {
    if (!LONG_NUMBER_PART.test(m[0])) work = blank(work, m.index, m.index + m[0].length);
  }
  for (const m of work.matchAll(MIXED_CODE)) {
    const t = m[0];
    if (/\p{L}/u.test(t) && /\d/.test(t) && !LABEL_THEN_NUMBER.test(t)) work = blank(work, m.index, m.index + t.length);
  }

  for (const m of work.matchAll(DIGIT_RUN)) {
    const runStart = m.index;
    const prefix = /^(?:\(\+?84\)\s?|\+)/.exec(m[0])?.[0] ?? '';
    const body = m[0].slice(prefix.length);
    const parts = splitRun(body, runStart + prefix.length);
    parts.forEach((groups, partIndex) => {
      const intl = partIndex === 0 ? prefix : '';
      let i = 0;
      while (i < groups.length) {
        // From group i, the longest candidate with a confident shape; else the longest bare long number.
        let chosen: { j: number; kind: PiiKind } | null = null;
        let weak: { j: number; kind: PiiKind } | null = null;
        const ctx = contextOf(text.slice(0, groups[i]!.start - (i === 0 && intl ? prefix.length : 0)));
        // No number of interest is longer than 19 digits (+84 and a phone: 11), so longer candidates are not tried.
        let jMax = i;
        for (let n = groups[i]!.digits.length; jMax + 1 < groups.length && n + groups[jMax + 1]!.digits.length <= 19; jMax++) {
          n += groups[jMax + 1]!.digits.length;
        }
        for (let j = jMax; j >= i; j--) {
          const slice = groups.slice(i, j + 1);
          const raw = text.slice(slice[0]!.start, slice[slice.length - 1]!.end);
          const c = classify(slice, raw, i === 0 ? intl : '', ctx);
          if (!c) continue;
          if (c.strong) {
            chosen = { j, kind: c.kind };
            break;
          }
          weak ??= { j, kind: c.kind };
        }
        const pick = chosen ?? weak;
        if (!pick) {
          i++;
          continue;
        }
        const start = i === 0 && intl ? runStart : groups[i]!.start;
        hits.push({ start, end: groups[pick.j]!.end, kind: pick.kind });
        i = pick.j + 1;
      }
    });
  }

  if (!hits.length) return { text, found: [] };
  hits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  const found: PiiKind[] = [];
  for (const h of hits) {
    if (h.start < at) continue;
    out += text.slice(at, h.start) + PII_PLACEHOLDERS[h.kind];
    at = h.end;
    if (!found.includes(h.kind)) found.push(h.kind);
  }
  out += text.slice(at);
  return { text: out, found };
}

export function containsPersonalData(text: string): boolean {
  return redactPersonalData(text).found.length > 0;
}
