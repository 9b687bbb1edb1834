import type { Procedure } from '../../knowledge/procedure.ts';

/**
 * Checking that a drafted answer (a model's, typically) states no fact its cited records do not: every number
 * (fees, day counts, numbers of copies, dates), every procedure code and legal document number, and every link must
 * be found in the records or in the caller's allow-lists (a count of the items a record lists counts as found). One invented figure is enough to reject the draft; the
 * caller then falls back to the answer composed from the records.
 *
 * Numbers are compared by value, whatever their spelling: "50.000 đồng", "50,000 VNĐ", "50000", "50 nghìn" and
 * "50k" are one amount, "05" is 5 and "5 triệu" is 5000000. A day count must match a duration in the records and a
 * number of copies a number of copies: "2 ngày" is not grounded by "Bước 2". List markers at the start of a line
 * ("1.", "2)") and "Bước 1" to "Bước 3" are layout, not facts.
 */

export type GroundingViolationKind = 'number' | 'code' | 'url';

export interface GroundingViolation {
  kind: GroundingViolationKind;
  /** As written in the answer ("7 ngày", "200.000 đồng", "1.009999", "https://…"). */
  value: string;
}

export interface GroundingResult {
  ok: boolean;
  violations: GroundingViolation[];
}

export interface GroundingOptions {
  /**
   * Links the answer may contain besides the records' own (the national portal, the commune's page). An entry
   * covers exactly that address, ignoring scheme, "www." and a trailing slash; one ending in "/" also covers the
   * pages below it.
   */
  allowedUrls?: string[];
  /** Numbers the answer may state besides the records' (emergency numbers, the hotline, opening hours). */
  allowedNumbers?: string[];
}

// ---- reading numbers -----------------------------------------------------------------------------------------

type Family = 'plain' | 'money' | 'day' | 'hour' | 'week' | 'month' | 'year' | 'original' | 'copy' | 'count';

const MULTIPLIERS: [RegExp, number][] = [
  [/^(?:triệu|trieu|tr|million)$/iu, 1e6],
  [/^(?:nghìn|nghin|ngàn|ngan|k|thousand)$/iu, 1e3],
  [/^(?:tỷ|tỉ|ty|billion|bn)$/iu, 1e9],
];

/** Unit words after a number, longest first, with the family each belongs to. */
const UNITS: [string, Family][] = [
  ['việt nam đồng', 'money'], ['viet nam dong', 'money'], ['vnđ', 'money'], ['vnd', 'money'], ['đồng', 'money'],
  ['đ', 'money'], ['usd', 'money'], ['dong', 'money'],
  ['ngày làm việc', 'day'], ['ngay lam viec', 'day'], ['working days?', 'day'], ['ngày', 'day'], ['ngay', 'day'], ['days?', 'day'],
  ['giờ', 'hour'], ['tiếng', 'hour'], ['hours?', 'hour'], ['h', 'hour'],
  ['tuần', 'week'], ['tuan', 'week'], ['weeks?', 'week'],
  ['tháng', 'month'], ['thang', 'month'], ['months?', 'month'],
  ['năm', 'year'], ['years?', 'year'],
  ['bản chính', 'original'], ['ban chinh', 'original'], ['originals?', 'original'],
  ['bản sao', 'copy'], ['ban sao', 'copy'], ['bản chụp', 'copy'], ['bản photo', 'copy'], ['cop(?:y|ies)', 'copy'],
  ['bản', 'count'], ['bộ', 'count'], ['sets?', 'count'],
];

const NUMBER = new RegExp(
  String.raw`(?<![\p{L}\d.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)` +
    String.raw`(?:\s?(triệu|trieu|tr|million|nghìn|nghin|ngàn|ngan|k|thousand|tỷ|tỉ|ty|billion|bn)(?![\p{L}\d]))?` +
    String.raw`(?:\s*(${UNITS.map(([u]) => u).join('|')}|%)(?![\p{L}\d]))?` +
    String.raw`(?![\p{L}\d])`,
  'giu',
);

