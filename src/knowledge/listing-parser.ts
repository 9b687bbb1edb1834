/**
 * Importer for the national procedure listing scraped from dichvucong.gov.vn
 * (`tthc_dvcqg_2642.jsonl`, one JSON object per line).
 *
 * The scraper flattened every table into text with no separators, so most of this file
 * recovers table rows from run-together cells. The rule everywhere: when a cell boundary
 * cannot be found safely, keep the text (in the field where it most likely belongs) and
 * leave the derived values empty — never guess a number.
 */
import { z } from 'zod';
import {
  type Channel,
  type ChannelTerms,
  type DocumentGroup,
  type LegalBasis,
  type Procedure,
  type ProcedureDocument,
  ProcedureSchema,
} from './procedure.ts';

/**
 * Why a record was rejected, as data: the upload page words it in Vietnamese for a commune officer
 * (services/knowledge-versions/line-reasons.ts) while `reason` keeps the developer's detail for the log and the CLI.
 * `record`: the source record's own fields are wrong; `procedure`: what was made of them is not a valid procedure.
 */
export type ParseProblem =
  | { kind: 'record' | 'procedure'; issues: readonly z.core.$ZodIssue[] }
  | { kind: 'code_mismatch'; code: string }
  | { kind: 'no_code' }
  | { kind: 'no_page_id'; code: string }
  | { kind: 'internal'; code: string }
  | { kind: 'no_level'; code: string }
  | { kind: 'no_source_address' };

export type ParseResult = { ok: true; procedure: Procedure } | { ok: false; reason: string; problem: ParseProblem };

export interface ListingImport {
  procedures: Procedure[];
  errors: { line: number; reason: string }[];
}

const NO_INFO = 'Không có thông tin';

// ---------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------

/** Trimmed text, or null when the listing gives nothing ("" / "Không có thông tin"). */
export function textOrNull(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = value.trim();
  return text === '' || text === NO_INFO ? null : text;
}

export function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

const isLower = (ch: string | undefined): boolean => ch !== undefined && /\p{Ll}/u.test(ch);
const isUpper = (ch: string | undefined): boolean => ch !== undefined && /\p{Lu}/u.test(ch);
const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);

/** Drops a leading "- " bullet (the separator the listing uses between items). */
function stripBullet(value: string): string {
  return value.replace(/^\s*-+\s*/, '').trim();
}

// ---------------------------------------------------------------------------
// Simple list fields
// ---------------------------------------------------------------------------

/** "Cấp bộ, Cấp tỉnh, Cấp xã" → ["Cấp bộ", "Cấp tỉnh", "Cấp xã"]. */
export function splitLevels(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== NO_INFO);
}

/**
 * Splits the "Đối tượng thực hiện" list on commas, but not inside parentheses
 * ("Tổ chức (không bao gồm doanh nghiệp, HTX)") and not where the next piece starts in
 * lower case ("Cán bộ, công chức, viên chức" is one category).
 */
export function splitTargets(value: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      pieces.push(current);
      current = '';
    } else current += ch;
  }
  pieces.push(current);
  const targets: string[] = [];
  for (const raw of pieces) {
    const piece = raw.trim();
    if (piece === '' || piece === NO_INFO) continue;
    const last = targets.length - 1;
    if (last >= 0 && isLower(piece[0])) targets[last] = `${targets[last]}, ${piece}`;
    else targets.push(piece);
  }
  return targets;
}

// ---------------------------------------------------------------------------
// "Cách thức thực hiện": channel / time / fee / description rows
// ---------------------------------------------------------------------------

const CHANNEL_HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả';
const CHANNEL_BY_LABEL: Record<string, Channel> = {
  'Trực tiếp': 'truc_tiep',
  'Trực tuyến': 'truc_tuyen',
  'Dịch vụ bưu chính': 'buu_chinh',
};
/**
 * A row starts with a channel name glued to its time cell (a digit, "Không…" or a capitalised
 * free text). Inside descriptions the same words are followed by a space, ":" or ",".
 */
const CHANNEL_ROW_START = /(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=[\d\p{Lu}])/gu;
const TIME_WITH_UNIT = /^(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Tuần|Phút)/u;
const TIME_NOT_GIVEN = [NO_INFO, 'Không quy định', 'Không'];
const CURRENCY = String.raw`(?:Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD)`;
/** "50,000 VNĐ", "1,200,000 Việt Nam Đồng", "145 USD". */
const FEE_AMOUNT = new RegExp(String.raw`^(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(${CURRENCY})`, 'u');
/** Older export style: "Phí : 2.000.000 Đồng", "Lệ phí : 10 USD", "Phí : Mức thu …". */
const FEE_LABELLED = new RegExp(String.raw`^(?:Lệ phí|Phí)\s*:\s*(?:([\d.,]+|[Kk]hông)\s*)?(${CURRENCY})?`, 'u');
/** Where a fee cell can start inside a free-text time cell. */
const FEE_START_ANYWHERE = new RegExp(
  String.raw`Miễn phí|Không có thông tin|(?:Lệ phí|Phí)\s*:|\d{1,3}(?:[.,]\d{3})*\s*(?:Việt Nam Đồng|VNĐ|USD)`,
  'u',
);
/** A VND amount as the portal prints it: thousands always grouped with commas. */
const STRICT_AMOUNT = /^(?:0|[1-9]\d{0,2}(?:,\d{3})*)$/;

