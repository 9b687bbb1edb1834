import { z } from 'zod';

/**
 * The procedure model: a record's documents, conditions and cases in a shape a program can reason over. Built at
 * ingest from the record's own text (`modelProcedure`), committed with it in knowledge/procedures.jsonl. Every
 * string here is the record's text, whole or as a clause cut at the record's own separators; nothing is written.
 */

/** "trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng …": one link of a fallback chain. */
export const AlternativeSchema = z.object({
  /** The case it applies to, as the record says it ("không có Giấy chứng sinh"). */
  when: z.string().min(1),
  /** What to bring instead (the clause after "thì"). */
  name: z.string().min(1),
  /** The clause verbatim. */
  text: z.string().min(1),
});
export type Alternative = z.infer<typeof AlternativeSchema>;

export const ModelItemSchema = z.object({
  /** Leading noun phrase: what the paper is called ("Giấy chứng sinh"). */
  name: z.string().min(1),
  /** The item as the record states it, whole: shown whenever the item is shown. */
  text: z.string().min(1),
  originals: z.number().int().nullable(),
  copies: z.number().int().nullable(),
  form: z.string().nullable(),
  /** The case it applies to ("trẻ em bị bỏ rơi", "nếu có"); null = everyone. */
  when: z.string().nullable(),
  /** Ordered fallbacks when the paper cannot be had. */
  alternatives: z.array(AlternativeSchema),
  /** Sentences after the first, kept with the item ("Trường hợp người được ủy quyền là ông, bà … thì không phải chứng thực"). */
  notes: z.array(z.string()),
});
export type ModelItem = z.infer<typeof ModelItemSchema>;

export const GroupKindSchema = z.enum(['submit', 'show', 'other']);
export type GroupKind = z.infer<typeof GroupKindSchema>;

export const ModelGroupSchema = z.object({
  kind: GroupKindSchema,
  /** The record's heading, tidied ("Giấy tờ phải nộp"), or null. */
  title: z.string().nullable(),
  /** A heading that names a case ("Trường hợp đăng ký thường trú vào chỗ ở thuê:") applies to every item under it. */
  when: z.string().nullable(),
  /** Introductions and notes the record lists among the papers ("Ví dụ: …", "… thì không phải nộp bản giấy"). */
  notes: z.array(z.string()),
  items: z.array(ModelItemSchema),
});
export type ModelGroup = z.infer<typeof ModelGroupSchema>;

/** Where a case shows up: an item, an alternative of an item, or a sentence of another section. */
export const CaseRefSchema = z.object({
  kind: z.enum(['item', 'alternative', 'group', 'requirement', 'step', 'channel', 'note']),
  /** Group and item index for items and alternatives, alternative index for alternatives. */
  group: z.number().int().optional(),
  item: z.number().int().optional(),
  alternative: z.number().int().optional(),
  /** The record's sentence (for requirements, steps, channel descriptions). */
  text: z.string().optional(),
});
export type CaseRef = z.infer<typeof CaseRefSchema>;

export const ProcedureCaseSchema = z.object({
  /** Stable within the record: "c1", "c2" … in order of first appearance. */
  id: z.string().min(1),
  /** The condition as the record first states it ("trẻ em bị bỏ rơi", "không có Giấy chứng sinh"). */
  label: z.string().min(1),
  refs: z.array(CaseRefSchema).min(1),
});
export type ProcedureCase = z.infer<typeof ProcedureCaseSchema>;

export const ProcedureModelSchema = z.object({
  groups: z.array(ModelGroupSchema),
  cases: z.array(ProcedureCaseSchema),
  /** Channels whose time number lost its unit in the listing ("1" with no "ngày làm việc"). */
  timeUnitLost: z.array(z.enum(['truc_tiep', 'truc_tuyen', 'buu_chinh'])),
});
export type ProcedureModel = z.infer<typeof ProcedureModelSchema>;
