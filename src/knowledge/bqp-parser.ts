/**
 * Importer for the Bộ Quốc phòng export (`tthc_bqp_207.jsonl`): records parsed from the
 * portal's `ChiTietTTHC_<code>.doc` files, with clean tables.
 *
 * These records carry no page address of their own: `source_file` is the name of a .doc
 * export, and the URLs inside the text are generic portals ("nộp qua https://dichvucong.gov.vn"),
 * not this procedure's page. A link is never built from the code: such a record cites the
 * national portal's home (`urlKind` 'search', where the citizen searches by code) and its
 * publishing decision. A record with neither a page address nor a decision is rejected.
 * Exports that do carry the page address in a URL field keep it (`urlKind` 'page').
 */
import { z } from 'zod';
import {
  type Channel,
  type ChannelTerms,
  type DocumentGroup,
  type LegalBasis,
  ProcedureSchema,
} from './procedure.ts';
import {
  type ListingImport,
  type ParseResult,
  collapseWhitespace,
  composeStrings,
  parseJsonLinesWith,
  splitSteps,
  splitTargets,
  textOrNull,
} from './listing-parser.ts';

const text = z.string().nullish().transform((v) => (v ?? '').normalize('NFC'));

const BqpRecordSchema = z.object({
  thu_tuc_id: text,
  source_file: text,
  /** Fields that would hold the procedure's own page, if an export ever provides one. */
  url: text,
  detail_url: text,
  source_url: text,
  metadata: z.object({
    mã_thủ_tục: text,
    tên_thủ_tục: text,
    số_quyết_định: text,
    cấp_thực_hiện: text,
    loại_thủ_tục: text,
    lĩnh_vực: text,
    url: text,
  }),
  content: z
    .object({
      trình_tự_thực_hiện: text,
      đối_tượng_thực_hiện: text,
      cơ_quan_thực_hiện: text,
      cơ_quan_có_thẩm_quyền: text,
      cơ_quan_được_ủy_quyền: text,
      cơ_quan_phối_hợp: text,
      địa_chỉ_tiếp_nhận_hs: text,
      kết_quả_thực_hiện: text,
      yêu_cầu_điều_kiện_thực_hiện: text,
    })
    .partial()
    .default({}),
  tables: z
    .object({
      hinh_thuc_nop: z
        .array(z.object({ hinh_thuc: text, thoi_han_giai_quyet: text, phi_le_phi: text, mo_ta: text }))
        .default([]),
      thanh_phan_ho_so: z.array(z.object({ ten_giay_to: text, so_luong: text, ghi_chu: text })).default([]),
      can_cu_phap_ly: z.array(z.object({ so_ky_hieu: text, trich_yeu: text })).default([]),
    })
    .partial()
    .default({}),
});
export type BqpRecord = z.infer<typeof BqpRecordSchema>;

/** The national portal's home page, cited (with the decision) by records that carry no page of their own. */
export const PORTAL_HOME = 'https://dichvucong.gov.vn';

/** The procedure's own page: an http(s) address on a government host, from a URL field only. */
export function officialUrl(record: BqpRecord): string | null {
  for (const candidate of [record.detail_url, record.url, record.source_url, record.metadata.url]) {
    const value = candidate.trim();
    if (!value) continue;
    try {
      const url = new URL(value);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.endsWith('.gov.vn')) return url.href;
    } catch {
      // not a URL
    }
  }
  return null;
}

const CHANNEL_BY_LABEL: Record<string, Channel> = {
  'Trực tiếp': 'truc_tiep',
  'Trực tuyến': 'truc_tuyen',
  'Dịch vụ bưu chính': 'buu_chinh',
};

/** "Cấp Bộ, Cấp Xã" → ["Cấp bộ", "Cấp xã"], the listing's spelling. */
export function bqpLevels(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('Cấp ') ? `Cấp ${s.slice(4).toLowerCase()}` : s));
}

/** "Phí : 2.000.000 Đồng (…)" → [2000000]; only amounts right after a "Phí :"/"Lệ phí :" label, VND only, zero skipped. */
function bqpFeeAmounts(fee: string): number[] {
  const amounts: number[] = [];
  for (const m of fee.matchAll(/(?:Lệ phí|Phí)\s*:\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:Đồng|đồng|VNĐ)/gu)) {
    const amount = Number(m[1]!.replace(/\./g, ''));
    if (amount > 0) amounts.push(amount);
  }
  return amounts;
}

export function bqpChannels(rows: NonNullable<BqpRecord['tables']['hinh_thuc_nop']>): ChannelTerms[] {
  const channels: ChannelTerms[] = [];
  for (const row of rows) {
    const channel = CHANNEL_BY_LABEL[row.hinh_thuc.trim()];
    if (!channel) continue;
    const time = /^(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng|Năm|Tuần|Phút)$/u.exec(row.thoi_han_giai_quyet.trim());
    const terms: ChannelTerms = {
      channel,
      timeValue: time ? Number(time[1]!.replace(',', '.')) : null,
      timeUnit: time ? time[2]! : null,
      feeText: textOrNull(row.phi_le_phi),
      feeAmounts: bqpFeeAmounts(row.phi_le_phi),
      description: row.mo_ta.trim(),
    };
    const timeText = row.thoi_han_giai_quyet.trim();
    if (!time && timeText) terms.timeText = timeText;
    channels.push(terms);
  }
  return channels;
}

/** "Bản chính: 1\nBản sao: 0" → counts. */
function bqpCount(note: string, label: 'Bản chính' | 'Bản sao'): number | null {
  const m = new RegExp(`${label}:\\s*(\\d+)`, 'u').exec(note);
  return m ? Number(m[1]) : null;
}