interface FeeCell {
  feeText: string | null;
  feeAmounts: number[];
  description: string;
  /** False when no fee cell could be recognised at the start of the text. */
  recognised: boolean;
}

/** "50,000" / "2.000.000" → 50000 / 2000000; a dot or comma before exactly 3 digits groups thousands. */
function parseAmount(digits: string): number | null {
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(digits)) return Number(digits.replace(/[.,]/g, ''));
  if (/^\d+$/.test(digits)) return Number(digits);
  return null;
}

/** Amounts in VND only: USD fees and zero ("Phí : 0 Đồng") give no amount. */
function vndAmounts(digits: string | undefined, currency: string | undefined): number[] {
  if (!digits || !currency || currency === 'USD') return [];
  const amount = parseAmount(digits);
  return amount != null && amount > 0 ? [amount] : [];
}

/** Reads the fee cell at the start of `text`; everything after it is the row's "Mô tả", verbatim. */
export function parseFeeCell(text: string): FeeCell {
  text = text.trimStart();
  const describe = (feeText: string | null, feeAmounts: number[], rest: string): FeeCell => ({
    feeText,
    feeAmounts,
    description: rest.trim(),
    recognised: true,
  });
  if (text.startsWith('Miễn phí')) return describe('Miễn phí', [], text.slice('Miễn phí'.length));
  if (text.startsWith(NO_INFO)) return describe(null, [], text.slice(NO_INFO.length));
  const amount = FEE_AMOUNT.exec(text);
  if (amount) return describe(amount[0], vndAmounts(amount[1], amount[2]), text.slice(amount[0].length));
  const labelled = FEE_LABELLED.exec(text);
  if (labelled && (labelled[1] || labelled[2])) {
    return describe(labelled[0].trim(), vndAmounts(labelled[1], labelled[2]), text.slice(labelled[0].length));
  }
  return { feeText: null, feeAmounts: [], description: text.trim(), recognised: false };
}

function channelRow(channel: Channel, time: Pick<ChannelTerms, 'timeValue' | 'timeUnit'>, fee: FeeCell, timeText?: string): ChannelTerms {
  const row: ChannelTerms = {
    channel,
    timeValue: time.timeValue,
    timeUnit: time.timeUnit,
    feeText: fee.feeText,
    feeAmounts: fee.feeAmounts,
    description: fee.description,
  };
  if (timeText) row.timeText = timeText;
  return row;
}

const NO_TIME = { timeValue: null, timeUnit: null };

/**
 * The unit was lost and the fee is a number too: "120,000 VNĐ" may be 1 + "20,000 VNĐ" or
 * (if the time cell was empty) "120,000 VNĐ". Accept a split only when exactly one reading
 * gives a well-formed time and a well-formed amount; otherwise keep the whole cell as fee text.
 */
function splitTimeFromAmount(channel: Channel, cell: string): ChannelTerms | null {
  const m = new RegExp(String.raw`^(\d[\d,]*)\s*(${CURRENCY})`, 'u').exec(cell);
  if (!m || !m[1] || !m[2]) return null;
  const digits = m[1];
  const readings: number[] = [];
  for (let k = 0; k < digits.length; k++) {
    const time = digits.slice(0, k);
    const amount = digits.slice(k);
    const timeOk = k === 0 || /^(?:0|[1-9]\d*)$/.test(time);
    if (timeOk && STRICT_AMOUNT.test(amount)) readings.push(k);
  }
  const rest = cell.slice(m[0].length);
  if (readings.length === 1 && readings[0]! > 0) {
    const k = readings[0]!;
    const feeDigits = digits.slice(k);
    const fee: FeeCell = {
      feeText: cell.slice(k, m[0].length).trim(),
      feeAmounts: vndAmounts(feeDigits, m[2]),
      description: rest.trim(),
      recognised: true,
    };
    return channelRow(channel, { timeValue: Number(digits.slice(0, k)), timeUnit: null }, fee);
  }
  // Ambiguous: keep the whole cell verbatim, derive nothing.
  return channelRow(channel, NO_TIME, { feeText: m[0].trim(), feeAmounts: [], description: rest.trim(), recognised: true });
}

