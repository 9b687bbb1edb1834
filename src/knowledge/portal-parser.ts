/**
 * Importer for the national portal's own API detail records (dichvucong.gov.vn, one JSON object per line, as in
 * `dvcqg-api/details_missing_cap_xa.jsonl` and `haiphong/details.jsonl`).
 *
 * Unlike the scraped listing these records are structured: one row per channel and case with a time unit, fee
 * amounts in VND, documents with their quantities. The text is kept as the portal states it; only whitespace is
 * tidied, Unicode is composed (NFC) and HTML tags, if any, are dropped.
 */
import { z } from 'zod';
import {
  type Channel,
  type ChannelTerms,
  type DocumentGroupSchema,
  type DocumentSchema,
  type LegalBasis,
  ProcedureSchema,
} from './procedure.ts';
import { type ListingImport, type ParseResult, parseJsonLinesWith, splitSteps } from './listing-parser.ts';

/** The procedure's page on the national portal, from the record's own `id`. */
export const PORTAL_PAGE = 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/';

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

const HTML_BREAK = /<(?:br|\/p|\/div|\/li|\/tr)\b[^<>]*>/giu;
const HTML_TAG = /<\/?[a-zA-Z][^<>]*>/gu;
const HTML_ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/gu;

/** NFC, no HTML tags or invisible characters; line breaks kept. */
function plain(value: string): string {
  return value
    .normalize('NFC')
    .replace(HTML_BREAK, '\n')
    .replace(HTML_TAG, '')
    .replace(/&(?:nbsp|amp|lt|gt|quot|#39);/gu, (e) => HTML_ENTITIES[e] ?? e)
    .replace(INVISIBLE, '');
}

/** One line: every run of whitespace (tabs, line breaks) becomes one space. */
export function oneLine(value: string | null | undefined): string {
  return plain(value ?? '').replace(/\s+/gu, ' ').trim();
}

/** Several lines: each line trimmed with its spaces and tabs collapsed, empty lines dropped. */
export function tidyLines(value: string | null | undefined): string {
  return plain(value ?? '')
    .split(/\r?\n/u)
    .map((line) => line.replace(/\s+/gu, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

const orNull = (s: string): string | null => (s === '' ? null : s);

/** Names of a list of portal objects ({ name }), some of which may be null; empty names and repeats dropped. */
function names(...lists: ({ name?: string | null } | null)[][]): string[] {
  const out: string[] = [];
  for (const item of lists.flat()) {
    const name = oneLine(item?.name);
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Record schema: only what is mapped; everything optional so that one odd field rejects nothing
// ---------------------------------------------------------------------------

const str = z.string().nullish();
const bool = z.boolean().nullish();
const named = z.object({ name: str }).passthrough().nullable();
const namedList = z.array(named).nullish().transform((v) => v ?? []);

const FeeSchema = z
  .object({ type: str, value: z.union([z.number(), z.string()]).nullish(), currencyName: str, description: str })
  .passthrough();

const MethodSchema = z
  .object({
    submissionMethod: str,
    processingTime: z.union([z.number(), z.string()]).nullish(),
    processingTimeUnit: str,
    description: str,
    fees: z.array(FeeSchema).nullish().transform((v) => v ?? []),
  })
  .passthrough();

const ComponentSchema = z
  .object({
    name: str,
    originalQty: z.number().nullish(),
    copyQty: z.number().nullish(),
    required: bool,
    hasElectronicForm: bool,
    attachments: z
      .array(z.object({ fileName: str }).passthrough().nullable())
      .nullish()
      .transform((v) => v ?? []),
  })
  .passthrough();

export const PortalRecordSchema = z
  .object({
    id: str,
    code: str,
    codeNotation: str,
    name: str,
    isInternal: bool,
    isWard: bool,
    isProvince: bool,
    isMinistry: bool,
    isOtherAgency: bool,
    isFullProcess: bool,
    formalityType: str,
    requirementsAndConditions: str,
    description: str,
    executionSteps: z
      .array(z.object({ name: str, description: str }).passthrough())
      .nullish()
      .transform((v) => v ?? []),
    executionMethods: z.array(MethodSchema).nullish().transform((v) => v ?? []),
    executionCases: z
      .array(
        z
          .object({ name: str, profileComponents: z.array(ComponentSchema).nullish().transform((v) => v ?? []) })
          .passthrough(),
      )
      .nullish()
      .transform((v) => v ?? []),
    categoriesDetails: namedList,
    category: named.optional(),
    subjectTypesDetails: namedList,
    legalBasisesDetails: z
      .array(z.object({ name: str, code: str }).passthrough())
      .nullish()
      .transform((v) => v ?? []),
    resultsDetails: namedList,
    departmentsExecuting: namedList,
    unitGroupsExecuting: namedList,
    departmentsAuthority: namedList,
    unitGroupsAuthority: namedList,
    departmentsAuthorized: namedList,
    unitGroupsAuthorized: namedList,
    departmentsCoordinating: namedList,
    unitGroupsCoordinating: namedList,
    executingAgencies: str,
    delegatedAgencies: str,
    authorizedAgencies: str,
    coordinatingAgencies: str,
    dossierReceivingAddresses: str,
    departmentPromulgateName: str,
    procedureProposal: z.object({ proposalNumber: str }).passthrough().nullish(),
    updatedAt: z.union([z.number(), z.string()]).nullish(),
  })
  .passthrough();
export type PortalRecord = z.infer<typeof PortalRecordSchema>;

/** Does this JSON object look like a portal detail record (for telling the export formats apart)? */
export function looksLikePortalRecord(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const r = raw as Record<string, unknown>;
  return ('code' in r || 'codeNotation' in r) && ('executionMethods' in r || 'executionCases' in r || 'isWard' in r);
}

// ---------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------

/** The level flags, in the listing's order and spelling. */
export function portalLevels(r: PortalRecord): string[] {
  const levels: string[] = [];
  if (r.isMinistry) levels.push('Cấp bộ');
  if (r.isProvince) levels.push('Cấp tỉnh');
  if (r.isWard) levels.push('Cấp xã');
  if (r.isOtherAgency) levels.push('Cơ quan khác');
  return levels;
}

/** `formalityType` in the listing's words for "Loại thủ tục". */
const KIND: Record<string, string> = {
  ASSIGNED_REGULATION: 'TTHC được giao luật quy định chi tiết',
  NOT_ASSIGNED_REGULATION: 'TTHC không được luật giao cho địa phương quy định',
  OTHER: 'Loại khác',
};

const CHANNEL: Record<string, Channel> = { DIRECT: 'truc_tiep', ONLINE: 'truc_tuyen', POSTAL: 'buu_chinh' };
const CHANNEL_ORDER: Channel[] = ['truc_tiep', 'truc_tuyen', 'buu_chinh'];

const TIME_UNIT: Record<string, string> = {
  WORKING_DAY: 'Ngày làm việc',
  DAY: 'Ngày',
  HOUR: 'Giờ',
  WORKING_HOUR: 'Giờ làm việc',
  WEEK: 'Tuần',
  MONTH: 'Tháng',
  YEAR: 'Năm',
  MINUTE: 'Phút',
};

/** 50000 → "50.000" (the way Vietnamese writes amounts). */
export function formatVnd(amount: number): string {
  return String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

type Time = Pick<ChannelTerms, 'timeValue' | 'timeUnit' | 'timeText'>;

/**
 * Number + unit; with `OTHER` the portal writes the time in words in `processingTime` (kept verbatim), and a bare
 * number there (0, 1) is a placeholder, not a time: nothing is derived from it, as the listing says "Không có thông tin".
 */
export function portalTime(value: number | string | null | undefined, unit: string | null | undefined): Time {
  const none: Time = { timeValue: null, timeUnit: null };
  const text = typeof value === 'string' ? oneLine(value) : '';
  const number = typeof value === 'number' ? value : /^\d+(?:[.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : null;
  if (unit === 'OTHER' || !unit) {
    return number === null && text ? { ...none, timeText: text } : none;
  }
  if (number === null) return text ? { ...none, timeText: text } : none;
  return { timeValue: number, timeUnit: TIME_UNIT[unit] ?? null };
}

interface Fee {
  feeText: string | null;
  feeAmounts: number[];
  /** Notes of free fees ("Không quy định"): the listing writes them after "Miễn phí", in the description. */
  notes: string[];
}

/**
 * The fee cell as the portal states it: "Miễn phí" when there is no fee or every fee is 0 (their notes go to the
 * row's description, as in the listing's "Miễn phí(Không quy định)"); otherwise each fee as "50.000 đồng" with its
 * own note, since tiers ("Dưới 100 thí sinh …") only make sense next to their amount.
 */
export function portalFees(fees: z.infer<typeof FeeSchema>[]): Fee {
  const rows = fees.map((f) => ({
    value: typeof f.value === 'number' ? f.value : Number(String(f.value ?? '').replace(/[.,\s]/g, '')) || 0,
    currency: oneLine(f.currencyName),
    note: oneLine(f.description).replace(/[;,]$/u, '').trim(),
  }));
  const charged = rows.filter((r) => r.value > 0);
  if (charged.length === 0) return { feeText: 'Miễn phí', feeAmounts: [], notes: rows.map((r) => r.note).filter(Boolean) };
  const isVnd = (c: string) => c === '' || /đồng|vnđ|vnd/iu.test(c);
  const parts = rows
    .filter((r) => r.value > 0 || r.note)
    .map((r) => {
      const amount = r.value > 0 ? `${formatVnd(r.value)} ${isVnd(r.currency) ? 'đồng' : r.currency}` : 'Miễn phí';
      return r.note ? `${amount} (${r.note})` : amount;
    });
  return {
    feeText: parts.join('; '),
    feeAmounts: charged.filter((r) => isVnd(r.currency)).map((r) => r.value),
    notes: [],
  };
}

/**
 * One row per `executionMethods` entry. A channel listed twice for two cases keeps both rows: the portal names the
 * case in each row's description ("Đối với trợ cấp một lần và mai táng"). Exact repeats are dropped; rows are
 * ordered by channel (in person, online, post), keeping the portal's order within a channel.
 */
export function portalChannels(methods: PortalRecord['executionMethods']): ChannelTerms[] {
  const rows: ChannelTerms[] = [];
  const seen = new Set<string>();
  for (const m of methods) {
    const channel = CHANNEL[m.submissionMethod ?? ''];
    if (!channel) continue;
    const fee = portalFees(m.fees);
    const description = [fee.notes.length ? `(${fee.notes.join('; ')})` : '', tidyLines(m.description)].filter(Boolean).join('\n');
    const row: ChannelTerms = {
      channel,
      ...portalTime(m.processingTime, m.processingTimeUnit),
      feeText: fee.feeText,
      feeAmounts: fee.feeAmounts,
      description,
    };
    if (row.timeText === undefined) delete row.timeText;
    const key = JSON.stringify(row);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => CHANNEL_ORDER.indexOf(a.row.channel) - CHANNEL_ORDER.indexOf(b.row.channel) || a.i - b.i)
    .map(({ row }) => row);
}

const FIRST_STEP = /^Bước\s*0?1\b/u;
const HEADING = /^(?!Bước\s*\d)(?![-+*•]).{1,150}$/u;

/**
 * A case heading ("a.2 Trợ cấp mai táng") written on the line before its "Bước 1" belongs to that step, not to the
 * end of the previous one, and a heading that stands alone before "Bước 1" is not a step of its own.
 */
function attachHeadings(parts: string[]): string[] {
  const out = [...parts];
  for (let i = 1; i < out.length; i++) {
    if (!FIRST_STEP.test(out[i]!)) continue;
    const previous = out[i - 1]!.split('\n');
    if (previous.length === 1 && HEADING.test(previous[0]!)) {
      out[i] = `${previous[0]}\n${out[i]}`;
      out.splice(i - 1, 1);
      i--;
    } else if (previous.length > 1 && HEADING.test(previous[previous.length - 1]!)) {
      out[i] = `${previous.pop()}\n${out[i]}`;
      out[i - 1] = previous.join('\n');
    }
  }
  return out;
}

/** Each `executionSteps` entry split into its "Bước N" (or listed) parts, text whole; a named entry's name heads its first part. */
export function portalSteps(steps: PortalRecord['executionSteps']): string[] {
  const out: string[] = [];
  for (const step of steps) {
    const name = oneLine(step.name);
    const parts = attachHeadings(splitSteps(tidyLines(step.description)));
    if (name && parts.length) parts[0] = `${name}\n${parts[0]}`;
    else if (name) parts.push(name);
    out.push(...parts);
  }
  return out;
}

const qty = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isInteger(n) ? n : null);

/**
 * One group per case (`executionCases`, title = the case's name, null when unnamed), documents with their names
 * kept whole. `required` is taken from the portal only when the record marks at least one document required: the
 * portal leaves the flag false on every document of a record that does not use it (all 99 records seen), and
 * "not required" would then be wrong for the application form itself; such documents leave it unset.
 */
export function portalDocuments(cases: PortalRecord['executionCases']): z.input<typeof DocumentGroupSchema>[] {
  const usesRequired = cases.some((c) => c.profileComponents.some((d) => d.required === true));
  const groups: z.input<typeof DocumentGroupSchema>[] = [];
  for (const c of cases) {
    const documents: z.input<typeof DocumentSchema>[] = [];
    for (const d of c.profileComponents) {
      const name = oneLine(d.name);
      if (!name) continue;
      const forms = d.attachments.map((a) => oneLine(a?.fileName)).filter(Boolean);
      documents.push({
        name,
        originals: qty(d.originalQty),
        copies: qty(d.copyQty),
        form: forms.length ? [...new Set(forms)].join('; ') : null,
        ...(usesRequired ? { required: d.required === true } : {}),
        ...(typeof d.hasElectronicForm === 'boolean' ? { electronicForm: d.hasElectronicForm } : {}),
      });
    }
    if (documents.length) groups.push({ title: orNull(oneLine(c.name)), documents });
  }
  return groups;
}

/** A document number inside a `code` cell such as "Nghị định số 25/2025/NĐ-CP" or "Pháp lệnh số: 02/2020/UBTVQH14". */
const LEGAL_NUMBER = /\d+(?:\.\d+)?\/(?:\d{4}\/)?\p{Lu}[\p{Lu}\d]*(?:g(?!\p{Ll}))?(?:(?:-|\/)\p{Lu}[\p{Lu}\d]*(?:g(?!\p{Ll}))?)*/u;

export function portalLegalBasis(rows: PortalRecord['legalBasisesDetails']): LegalBasis[] {
  return rows
    .map((row) => {
      const code = oneLine(row.code);
      const title = oneLine(row.name);
      return { number: orNull(LEGAL_NUMBER.exec(code)?.[0] ?? code), title: title || code };
    })
    .filter((l) => l.title !== '');
}

/** Epoch milliseconds (or an ISO string) → ISO 8601 timestamp; null when absent or not a date. */
export function isoDate(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A record → the fields of a Procedure (validated by the caller). */
export function portalRecordToProcedure(r: PortalRecord): unknown {
  const code = oneLine(r.code) || oneLine(r.codeNotation);
  // Agency names contain commas ("Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ"): listed with semicolons.
  const join = (list: string[], text: string | null | undefined) =>
    orNull(list.map((n) => n.replace(/[.;,]+$/u, '')).join('; ') || oneLine(text));
  const categories = names(r.categoriesDetails);
  const updatedAt = isoDate(r.updatedAt);
  return {
    code,
    title: oneLine(r.name),
    levels: portalLevels(r),
    field: orNull(categories.join(', ') || oneLine(r.category?.name)),
    kind: KIND[r.formalityType ?? ''] ?? null,
    targets: names(r.subjectTypesDetails),
    competentAgency: join(names(r.departmentsAuthority, r.unitGroupsAuthority), r.delegatedAgencies),
    executingAgency: join(names(r.departmentsExecuting, r.unitGroupsExecuting), r.executingAgencies),
    receivingAddress: orNull(tidyLines(r.dossierReceivingAddresses)),
    authorisedAgency: join(names(r.departmentsAuthorized, r.unitGroupsAuthorized), r.authorizedAgencies),
    coordinatingAgency: join(names(r.departmentsCoordinating, r.unitGroupsCoordinating), r.coordinatingAgencies),
    channels: portalChannels(r.executionMethods),
    steps: portalSteps(r.executionSteps),
    documentGroups: portalDocuments(r.executionCases),
    conditions: orNull(tidyLines(r.requirementsAndConditions) || tidyLines(r.description)),
    legalBasis: portalLegalBasis(r.legalBasisesDetails),
    result: orNull(names(r.resultsDetails).join('\n')),
    relatedProcedures: null,
    url: `${PORTAL_PAGE}${encodeURIComponent(oneLine(r.id))}`,
    urlKind: 'page',
    decision: orNull(oneLine(r.procedureProposal?.proposalNumber)),
    source: orNull(oneLine(r.departmentPromulgateName)),
    origin: 'portal',
    // unknown values are left out: the schema's own default (absent / null) applies
    ...(typeof r.isFullProcess === 'boolean' ? { fullyOnline: r.isFullProcess } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(record)'}: ${issue.message}` : 'invalid';
}

/** One portal detail record → a validated Procedure, or why not. */
export function parsePortalRecord(raw: unknown): ParseResult {
  const record = PortalRecordSchema.safeParse(raw);
  if (!record.success) return { ok: false, reason: `malformed record: ${firstIssue(record.error)}`, problem: { kind: 'record', issues: record.error.issues } };
  const r = record.data;
  const code = oneLine(r.code) || oneLine(r.codeNotation);
  if (!code) return { ok: false, reason: 'no code', problem: { kind: 'no_code' } };
  if (!oneLine(r.id)) return { ok: false, reason: `${code}: no id, so no portal page address`, problem: { kind: 'no_page_id', code } };
  if (r.isInternal === true) return { ok: false, reason: `${code}: internal procedure (isInternal: between agencies, not for citizens)`, problem: { kind: 'internal', code } };
  if (portalLevels(r).length === 0) return { ok: false, reason: `${code}: no level (isWard, isProvince, isMinistry, isOtherAgency all false)`, problem: { kind: 'no_level', code } };
  const procedure = ProcedureSchema.safeParse(portalRecordToProcedure(r));
  if (!procedure.success) return { ok: false, reason: `invalid procedure: ${firstIssue(procedure.error)}`, problem: { kind: 'procedure', issues: procedure.error.issues } };
  return { ok: true, procedure: procedure.data };
}

/** Portal JSON lines → procedures plus line-numbered errors (same shape as the listing import). */
export function parsePortalText(text: string): ListingImport {
  return parseJsonLinesWith(text, parsePortalRecord);
}