interface Mention {
  value: number;
  family: Family;
  text: string;
  index: number;
}

/** "50.000" → 50000, "1,5" → 1.5, "1,500,000" → 1500000, "05" → 5. */
function parseLiteral(literal: string): number {
  if (/^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(literal)) return Number(literal.replace(/\./g, '').replace(',', '.'));
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(literal)) return Number(literal.replace(/,/g, ''));
  return Number(literal.replace(',', '.'));
}

/** Values compared at 12 significant digits, so 1.5 × 10⁶ and 1500000 are one key. */
const key = (v: number) => String(Number(v.toPrecision(12)));

function unitFamily(unit: string | undefined): Family {
  if (!unit) return 'plain';
  if (unit === '%') return 'plain';
  for (const [u, family] of UNITS) if (new RegExp(`^(?:${u})$`, 'iu').test(unit)) return family;
  return 'plain';
}

/** Numbers in `text` with their unit's family; a number after "ngày/tháng/năm" is a date part, not a duration. */
function mentions(text: string): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const literal = m[1]!;
    let value = parseLiteral(literal);
    if (!Number.isFinite(value)) continue;
    const mult = m[2];
    let family: Family = unitFamily(m[3]);
    if (mult) {
      value *= MULTIPLIERS.find(([re]) => re.test(mult))?.[1] ?? 1;
      family = 'money';
    }
    if (family !== 'plain' && family !== 'money' && /(?:ngày|tháng|năm|ngay|thang|nam)\s*$/iu.test(text.slice(0, m.index))) {
      family = 'plain';
    }
    out.push({ value, family, text: m[0].trim(), index: m.index });
  }
  return out;
}

// ---- codes, dates, links -------------------------------------------------------------------------------------

const PROCEDURE_CODE = /(?<![\p{L}\d.])\d\.\d{6}(?:\.[\p{L}\d]+)*(?![\p{L}\d])/gu;
/**
 * Legal document numbers: 104/2022/NĐ-CP, 01/2022/TT-BTP, 60/2014/QH13. The issuer part is capitals, so a word
 * the listing glued on ("15/2023/TT-BNNPTNTngày 15 …") is not taken into the code.
 */
const LEGAL_NUMBER = /(?<![\p{L}\d/])\d{1,4}\/\d{4}\/[\p{Lu}\d]+(?:-[\p{Lu}\d]+)*/gu;
/** "Nghị định 104/2022": number and year without the issuer, counted as a code after a document word. */
const SHORT_LEGAL = /(?<![\p{L}\d/])\d{1,4}\/\d{4}(?![\p{L}\d/])/gu;
const LEGAL_WORD = /(?:nghị định|thông tư|quyết định|nghị quyết|luật|pháp lệnh|công văn|chỉ thị|văn bản|số|decree|circular|decision|resolution|law|no\.?)\s*$/iu;
const NUMERIC_DATE = /(?<![\p{L}\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/.-]*\d)/gu;
const WORD_DATE = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/giu;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"'`()[\]{}]+|(?<![\p{L}\d@.-])(?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|info|io)(?:\/[^\s<>"'`()[\]{}]*)?(?![\p{L}\d-])/giu;
const EMAIL = /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/gu;

/**
 * No diacritics, Đ as D, no leading zeros in a document number ("04/2020" = "4/2020"): how codes are compared.
 * Case is kept so a lowercase word glued on by the listing can be told apart.
 */
function normCode(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/(?<![\p{L}\d/.])0+(?=\d+\/\d{4})/gu, '');
}

interface CodeBlob {
  text: string;
  upper: string;
}

/**
 * True when `code` occurs in the records not glued to other capitals or digits: "1.001193" is not in "1.0011934",
 * "04/2020/TT-BTP" is not in "104/2020/TT-BTP", "104/2022/NĐ-CP" is in "104/2022/NĐ-CPngày …", and "104/2022" is
 * in "104/2022/NĐ-CP".
 */