/** One row of the channel table: `cell` is everything after the channel name. */
export function parseChannelRow(channel: Channel, cell: string): ChannelTerms {
  const withUnit = TIME_WITH_UNIT.exec(cell);
  if (withUnit && withUnit[1] && withUnit[2]) {
    const time = { timeValue: Number(withUnit[1].replace(',', '.')), timeUnit: withUnit[2] };
    return channelRow(channel, time, parseFeeCell(cell.slice(withUnit[0].length)));
  }
  for (const words of TIME_NOT_GIVEN) {
    if (!cell.startsWith(words)) continue;
    const fee = parseFeeCell(cell.slice(words.length));
    // "Không phải trả kết quả…" is a sentence, not the word "Không" followed by the fee cell.
    if (fee.recognised || words === NO_INFO) return channelRow(channel, NO_TIME, fee, words === NO_INFO ? undefined : words);
  }
  const bare = /^\d+/.exec(cell);
  if (bare) {
    const after = cell.slice(bare[0].length);
    const fee = parseFeeCell(after);
    if (fee.recognised && !isDigit(after[0]) && !/^\s*[.,]?\d/.test(after) && !FEE_AMOUNT.test(cell)) {
      // unit lost, but the fee cell starts with words ("1Miễn phí"): the number is the time.
      return channelRow(channel, { timeValue: Number(bare[0]), timeUnit: null }, fee);
    }
    const split = splitTimeFromAmount(channel, cell);
    if (split) return split;
  }
  // Free-text time cell ("Hệ thống … phản hồi tự động …Không có thông tin…").
  const feeStart = FEE_START_ANYWHERE.exec(cell);
  if (feeStart && feeStart.index > 0) {
    return channelRow(channel, NO_TIME, parseFeeCell(cell.slice(feeStart.index)), cell.slice(0, feeStart.index).trim());
  }
  return channelRow(channel, NO_TIME, parseFeeCell(cell));
}

/** "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíDịch vụ bưu chính…" → rows. */
export function parseChannelTable(value: string): ChannelTerms[] {
  const text = value.startsWith(CHANNEL_HEADER) ? value.slice(CHANNEL_HEADER.length) : value;
  const starts = [...text.matchAll(CHANNEL_ROW_START)];
  return starts.map((m, i) => {
    const label = m[1]!;
    const cellStart = m.index + label.length;
    const cellEnd = i + 1 < starts.length ? starts[i + 1]!.index : text.length;
    return parseChannelRow(CHANNEL_BY_LABEL[label]!, text.slice(cellStart, cellEnd));
  });
}

// ---------------------------------------------------------------------------
// "Trình tự thực hiện": steps
// ---------------------------------------------------------------------------

/** "Bước N" opening a line, a sentence, a bullet ("… - Bước 1") or a heading ("… Bước 1:"), not "tại Bước 2 và…" inside a sentence. */
const STEP_MARKER = /(?:^|(?<=\n[ \t]*)|(?<=[.;:!?)][ \t]*))(?:(?:[-+*]+|[a-zđ]\))[ \t]*)?(?=Bước\s*\d+)|(?<=\s)(?:[-+*]+|[a-zđ]\))[ \t]*(?=Bước\s*\d+)|(?<=\s)(?=Bước\s*\d+\s*:)/gu;

type LineMarker = 'dash' | 'plus' | 'star' | 'number' | 'letter' | null;

function lineMarker(line: string): LineMarker {
  if (/^-/.test(line)) return 'dash';
  if (/^\+/.test(line)) return 'plus';
  if (/^\*/.test(line)) return 'star';
  if (/^\d+(?:\.\d+)*[.)]\s/.test(line)) return 'number';
  if (/^[a-zđ]\)\s/u.test(line)) return 'letter';
  return null;
}

/** Splits before every "Bước N" (inline or on its own line). */
function splitOnStepWords(text: string): string[] {
  const cuts: number[] = [0];
  for (const m of text.matchAll(STEP_MARKER)) {
    const previous = cuts[cuts.length - 1]!;
    // "a) Bước 1:" can match both before "a)" and before "Bước": keep the label with its step
    if (m.index > previous && !/^\s*(?:[-+*•]+|[a-zđ]\))?\s*$/u.test(text.slice(previous, m.index))) cuts.push(m.index);
  }
  return cuts.map((start, i) => text.slice(start, cuts[i + 1] ?? text.length));
}

/**
 * Splits on the first kind of list marker used ("- ", "1.", "a)"); lines with another
 * marker or none continue the current item. Without markers every line is an item.
 */
function splitOnLineMarkers(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const top = lines.map(lineMarker).find((m) => m !== null && m !== 'star') ?? null;
  if (top === null) return lines;
  const items: string[] = [];
  for (const line of lines) {
    const marker = lineMarker(line);
    if (items.length === 0 || marker === top || marker === 'star') items.push(line);
    else items[items.length - 1] += `\n${line}`;
  }
  return items;
}

