import { z } from 'zod';
import { AspectSchema, LabelSchema, LanguageSchema, OutcomeSchema } from '../domain/types.ts';
import type { Queryable } from './db.ts';

/** One row per citizen message: the base for reports. The text is redacted before it reaches this type. */
export const TurnRecordSchema = z.object({
  conversationId: z.string().min(1),
  channel: z.string().min(1),
  textRedacted: z.string(),
  label: LabelSchema,
  outcome: OutcomeSchema,
  aspect: AspectSchema.nullable(),
  language: LanguageSchema,
  procedureCodes: z.array(z.string()),
  retrievalScores: z.array(z.number()),
  confidence: z.number().nullable(),
  personalData: z.array(z.string()),
  latencyMs: z.number().int().nonnegative(),
  llmUsed: z.boolean(),
  llmFallback: z.string().nullable(),
});
export type TurnRecord = z.infer<typeof TurnRecordSchema>;

export class TurnLog {
  constructor(private readonly db: Queryable) {}

  async record(turn: TurnRecord): Promise<number> {
    const t = TurnRecordSchema.parse(turn);
    const rows = await this.db.query<{ id: string | number }>(
      `INSERT INTO turns (conversation_id, channel, text_redacted, label, outcome, aspect, language, procedure_codes,
                          retrieval_scores, confidence, personal_data, latency_ms, llm_used, llm_fallback)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       RETURNING id`,
      [
        t.conversationId,
        t.channel,
        t.textRedacted,
        t.label,
        t.outcome,
        t.aspect,
        t.language,
        t.procedureCodes,
        t.retrievalScores,
        t.confidence,
        t.personalData,
        t.latencyMs,
        t.llmUsed,
        t.llmFallback,
      ],
    );
    return Number(rows[0]!.id);
  }

  /** A conversation's turns, oldest first. */
  async forConversation(conversationId: string): Promise<(TurnRecord & { id: number })[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, conversation_id, channel, text_redacted, label, outcome, aspect, language, procedure_codes,
              retrieval_scores, confidence, personal_data, latency_ms, llm_used, llm_fallback
         FROM turns WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      ...TurnRecordSchema.parse({
        conversationId: r.conversation_id,
        channel: r.channel,
        textRedacted: r.text_redacted,
        label: r.label,
        outcome: r.outcome,
        aspect: r.aspect,
        language: r.language,
        procedureCodes: r.procedure_codes,
        retrievalScores: (r.retrieval_scores as number[]).map(Number),
        confidence: r.confidence === null ? null : Number(r.confidence),
        personalData: r.personal_data,
        latencyMs: r.latency_ms,
        llmUsed: r.llm_used,
        llmFallback: r.llm_fallback,
      }),
    }));
  }

  /** The citizen's last `n` messages in a conversation (redacted, typed ones only), oldest first: the LLM's history. */
  async recentMessages(conversationId: string, n: number): Promise<string[]> {
    const rows = await this.db.query<{ text_redacted: string }>(
      `SELECT text_redacted FROM (
         SELECT id, text_redacted FROM turns
          WHERE conversation_id = $1 AND text_redacted NOT LIKE '[chọn]%'
          ORDER BY id DESC LIMIT $2) recent
        ORDER BY id`,
      [conversationId, n],
    );
    return rows.map((r) => r.text_redacted);
  }
}