function containsCode(blob: CodeBlob, code: string): boolean {
  const needle = code.toUpperCase();
  for (let at = blob.upper.indexOf(needle); at >= 0; at = blob.upper.indexOf(needle, at + 1)) {
    if (/[A-Z0-9/]/.test(blob.text[at - 1] ?? ' ')) continue;
    if (!/[A-Z0-9]/.test(blob.text[at + needle.length] ?? ' ')) return true;
  }
  return false;
}

const dateKey = (d: string, m: string, y: string) => `${Number(d)}/${Number(m)}/${y}`;

function trimUrl(u: string): string {
  return u.replace(/[.,;:!?)\]}'"…]+$/u, '');
}

/** Scheme, "www." and a trailing slash ignored; host lowercased. */
function normUrl(u: string): string {
  const t = trimUrl(u).replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const slash = t.indexOf('/');
  const host = (slash < 0 ? t : t.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? '' : t.slice(slash);
  return (host + path).replace(/\/+$/, '');
}

// ---- what the records state ----------------------------------------------------------------------------------

interface Evidence {
  values: Set<string>;
  /** "day:3", "original:1": numbers with the family they were stated in. */
  typed: Set<string>;
  codes: CodeBlob;
  dates: Set<string>;
  urls: string[];
  emails: Set<string>;
}

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
}

const TIME_UNIT_FAMILY = (unit: string | null): Family | null => (unit ? unitFamily(unit.trim().toLowerCase()) : null);

function evidenceOf(records: readonly Procedure[]): Evidence {
  const texts: string[] = [];
  const values = new Set<string>();
  const typed = new Set<string>();
  let largestCount = 0;
  for (const r of records) {
    strings(r, texts);
    // Counts of what the record lists ("Hồ sơ: 15 loại giấy tờ", "… và 5 giấy tờ khác") are read off the record
    // too: any whole number up to the longest list it has.
    const docs = r.documentGroups.reduce((n, g) => n + g.documents.length, 0);
    largestCount = Math.max(largestCount, docs + r.documentGroups.length, r.steps.length, r.legalBasis.length, r.channels.length);
    for (const c of r.channels) {
      if (c.timeValue !== null) {
        values.add(key(c.timeValue));
        const family = TIME_UNIT_FAMILY(c.timeUnit);
        // A lost unit: the number may be stated in any time unit.
        for (const f of family && family !== 'plain' ? [family] : (['day', 'hour', 'week', 'month', 'year'] as Family[])) {
          typed.add(`${f}:${key(c.timeValue)}`);
        }
      }
      for (const a of c.feeAmounts) values.add(key(a));
    }
    for (const g of r.documentGroups) {
      for (const d of g.documents) {
        for (const [n, family] of [[d.originals, 'original'], [d.copies, 'copy']] as const) {
          if (n === null) continue;
          values.add(key(n));
          typed.add(`${family}:${key(n)}`);
          typed.add(`count:${key(n)}`);
        }
      }
    }
  }
  for (let n = 1; n <= largestCount; n++) values.add(key(n));
  const text = texts.join('\n');
  for (const m of mentions(text)) {
    values.add(key(m.value));
    typed.add(`${m.family}:${key(m.value)}`);
    if (m.family === 'original' || m.family === 'copy') typed.add(`count:${key(m.value)}`);
  }
  // Every digit run as well, so a year inside "60/2014/QH13" grounds "2014".
  for (const m of text.matchAll(/\d+/g)) values.add(key(Number(m[0])));
  const dates = new Set<string>();
  for (const m of text.matchAll(NUMERIC_DATE)) dates.add(dateKey(m[1]!, m[2]!, m[3]!));
  for (const m of text.matchAll(WORD_DATE)) dates.add(dateKey(m[1]!, m[2]!, m[3]!));
  const urls = [...text.matchAll(URL)].map((m) => normUrl(m[0]));
  const emails = new Set([...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase()));
  const codeText = normCode(text);
  return { values, typed, codes: { text: codeText, upper: codeText.toUpperCase() }, dates, urls, emails };
}