/** "Bước 1: …\nBước 2: …" or "- …\n- …" → one string per step, text intact. */
export function splitSteps(value: string): string[] {
  const text = textOrNull(value);
  if (!text) return [];
  const pieces = /Bước\s*\d+/u.test(text) ? splitOnStepWords(text) : splitOnLineMarkers(text);
  return pieces
    .map((p) => stripBullet(p.replace(/^[-+*]+\s*(?=Bước)/u, '')).replace(/[ \t]+\n/g, '\n').trim())
    .filter((p) => !/^[-+*•.\s]*$/u.test(p));
}

// ---------------------------------------------------------------------------
// "Thành phần hồ sơ": document groups
// ---------------------------------------------------------------------------

const DOCUMENT_HEADER = 'Tên giấy tờMẫu đơn, tờ khaiSố lượng';
/** The "Số lượng" cell as the scraper wrote it: "1 bản chính" or "0 bản chính,1 bản sao". */
const QUANTITY_CELL = /(\d+) bản chính(?:,(\d+) bản sao)?/g;
const FORM_FILE = /\.(?:docx?|DOCX?|Docx?|pdf|PDF|xlsx?|XLSX?|rar|zip)(?!\p{Ll})/gu;
const TYPICAL_FORM_START = /^(?:Mẫu|mẫu|MẪU|Mau|MAU|mau|Phụ lục|Phu luc|PHỤ LỤC|Phuluc|PL|PHLC|TK|Mus|Biểu mẫu|Bieu mau|BM)/u;

interface QuantityCell {
  start: number;
  end: number;
  originals: number;
  copies: number | null;
}

/**
 * Finds the quantity cells, skipping the same words used in prose
 * ("nộp 02 bản chính tờ khai", "(01 bản chính)", ": 01 bản chính1 bản chính").
 */
function findQuantityCells(text: string): QuantityCell[] {
  const cells: QuantityCell[] = [];
  for (const m of text.matchAll(QUANTITY_CELL)) {
    let start = m.index;
    let digits = m[1]!;
    const end = start + m[0].length;
    const before = text[start - 1];
    const after = text[end];
    if (after === ' ' || after === '\u00a0') continue;
    if (before === '(') continue;
    if (isSpace(before) && after !== undefined && /[;.,)]/.test(after)) continue;
    if (/^\d+ bản chính/.test(text.slice(end))) continue;
    // "theo Mẫu số 181 bản chính" = "Mẫu số 18" + "1 bản chính", "ngày 01/01/20261 bản chính":
    // across the whole listing a multi-digit count is always such glue, so the count is the last digit.
    if (digits.length > 1) {
      start += digits.length - 1;
      digits = digits.slice(-1);
    }
    cells.push({ start, end, originals: Number(digits), copies: m[2] !== undefined ? Number(m[2]) : null });
  }
  return cells;
}

/** Where the first form file name starts, or -1 when it cannot be told from the document name. */
function formStart(text: string, firstExtension: number): number {
  const windowStart = Math.max(0, firstExtension - 160);
  const strong: number[] = [];
  const weak: number[] = [];
  for (let i = Math.max(1, windowStart); i < firstExtension; i++) {
    const prev = text[i - 1];
    const ch = text[i];
    if (isSpace(prev)) continue;
    const glued = isLower(prev) && isUpper(ch);
    const camel = isUpper(prev) && isUpper(ch) && isLower(text[i + 1]);
    // "năm 2026Mẫu số 11.docx", "TT-BTCMẪU Phụ lục III.docx"
    const typicalGlued = (isDigit(prev) || isUpper(prev)) && TYPICAL_FORM_START.test(text.slice(i));
    // "theo quy định1.4. Don de nghi.docx", "cá nhân7-Mẫu NA6.doc"
    const numberedFile = isLower(prev) && /^\d+(?:\.\d+)*(?:[.-]\s?\p{L}|\.(?:docx?|pdf))/u.test(text.slice(i));
    if (glued || camel || typicalGlued || numberedFile) strong.push(i);
    else if (/[;:,)]/.test(prev ?? '') && (isLetter(ch) || isDigit(ch))) weak.push(i);
    else if (prev === '.' && (isLetter(ch) || (isDigit(ch) && !isDigit(text[i - 2])))) weak.push(i);
  }
  const typical = [...strong, ...weak].filter((i) => TYPICAL_FORM_START.test(text.slice(i))).sort((a, b) => a - b);
  if (typical.length > 0) return typical[0]!; // "(Mẫu D07).MauDon.docx": the file name may itself be camel-cased
  if (strong.length > 0) return strong[strong.length - 1]!;
  if (weak.length > 0) return weak[weak.length - 1]!;
  return -1;
}

/** Splits "…theo mẫuTK 1.002334.docx" into the document name and its form file name(s). */
export function splitNameAndForm(rowText: string): { name: string; form: string | null } {
  const text = rowText.trim();
  const extensions = [...text.matchAll(FORM_FILE)];
  const last = extensions[extensions.length - 1];
  if (!last || last.index + last[0].length !== text.length) return { name: text, form: null };
  const start = formStart(text, extensions[0]!.index);
  if (start <= 0) return { name: text, form: null };
  const name = text.slice(0, start).trim();
  const files: string[] = [];
  let from = start;
  for (const ext of extensions) {
    files.push(text.slice(from, ext.index + ext[0].length).trim());
    from = ext.index + ext[0].length;
  }
  if (name.length < 3 || files.some((f) => f.length < 5 || f.length > 160)) return { name: text, form: null };
  return { name, form: files.join('; ') };
}

