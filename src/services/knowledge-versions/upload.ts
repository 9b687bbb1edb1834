/**
 * Reading an uploaded listing as it arrives, line by line: the national listing, the portal's API records or the
 * defence ministry's export (told apart by the first recognisable line, as `npm run ingest -- --from` does). Only a
 * request body is ever read — never a path — and compressed or binary bodies are refused before any parsing.
 */
import { looksLikeBqpRecord, parseBqpRecord } from '../../knowledge/bqp-parser.ts';
import { type ParseResult, parseListingRecord } from '../../knowledge/listing-parser.ts';
import type { Origin } from '../../knowledge/merge-sources.ts';
import { looksLikePortalRecord, parsePortalRecord } from '../../knowledge/portal-parser.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import type { SourceFormat } from '../../knowledge/source-format.ts';
import { lineReason, notARecordReason } from './line-reasons.ts';

/** The largest body the import route reads (the national listing is about 21 MB). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** At most this many line errors are kept and answered; `errorCount` has them all. */
export const MAX_REPORTED_ERRORS = 1000;

export interface LineError {
  /** 1-based line number in the uploaded body. */
  line: number;
  reason: string;
}

/** A skipped line's developer detail (the parser's English reason), for the server log only. */
export interface LineDetail {
  line: number;
  detail: string;
}

/** At most this many line details are logged per upload. */
const MAX_LOGGED_DETAILS = 50;

export interface ParsedUpload {
  /** `local`: the commune's own CSV list (local-csv.ts). */
  format: SourceFormat | 'local';
  origin: Origin;
  procedures: Procedure[];
  errors: LineError[];
  errorCount: number;
  /** The first skipped lines' developer detail: logged, never shown. */
  details: LineDetail[];
  /** Non-blank lines read. */
  lines: number;
}

export type UploadErrorCode = 'payload_too_large' | 'unsupported_media_type' | 'bad_request';

/** A body that cannot be imported at all: answered with its code and the Vietnamese message. */
export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    /** The bad lines, when every line was bad. */
    readonly errors?: LineError[],
  ) {
    super(message);
  }
}

export const UPLOAD_MESSAGES = {
  tooLarge: `Tệp quá lớn: tối đa ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`,
  mediaType:
    'Chỉ nhận tệp danh mục dạng JSON Lines (Content-Type: application/x-ndjson), mỗi dòng một thủ tục, hoặc danh sách thủ tục riêng của địa phương dạng CSV (Content-Type: text/csv).',
  compressed: 'Không nhận tệp nén hoặc tệp nhị phân: hãy gửi nội dung tệp JSON Lines chưa nén.',
  empty: 'Tệp không có dòng nào.',
  unknownFormat:
    'Không nhận ra định dạng tệp (danh mục thủ tục quốc gia, API Cổng Dịch vụ công quốc gia hoặc Bộ Quốc phòng) và không đọc được thủ tục nào; cơ sở tri thức giữ nguyên.',
  nothingRead: 'Không đọc được thủ tục nào trong tệp; cơ sở tri thức giữ nguyên.',
  /** Excel's "CSV (Comma delimited)" writes the computer's Windows code page (1258 or 1252), not UTF-8. */
  notUtf8Csv: (line: number) =>
    `Tệp CSV không được lưu theo bảng mã UTF-8: từ dòng ${line} có chữ không đọc được (ví dụ “Thủ tục” thành “Th� t�c”), nên tệp không được nhận và cơ sở tri thức giữ nguyên. Thường là do Excel lưu kiểu “CSV (Comma delimited)”. Hãy mở tệp trong Excel, chọn File › Save As (Tệp › Lưu thành), ở “Save as type” chọn “CSV UTF-8 (Comma delimited) (*.csv)”, lưu rồi tải lên lại.`,
  notUtf8: (line: number) =>
    `Tệp không được lưu theo bảng mã UTF-8: từ dòng ${line} có chữ không đọc được, nên tệp không được nhận và cơ sở tri thức giữ nguyên. Hãy lưu lại tệp với bảng mã UTF-8 rồi tải lên lại.`,
} as const;

export const LINE_MESSAGES = {
  notJson:
    'Dòng không phải JSON hợp lệ: mỗi dòng phải là trọn một bản ghi {…}. Hãy kiểm tra dòng này có bị cắt ngang, xuống dòng giữa chừng hoặc thiếu dấu ngoặc, rồi tải lên lại.',
} as const;

const PARSERS: Record<SourceFormat, (raw: unknown) => ParseResult> = { listing: parseListingRecord, portal: parsePortalRecord, bqp: parseBqpRecord };
const ORIGINS: Record<SourceFormat, Origin> = { listing: 'listing', portal: 'portal', bqp: 'bqp' };

function formatOf(raw: unknown): SourceFormat | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  if ('ma_thu_tuc' in raw && 'ten_thu_tuc' in raw) return 'listing';
  if (looksLikeBqpRecord(raw)) return 'bqp';
  if (looksLikePortalRecord(raw)) return 'portal';
  return null;
}

/** gzip, zip, 7z, bzip2, xz, rar, PDF: not a text listing. */
const MAGIC = [[0x1f, 0x8b], [0x50, 0x4b, 0x03, 0x04], [0x37, 0x7a, 0xbc, 0xaf], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58], [0x52, 0x61, 0x72, 0x21], [0x25, 0x50, 0x44, 0x46]];