export function bqpDocuments(rows: NonNullable<BqpRecord['tables']['thanh_phan_ho_so']>): DocumentGroup[] {
  const documents = rows
    .map((row) => ({
      name: row.ten_giay_to.trim(),
      originals: bqpCount(row.ghi_chu, 'Bản chính'),
      copies: bqpCount(row.ghi_chu, 'Bản sao'),
      form: textOrNull(row.so_luong),
    }))
    .filter((d) => d.name !== '');
  return documents.length > 0 ? [{ title: null, documents }] : [];
}

const LEGAL_NUMBER = /\d+(?:\.\d+)?\/(?:\d{4}\/)?\p{Lu}[\p{Lu}\d]*(?:g(?!\p{Ll}))?(?:(?:-|\/)\p{Lu}[\p{Lu}\d]*(?:g(?!\p{Ll}))?)*/u;

/**
 * The "Số ký hiệu" cell sometimes holds the full number, sometimes "Thông tư số …", and
 * sometimes only its first part ("12" for 12/2021/QĐ-TTg): then the number is taken from the
 * title only when it starts with exactly that part.
 */
export function bqpLegalBasis(rows: NonNullable<BqpRecord['tables']['can_cu_phap_ly']>): LegalBasis[] {
  return rows
    .map((row) => {
      const title = collapseWhitespace(row.trich_yeu);
      let number = LEGAL_NUMBER.exec(row.so_ky_hieu)?.[0] ?? null;
      const bare = row.so_ky_hieu.trim();
      if (!number && /^\d+$/.test(bare)) {
        number = [...title.matchAll(new RegExp(LEGAL_NUMBER.source, 'gu'))].map((m) => m[0]).find((c) => c.startsWith(`${bare}/`)) ?? null;
      }
      return { number, title: title || collapseWhitespace(row.so_ky_hieu) };
    })
    .filter((l) => l.title !== '');
}

/** The publishing decision without its "Quyết định số" prefix ("6225/QĐ-BQP"), or null. */
export function bqpDecision(record: BqpRecord): string | null {
  return textOrNull(record.metadata.số_quyết_định.replace(/^\s*Quyết định số\s*/u, ''));
}

/** Maps a record without checking for a URL (exported for tests and for exports that carry one). */
export function bqpRecordToProcedure(record: BqpRecord, url: string, urlKind: 'page' | 'search' = 'page'): unknown {
  const { metadata: meta, content, tables } = record;
  return {
    code: (meta.mã_thủ_tục || record.thu_tuc_id).trim(),
    title: collapseWhitespace(meta.tên_thủ_tục),
    levels: bqpLevels(meta.cấp_thực_hiện),
    field: textOrNull(meta.lĩnh_vực),
    kind: textOrNull(meta.loại_thủ_tục),
    targets: splitTargets(content.đối_tượng_thực_hiện ?? ''),
    competentAgency: textOrNull(content.cơ_quan_có_thẩm_quyền),
    executingAgency: textOrNull(content.cơ_quan_thực_hiện),
    receivingAddress: textOrNull(content.địa_chỉ_tiếp_nhận_hs),
    authorisedAgency: textOrNull(content.cơ_quan_được_ủy_quyền),
    coordinatingAgency: textOrNull(content.cơ_quan_phối_hợp),
    channels: bqpChannels(tables.hinh_thuc_nop ?? []),
    steps: splitSteps(content.trình_tự_thực_hiện ?? ''),
    documentGroups: bqpDocuments(tables.thanh_phan_ho_so ?? []),
    conditions: textOrNull(content.yêu_cầu_điều_kiện_thực_hiện),
    legalBasis: bqpLegalBasis(tables.can_cu_phap_ly ?? []),
    result: textOrNull(content.kết_quả_thực_hiện),
    relatedProcedures: null,
    url,
    urlKind,
    decision: bqpDecision(record),
    source: 'bo-quoc-phong',
    origin: 'bqp',
  };
}

/**
 * One record of the Bộ Quốc phòng export → a validated Procedure, or why not. Without a page address of its own the
 * record cites the national portal's home and its decision; without either it is rejected.
 */
export function parseBqpRecord(raw: unknown): ParseResult {
  const record = BqpRecordSchema.safeParse(composeStrings(raw));
  if (!record.success) {
    const issue = record.error.issues[0];
    return { ok: false, reason: `malformed record: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`, problem: { kind: 'record', issues: record.error.issues } };
  }
  const url = officialUrl(record.data);
  if (!url && !bqpDecision(record.data)) return { ok: false, reason: 'no official url and no publishing decision', problem: { kind: 'no_source_address' } };
  const procedure = ProcedureSchema.safeParse(
    url ? bqpRecordToProcedure(record.data, url, 'page') : bqpRecordToProcedure(record.data, PORTAL_HOME, 'search'),
  );
  if (!procedure.success) {
    const issue = procedure.error.issues[0];
    return { ok: false, reason: `invalid procedure: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`, problem: { kind: 'procedure', issues: procedure.error.issues } };
  }
  return { ok: true, procedure: procedure.data };
}

/** The export's JSON lines → procedures plus line-numbered errors (same shape as the listing import). */
export function parseBqpText(text: string): ListingImport {
  return parseJsonLinesWith(text, parseBqpRecord);
}

/** Does this JSON object look like a record of the Bộ Quốc phòng export (for telling the export formats apart)? */
export function looksLikeBqpRecord(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const metadata = (raw as Record<string, unknown>).metadata;
  return metadata !== null && typeof metadata === 'object' && 'mã_thủ_tục' in metadata;
}