function toDocument(rowText: string, originals: number | null, copies: number | null): ProcedureDocument | null {
  const { name, form } = splitNameAndForm(rowText.replace(/^[\s.,;:)]+/u, ''));
  const cleanName = stripBullet(name);
  if (cleanName === '') return null;
  return { name: cleanName, originals, copies, form };
}

function groupTitle(text: string): string | null {
  const title = text.trim().replace(/^-+$/, '').trim();
  return title === '' ? null : title;
}

/** Rows of one table body, plus the text after the last quantity cell. */
function splitDocumentRows(body: string): { documents: ProcedureDocument[]; tail: string } {
  const documents: ProcedureDocument[] = [];
  let from = 0;
  for (const cell of findQuantityCells(body)) {
    const doc = toDocument(body.slice(from, cell.start), cell.originals, cell.copies);
    if (doc) documents.push(doc);
    from = cell.end;
  }
  return { documents, tail: body.slice(from) };
}

/**
 * "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Văn bản …1 bản chính- …" → groups.
 * Each table header starts a group; the text just before it (after the previous row's
 * quantity) is the group's heading. Without any table header the field is not a document
 * table (the crawler sometimes saved the wrong section) and gives no documents.
 */
export function parseDocuments(value: string): DocumentGroup[] {
  if (!value.includes(DOCUMENT_HEADER)) return [];
  const parts = value.split(DOCUMENT_HEADER);
  const groups: DocumentGroup[] = [];
  const lead = splitDocumentRows(parts[0]!);
  if (lead.documents.length > 0) groups.push({ title: null, documents: lead.documents });
  let title = groupTitle(lead.tail);
  for (let i = 1; i < parts.length; i++) {
    const { documents, tail } = splitDocumentRows(parts[i]!);
    const isLast = i === parts.length - 1;
    if (isLast) {
      const trailing = toDocument(tail, null, null);
      if (trailing) documents.push(trailing);
    }
    if (documents.length > 0) groups.push({ title, documents });
    title = isLast ? null : groupTitle(tail);
  }
  return groups;
}

// ---------------------------------------------------------------------------
// "Căn cứ pháp lý": legal basis
// ---------------------------------------------------------------------------

const LEGAL_HEADER = 'Tên văn bản pháp lýMã văn bản';
/** Start of a document number: "123/2015/" or "163/" followed by the letter part. */
const LEGAL_CODE_START = /(\d+(?:\.\d+)?)\/(?:\d{4}\/)?(?=\p{Lu})/gu;
/** Letter groups seen in document numbers (type and issuer), used to find where a glued title starts. */
const KNOWN_CODE_GROUPS = new Set([
  'TT', 'NĐ', 'ND', 'CP', 'QĐ', 'QD', 'NQ', 'TTLT', 'PL', 'L', 'CTN', 'VBHN', 'CT', 'QH', 'UBTVQH', 'TTg',
  'BTC', 'BTP', 'BCA', 'BXD', 'BQP', 'BYT', 'BNV', 'BCT', 'BNG', 'BNNMT', 'BNNPTNT', 'BTNMT', 'BGTVT',
  'BKHĐT', 'BKHCN', 'BLĐTBXH', 'BVHTTDL', 'BGDĐT', 'BTTTT', 'BTM', 'NHNN', 'BHXH', 'VPCP', 'VPQH',
  'UBND', 'HĐND', 'HĐTP', 'TANDTC', 'VKSNDTC', 'KTNN', 'TTCP', 'UBDT', 'TCHQ', 'TCT', 'UBCKNN', 'TLĐ',
]);

function longestKnownPrefix(letters: string): string | null {
  for (let n = letters.length - 1; n >= 1; n--) {
    if (KNOWN_CODE_GROUPS.has(letters.slice(0, n))) return letters.slice(0, n);
  }
  return null;
}

/**
 * Reads the letter part of a document number ("NĐ-CP", "QH13", "QĐ-BCA-C06") from `from`
 * and returns where it ends. Handles the glue the scraper left: "NĐ-CPQuy định" (title
 * starts with a capital), "QH1352/2014/QH13" (next number starts with digits),
 * "NĐ-CPQUY ĐỊNH" (all-caps title).
 */
