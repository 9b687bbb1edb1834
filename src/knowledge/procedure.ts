import { z } from 'zod';
import { ProcedureModelSchema } from './model/schema.ts';

/** Submission channels as the national listing names them. */
export const ChannelSchema = z.enum(['truc_tiep', 'truc_tuyen', 'buu_chinh']);
export type Channel = z.infer<typeof ChannelSchema>;

export const CHANNEL_LABELS: Record<Channel, string> = {
  truc_tiep: 'Trực tiếp',
  truc_tuyen: 'Trực tuyến',
  buu_chinh: 'Dịch vụ bưu chính',
};

/** One row of the "Cách thức thực hiện" table: how long and how much, for one channel. */
export const ChannelTermsSchema = z.object({
  channel: ChannelSchema,
  /** Processing time number as listed (e.g. 5), null when the listing gives none. */
  timeValue: z.number().nullable(),
  /** Unit as listed ("Ngày làm việc", "Ngày", "Giờ"...), null when the listing lost it. */
  timeUnit: z.string().nullable(),
  /**
   * The time cell verbatim when it is words rather than number + unit ("Không quy định",
   * "Hệ thống … phản hồi tự động …"); absent otherwise.
   */
  timeText: z.string().optional(),
  /**
   * Fee cell verbatim ("Miễn phí", "50,000 VNĐ", "Phí : 0 Đồng"); null when the listing gives
   * none ("Không có thông tin"). When a lost time unit leaves the time glued to the amount
   * ("120,000 VNĐ" = 1 + "20,000 VNĐ"?), the whole ambiguous cell is kept here and nothing is derived.
   */
  feeText: z.string().nullable(),
  /** Amounts in VND read from the fee cell; empty when free, unknown or ambiguous. */
  feeAmounts: z.array(z.number()),
  /**
   * The rest of the row verbatim: the fee's note in parentheses and the "Mô tả" cell
   * (exemptions, conditions of the fee, where to submit); empty string when none.
   */
  description: z.string(),
});
export type ChannelTerms = z.infer<typeof ChannelTermsSchema>;

export const DocumentSchema = z.object({
  /** The item as the listing gives it, kept whole (for a record not yet modelled, the whole text). */
  name: z.string().min(1),
  originals: z.number().int().nullable(),
  copies: z.number().int().nullable(),
  /** Form/template name (e.g. "Mẫu TK01") where the listing names one. */
  form: z.string().nullable(),
  /** Whether the source marks the item as required (portal records say so; absent for the listing). */
  required: z.boolean().optional(),
  /** An electronic form exists for it on the portal (portal records only). */
  electronicForm: z.boolean().optional(),
});
export type ProcedureDocument = z.infer<typeof DocumentSchema>;

export const DocumentGroupSchema = z.object({
  /** Heading of the case ("* Giấy tờ phải nộp:", "Trường hợp ...") or null for a single list. */
  title: z.string().nullable(),
  documents: z.array(DocumentSchema),
});
export type DocumentGroup = z.infer<typeof DocumentGroupSchema>;

export const LegalBasisSchema = z.object({
  /** Document number such as "123/2015/NĐ-CP"; null when none could be read. */
  number: z.string().nullable(),
  title: z.string(),
});
export type LegalBasis = z.infer<typeof LegalBasisSchema>;

export const ProcedureSchema = z.object({
  code: z.string().regex(/^\d+\.\d+(\.[\w.-]+)?$/),
  title: z.string().min(3),
  levels: z.array(z.string()).min(1),
  field: z.string().nullable(),
  kind: z.string().nullable(),
  targets: z.array(z.string()),
  competentAgency: z.string().nullable(),
  executingAgency: z.string().nullable(),
  receivingAddress: z.string().nullable(),
  authorisedAgency: z.string().nullable(),
  coordinatingAgency: z.string().nullable(),
  channels: z.array(ChannelTermsSchema),
  steps: z.array(z.string()),
  documentGroups: z.array(DocumentGroupSchema),
  conditions: z.string().nullable(),
  legalBasis: z.array(LegalBasisSchema),
  result: z.string().nullable(),
  relatedProcedures: z.string().nullable(),
  url: z.string().url(),
  decision: z.string().nullable(),
  /** Ministry folder of the source listing (bo-tu-phap, bo-cong-an, ...). */
  source: z.string().nullable(),
  /**
   * What `url` is: the procedure's own portal page, or (for records that carry none, e.g. the defence ministry's
   * exports) the national portal where the citizen searches for the code — never a page address built by guesswork.
   * Absent = 'page'.
   */
  urlKind: z.enum(['page', 'search']).optional(),
  /** Where the record came from, for imports that replace one source and leave the others. Absent = 'listing'. */
  origin: z.enum(['listing', 'portal', 'bqp', 'local']).optional(),
  /** "Toàn trình" as the portal states it (`isFullProcess`); absent when the source does not say (the listing). */
  fullyOnline: z.boolean().optional(),
  /** When the source last changed the record (ISO date), absent when unknown: the more recent record wins a code. */
  updatedAt: z.string().optional(),
  /** Documents, conditions and cases read from the record (`modelProcedure`); computed at load when absent. */
  model: ProcedureModelSchema.optional(),
});
export type Procedure = z.infer<typeof ProcedureSchema>;