function looksBinary(head: Buffer): boolean {
  if (MAGIC.some((m) => m.every((b, i) => head[i] === b))) return true;
  return head.subarray(0, 4096).includes(0);
}

/**
 * The body's lines as they arrive (1-based numbers), refusing more than `maxBytes`, binary content and text that is
 * not UTF-8: a byte sequence UTF-8 cannot decode, or U+FFFD already in the text (a file mis-decoded and saved again).
 * Read as Windows-1258 it would import "Th� t�c" into what citizens are told. `csv` words the refusal for Excel.
 */
export async function* bodyLines(body: AsyncIterable<Buffer | string>, maxBytes = MAX_UPLOAD_BYTES, opts: { csv?: boolean } = {}): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let rest = '';
  let line = 0;
  let first = true;
  const notUtf8 = (before: string) => {
    const at = line + 1 + (before.match(/\n/g)?.length ?? 0);
    return new UploadError('bad_request', opts.csv ? UPLOAD_MESSAGES.notUtf8Csv(at) : UPLOAD_MESSAGES.notUtf8(at));
  };
  const decode = (chunk?: Buffer): string => {
    let text: string;
    try {
      text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      const lenient = chunk ? new TextDecoder('utf-8').decode(chunk) : '\uFFFD';
      throw notUtf8(rest + lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))));
    }
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) throw notUtf8(rest + text.slice(0, bad));
    return text;
  };
  for await (const piece of body) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (first && chunk.length > 0) {
      if (looksBinary(chunk)) throw new UploadError('unsupported_media_type', UPLOAD_MESSAGES.compressed);
      first = false;
    }
    bytes += chunk.length;
    if (bytes > maxBytes) throw new UploadError('payload_too_large', UPLOAD_MESSAGES.tooLarge);
    if (chunk.includes(0)) throw new UploadError('unsupported_media_type', UPLOAD_MESSAGES.compressed);
    const parts = (rest + decode(chunk)).split('\n');
    rest = parts.pop()!;
    for (const p of parts) yield { line: ++line, text: p.endsWith('\r') ? p.slice(0, -1) : p };
  }
  rest += decode();
  if (rest !== '') yield { line: ++line, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest };
}

/** What one upload keeps while it reads: the records, the bad lines (the first thousand, all counted), codes seen. */
export class UploadCollector {
  readonly procedures: Procedure[] = [];
  readonly errors: LineError[] = [];
  readonly details: LineDetail[] = [];
  errorCount = 0;
  private readonly firstLineOf = new Map<string, number>();

  /** `reason` for the officer (Vietnamese); `detail`, when a developer needs more, for the log. */
  fail(line: number, reason: string, detail?: string): void {
    this.errorCount++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ line, reason });
    if (detail !== undefined && this.details.length < MAX_LOGGED_DETAILS) this.details.push({ line, detail });
  }

  /** Keeps the record, or reports a code already read. Its model is computed later, only if it is stored (the comparison leaves it out). */
  add(line: number, procedure: Procedure): void {
    const first = this.firstLineOf.get(procedure.code);
    if (first !== undefined) return this.fail(line, `Trùng mã ${procedure.code} với dòng ${first}: dòng này bị bỏ qua, chỉ giữ bản ghi ở dòng ${first}. Nếu là hai thủ tục khác nhau, hãy sửa mã của một dòng rồi tải lên lại.`);
    this.firstLineOf.set(procedure.code, line);
    this.procedures.push(procedure);
  }

  result(format: ParsedUpload['format'], origin: Origin, lines: number): ParsedUpload {
    if (this.procedures.length === 0) throw new UploadError('bad_request', UPLOAD_MESSAGES.nothingRead, this.errors);
    const errors = [...this.errors].sort((a, b) => a.line - b.line);
    return { format, origin, procedures: this.procedures, errors, errorCount: this.errorCount, details: this.details, lines };
  }
}

/**
 * Parses the lines of one source: blank lines skipped; a line that is not JSON, does not validate or repeats a code
 * is reported with its number and skipped. Lines before the first recognisable record wait until the format is
 * known.
 */
export async function parseUpload(lines: AsyncIterable<{ line: number; text: string }>): Promise<ParsedUpload> {
  const out = new UploadCollector();
  const fail = (line: number, reason: string, detail?: string) => out.fail(line, reason, detail);
  let read = 0;
  let format: SourceFormat | null = null;
  let waiting: { line: number; raw: unknown }[] = [];
  const take = (line: number, raw: unknown) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail(line, notARecordReason(raw));
    const parsed = PARSERS[format!](raw);
    if (!parsed.ok) return fail(line, lineReason(parsed.problem, raw), parsed.reason);
    out.add(line, parsed.procedure);
  };
  for await (const { line, text } of lines) {
    if (text.trim() === '') continue;
    read++;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      fail(line, LINE_MESSAGES.notJson, String((err as Error).message));
      continue;
    }
    if (!format) {
      format = formatOf(raw);
      if (!format) {
        waiting.push({ line, raw });
        continue;
      }
      for (const w of waiting) take(w.line, w.raw);
      waiting = [];
    }
    take(line, raw);
  }
  if (read === 0) throw new UploadError('bad_request', UPLOAD_MESSAGES.empty);
  if (!format) throw new UploadError('bad_request', UPLOAD_MESSAGES.unknownFormat);
  return out.result(format, ORIGINS[format], read);
}