function readCodeSuffix(text: string, from: number): number {
  let pos = from;
  for (;;) {
    const letters = /^\p{Lu}+/u.exec(text.slice(pos))?.[0];
    if (!letters) return pos;
    const end = pos + letters.length;
    const next = text[end];
    if (letters.endsWith('TT') && next === 'g' && !isLower(text[end + 1])) return end + 1; // QĐ-TTg
    const continues = (next === '-' || next === '/') && isUpper(text[end + 1]);
    if (!KNOWN_CODE_GROUPS.has(letters) && !continues && !isDigit(next)) {
      // the code ends inside this run of capitals: "CPQuy định", "CPQUY ĐỊNH", "CP-Quy định"
      let keep = letters.length;
      if (isLower(next) && KNOWN_CODE_GROUPS.has(letters.slice(0, -1))) keep = letters.length - 1;
      else if (longestKnownPrefix(letters)) keep = longestKnownPrefix(letters)!.length;
      else if (isLower(next)) keep = letters.length - 1;
      if (keep === 0) return pos > from ? pos - 1 : pos; // drop the dangling "-"
      return pos + keep;
    }
    const digits = /^\d+/.exec(text.slice(end))?.[0] ?? '';
    let after = end;
    if (digits) {
      // "QH13", "BCA-C06" carry two digits; any other digits glued on start the next number.
      const keep = letters.endsWith('QH') || letters.length === 1 ? Math.min(2, digits.length) : 0;
      after += keep;
      if (keep < digits.length) return after;
    }
    if ((text[after] === '-' || text[after] === '/') && isUpper(text[after + 1])) {
      pos = after + 1;
      continue;
    }
    if (text[after] === '-' && text[after + 1] === ' ' && /^\p{Lu}+-/u.test(text.slice(after + 2))) {
      pos = after + 2; // "21/2008/TTLT- BQP-BLĐTBXH-BTC"
      continue;
    }
    return after;
  }
}

interface CodeSpan {
  start: number;
  end: number;
}

/** Every document number in the text, in order: "123/2015/NĐ-CP", "163/QĐ-BTP", and a bare "167/2025" glued to a title. */
function findLegalCodes(text: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  const re = new RegExp(LEGAL_CODE_START.source, LEGAL_CODE_START.flags);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let start = m.index;
    // "năm 201102/2011/QH13" / "năm 2001.22/2025/TT-BXD" = title ending in a year + the number
    if (/^(?:19|20)\d\d(?:\d|\.\d)/.test(m[1]!)) start += m[1]![4] === '.' ? 5 : 4;
    const end = readCodeSuffix(text, m.index + m[0].length);
    spans.push({ start, end });
    re.lastIndex = Math.max(end, m.index + 1);
  }
  for (const bare of text.matchAll(/(?<=\p{L})\d{1,4}\/\d{4}(?=$|\p{Lu})/gu)) {
    if (!spans.some((s) => bare.index < s.end && s.start < bare.index + bare[0].length)) {
      spans.push({ start: bare.index, end: bare.index + bare[0].length });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Numbers written back to back ("…QH1352/2014/QH13…") form one run. */
function groupRuns(spans: CodeSpan[]): CodeSpan[][] {
  const runs: CodeSpan[][] = [];
  for (const span of spans) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && last.end === span.start) run.push(span);
    else runs.push([span]);
  }
  return runs;
}

/** Words that open the title of a legal document. */
const LEGAL_TITLE_START = /^\s+(?:Bộ luật|Luật|Hiến pháp|Nghị định|Nghị quyết|Thông tư|Quyết định|Pháp lệnh|Chỉ thị|Lệnh|Văn bản|Công văn)\s/u;

/**
 * A run ends a table row when the next title starts right after it (no space), when a space
 * and a document type follow ("…18/2026/NĐ-CP Nghị định quy định…"), or when the text ends.
 */
function endsRow(text: string, run: CodeSpan[]): boolean {
  const end = run[run.length - 1]!.end;
  const next = text[end];
  if (/^(?:ngày|của)[\s\d]/u.test(text.slice(end, end + 6))) return false; // "53/2025/TT-BCAngày 01/7/2025": a space lost inside a title
  if (end >= text.length || isLetter(next) || next === '“' || next === '"') return true;
  return LEGAL_TITLE_START.test(text.slice(end, end + 20));
}

/** Cyrillic capitals typed by mistake inside document numbers ("TT-BTС" with a Cyrillic С). */
const CYRILLIC_LOOKALIKES: Record<string, string> = {
  А: 'A', В: 'B', С: 'C', Е: 'E', Н: 'H', К: 'K', М: 'M', О: 'O', Р: 'P', Т: 'T', Х: 'X',
};

/** A cell written as "Luật số 146/2025/QH15" glued to the previous title: the words belong to the cell. */
const CELL_PREFIX = /(?<=[\p{Ll}\d.;:)\]”"])(?:(?:Bộ luật|Luật|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Pháp lệnh|Văn bản hợp nhất|Lệnh|Chỉ thị|NĐ|TT|QĐ|NQ)\s*(?:số\s*)?|[Ss]ố\s*)$/u;