function urlGrounded(url: string, evidence: Evidence, allowed: readonly string[]): boolean {
  const u = normUrl(url);
  if (evidence.urls.some((r) => r === u || r.startsWith(`${u}/`) || r.startsWith(`${u}?`) || r.startsWith(`${u}#`))) return true;
  return allowed.some((a) => {
    const n = normUrl(a);
    return n === u || (/\/$/.test(a.trim()) && u.startsWith(`${n}/`));
  });
}

// ---- the check -----------------------------------------------------------------------------------------------

/** List markers at the start of a line: "1. …", "2) …", "- 3. …". */
const LIST_MARKER = /^([ \t]*(?:[-*•][ \t]*)?)\(?\d{1,2}[.)](?=[ \t])/gmu;
/** "Bước 1", "bước 2", "Step 3": numbering of the steps the record lists. */
const STEP_NUMBER = /(?:bước|buoc|step)\s*$/iu;

export function checkGroundedAnswer(
  answer: string,
  records: readonly Procedure[],
  opts: GroundingOptions = {},
): GroundingResult {
  const evidence = evidenceOf(records);
  const allowedUrls = opts.allowedUrls ?? [];
  const allowedValues = new Set<string>();
  for (const a of opts.allowedNumbers ?? []) {
    for (const m of mentions(a)) allowedValues.add(key(m.value));
    for (const m of a.matchAll(/\d+/g)) allowedValues.add(key(Number(m[0])));
  }

  const violations: GroundingViolation[] = [];
  const report = (kind: GroundingViolationKind, value: string) => {
    if (!violations.some((v) => v.kind === kind && v.value === value)) violations.push({ kind, value });
  };

  // What is checked as a whole is blanked out before numbers are read, so its digits are not read twice.
  let work = answer;
  const blank = (start: number, end: number) => {
    work = work.slice(0, start) + ' '.repeat(end - start) + work.slice(end);
  };

  for (const m of answer.matchAll(EMAIL)) {
    if (!evidence.emails.has(m[0].toLowerCase())) report('url', m[0]);
    blank(m.index, m.index + m[0].length);
  }
  for (const m of work.matchAll(URL)) {
    const url = trimUrl(m[0]);
    if (!urlGrounded(url, evidence, allowedUrls)) report('url', url);
    blank(m.index, m.index + m[0].length);
  }
  for (const m of work.matchAll(PROCEDURE_CODE)) {
    if (!containsCode(evidence.codes, normCode(m[0]))) report('code', m[0]);
    blank(m.index, m.index + m[0].length);
  }
  for (const m of work.matchAll(LEGAL_NUMBER)) {
    if (!containsCode(evidence.codes, normCode(m[0]))) report('code', m[0]);
    blank(m.index, m.index + m[0].length);
  }
  for (const re of [NUMERIC_DATE, WORD_DATE]) {
    for (const m of work.matchAll(re)) {
      if (!evidence.dates.has(dateKey(m[1]!, m[2]!, m[3]!))) report('number', m[0]);
      blank(m.index, m.index + m[0].length);
    }
  }
  for (const m of work.matchAll(SHORT_LEGAL)) {
    if (!LEGAL_WORD.test(work.slice(0, m.index))) continue; // "tháng 7/2025": two numbers, read below
    // "Nghị định 104/2022" is grounded by "104/2022/NĐ-CP".
    if (!containsCode(evidence.codes, normCode(m[0]))) report('code', m[0]);
    blank(m.index, m.index + m[0].length);
  }
  work = work.replace(LIST_MARKER, (all, lead: string) => lead + ' '.repeat(all.length - lead.length));

  for (const m of mentions(work)) {
    if (m.family === 'plain' && m.value >= 1 && m.value <= 3 && Number.isInteger(m.value) && STEP_NUMBER.test(work.slice(0, m.index))) {
      continue;
    }
    const k = key(m.value);
    if (allowedValues.has(k)) continue;
    const grounded =
      m.family === 'plain' || m.family === 'money'
        ? evidence.values.has(k)
        : evidence.typed.has(`${m.family}:${k}`);
    if (!grounded) report('number', m.text);
  }

  return { ok: violations.length === 0, violations };
}