/** A title that is nothing but the words of a cell prefix ("số ", "Luật số "). */
const CELL_PREFIX_ONLY = /^\s*(?:(?:Bộ luật|Luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Pháp lệnh|NĐ|TT|QĐ|NQ)\s*)?(?:[Ss]ố)?\s*$/u;

/** The previous entry is only "<prefix words> <same number>": it was the title of the next row. */
function isTitleOfNext(previous: LegalBasis | undefined, code: string): boolean {
  return previous !== undefined && previous.number === code && CELL_PREFIX_ONLY.test(previous.title);
}

/**
 * "Tên văn bản pháp lýMã văn bảnLuật Hộ tịch60/2014/QH13Nghị định…123/2015/NĐ-CP" → pairs.
 * The "Mã văn bản" cell is the number glued to the start of the next title (or ending the
 * text); numbers followed by a space or punctuation are quoted inside a title. In a run of
 * numbers written back to back, the first belongs to the title when a space precedes it
 * ("Luật 52/2014/QH13" + "52/2014/QH13"); the rest are rows whose title is empty or is
 * the number itself.
 */
export function parseLegalBasis(value: string): LegalBasis[] {
  const raw = value.trim();
  if (raw === '' || raw.startsWith(NO_INFO)) return [];
  const headerAt = raw.indexOf(LEGAL_HEADER);
  const body = headerAt >= 0 ? raw.slice(headerAt + LEGAL_HEADER.length) : raw;
  const text = body.replace(/[\u0400-\u04FF]/gu, (ch) => CYRILLIC_LOOKALIKES[ch] ?? ch);
  const entries: LegalBasis[] = [];
  const codeOf = (s: CodeSpan) => text.slice(s.start, s.end);
  let titleStart = 0;
  for (const run of groupRuns(findLegalCodes(text))) {
    if (run[0]!.start < titleStart || !endsRow(text, run)) continue;
    let title = text.slice(titleStart, run[0]!.start);
    const prefix = CELL_PREFIX.exec(title);
    let next = 0;
    if (prefix && prefix.index > 0) {
      title = title.slice(0, prefix.index);
    } else if (run.length >= 2 && (isSpace(text[run[0]!.start - 1]) || title.trim() === '')) {
      title += codeOf(run[0]!);
      next = 1;
    } else if (CELL_PREFIX_ONLY.test(title) && isTitleOfNext(entries[entries.length - 1], codeOf(run[0]!))) {
      // "59/2025/TT-NHNNsố 59/2025/TT-NHNN", "Nghị định số 181/2024/NĐ-CPNghị định số 181/2024/NĐ-CP":
      // what looked like the previous row is this row's title
      const previous = entries.pop()!;
      title = `${previous.title} ${previous.number}`;
    }
    entries.push({ number: codeOf(run[next]!), title: collapseWhitespace(title).replace(/^[:\s]+/, '') });
    for (let i = next + 1; i < run.length; i++) {
      const code = codeOf(run[i]!);
      const twin = run[i + 1] && codeOf(run[i + 1]!) === code;
      entries.push({ number: code, title: twin ? code : '' });
      if (twin) i++;
    }
    titleStart = run[run.length - 1]!.end;
  }
  const trailing = collapseWhitespace(text.slice(titleStart));
  if (trailing !== '') entries.push({ number: null, title: trailing });
  return entries;
}

// ---------------------------------------------------------------------------
// "Kết quả xử lý"
// ---------------------------------------------------------------------------

/** Portal UI text that the scraper appended after the result list. */
const RESULT_UI_TEXT = /Từ khóa|Chọn cơ quan thực hiện/u;
/** "Mã: KQ.G15.000032", "Mã: 1.000.00.G12-KQ1234", "Mã: VBTT". */
const RESULT_CODE = /Mã:\s*(?:[A-Z0-9.-]*\d|[A-Z]+(?!\p{Ll}))/gu;

/** "Giấy chứng nhận kết hônMã: KQ.G15.000032Từ khóa…Nộp hồ sơ" → "Giấy chứng nhận kết hôn" (one result per line). */
export function cleanResult(value: string): string | null {
  const ui = RESULT_UI_TEXT.exec(value);
  const head = ui ? value.slice(0, ui.index) : value;
  if (/\d bản chính/.test(head)) return null; // the crawler saved the document table here
  const names = head
    .split(RESULT_CODE)
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== NO_INFO);
  return names.length > 0 ? names.join('\n') : null;
}

// ---------------------------------------------------------------------------
// Record → Procedure
// ---------------------------------------------------------------------------

const optionalText = z.string().nullish().transform((v) => v ?? '');

/** The listing's raw record; only the identifying fields are required. */
export const ListingRecordSchema = z.object({
  ma_thu_tuc: z.string().min(1),
  ten_thu_tuc: z.string().min(1),
  detail_url: z.string().min(1),
  cap_thuc_hien: z.string(),
  so_quyet_dinh: optionalText,
  loai_thu_tuc: optionalText,
  linh_vuc: optionalText,
  doi_tuong_thuc_hien: optionalText,
  co_quan_co_tham_quyen: optionalText,
  co_quan_thuc_hien: optionalText,
  dia_chi_tiep_nhan: optionalText,
  co_quan_duoc_uy_quyen: optionalText,
  co_quan_phoi_hop: optionalText,
  thu_tuc_lien_quan: optionalText,
  trinh_tu_thuc_hien: optionalText,
  cach_thuc_thuc_hien: optionalText,
  thanh_phan_ho_so: optionalText,
  can_cu_phap_ly: optionalText,
  yeu_cau_dieu_kien: optionalText,
  ket_qua_xu_ly: optionalText,
  _bo_nganh: optionalText,
  _qc_code_mismatch: z.boolean().nullish(),
});
export type ListingRecord = z.infer<typeof ListingRecordSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`)
    .join('; ');
}

export function listingRecordToProcedure(record: ListingRecord): unknown {
  return {
    code: record.ma_thu_tuc.trim(),
    title: collapseWhitespace(record.ten_thu_tuc),
    levels: splitLevels(record.cap_thuc_hien),
    field: textOrNull(record.linh_vuc),
    kind: textOrNull(record.loai_thu_tuc),
    targets: splitTargets(record.doi_tuong_thuc_hien),
    competentAgency: textOrNull(record.co_quan_co_tham_quyen),
    executingAgency: textOrNull(record.co_quan_thuc_hien),
    receivingAddress: textOrNull(record.dia_chi_tiep_nhan),
    authorisedAgency: textOrNull(record.co_quan_duoc_uy_quyen),
    coordinatingAgency: textOrNull(record.co_quan_phoi_hop),
    channels: parseChannelTable(record.cach_thuc_thuc_hien),
    steps: splitSteps(record.trinh_tu_thuc_hien),
    documentGroups: parseDocuments(record.thanh_phan_ho_so),
    conditions: textOrNull(record.yeu_cau_dieu_kien),
    legalBasis: parseLegalBasis(record.can_cu_phap_ly),
    result: cleanResult(record.ket_qua_xu_ly),
    relatedProcedures: textOrNull(record.thu_tuc_lien_quan),
    url: record.detail_url.trim(),
    decision: textOrNull(record.so_quyet_dinh),
    source: textOrNull(record._bo_nganh),
  };
}

/**
 * About a fifth of the records mix decomposed (NFD) Vietnamese into otherwise composed text;
 * NFC makes "Mẫu", "bản chính"… match whatever form they were typed in. The text is
 * canonically the same, so fee cells and descriptions stay verbatim in meaning.
 */
export function composeStrings(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key, typeof value === 'string' ? value.normalize('NFC') : value]),
  );
}

/** One JSON object of the national listing → a validated Procedure, or the reason it was rejected. */
export function parseListingRecord(raw: unknown): ParseResult {
  const record = ListingRecordSchema.safeParse(composeStrings(raw));
  if (!record.success) return { ok: false, reason: `malformed record: ${describeIssues(record.error)}`, problem: { kind: 'record', issues: record.error.issues } };
  if (record.data._qc_code_mismatch === true) {
    const code = record.data.ma_thu_tuc.trim();
    return { ok: false, reason: `code mismatch: the saved page for ${code} is another procedure`, problem: { kind: 'code_mismatch', code } };
  }
  const procedure = ProcedureSchema.safeParse(listingRecordToProcedure(record.data));
  if (!procedure.success) return { ok: false, reason: `invalid procedure: ${describeIssues(procedure.error)}`, problem: { kind: 'procedure', issues: procedure.error.issues } };
  return { ok: true, procedure: procedure.data };
}

/**
 * JSON lines → procedures, with `parseRecord` reading each object (every importer shares this). Blank lines are
 * skipped; a line that is not JSON or does not validate is reported with its 1-based number and skipped whole; a
 * repeated code keeps the first occurrence and reports the later line.
 */
export function parseJsonLinesWith(text: string, parseRecord: (raw: unknown) => ParseResult): ListingImport {
  const procedures: Procedure[] = [];
  const errors: ListingImport['errors'] = [];
  const firstLineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      errors.push({ line: lineNo, reason: `bad JSON: ${(e as Error).message}` });
      return;
    }
    const parsed = parseRecord(raw);
    if (!parsed.ok) {
      errors.push({ line: lineNo, reason: parsed.reason });
      return;
    }
    const first = firstLineOf.get(parsed.procedure.code);
    if (first !== undefined) {
      errors.push({ line: lineNo, reason: `duplicate code ${parsed.procedure.code} (first at line ${first})` });
      return;
    }
    firstLineOf.set(parsed.procedure.code, lineNo);
    procedures.push(parsed.procedure);
  });
  return { procedures, errors };
}

/** The national listing's JSON lines → procedures (see `parseJsonLinesWith`). */
export function parseListingText(text: string): ListingImport {
  return parseJsonLinesWith(text, parseListingRecord);
}
