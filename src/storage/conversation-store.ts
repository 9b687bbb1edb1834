import { z } from 'zod';
import { AspectSchema, type Choice, ChoiceSchema, type ConversationState, ConversationStateSchema, LanguageSchema } from '../domain/types.ts';
import type { Queryable } from './db.ts';

export { ConversationStateSchema, type ConversationState };

export type ConversationUpdate = Partial<Pick<ConversationState, 'currentProcedure' | 'lastAspect' | 'language' | 'pendingChoices' | 'flow'>>;

interface Row {
  id: string;
  channel: string;
  current_procedure: string | null;
  last_aspect: string | null;
  language: string;
  pending_choices: unknown;
  flow: unknown;
}

export function newConversation(id: string, channel: string): ConversationState {
  return { id, channel, currentProcedure: null, lastAspect: null, language: 'vi', pendingChoices: [], flow: {} };
}

export class ConversationStore {
  constructor(private readonly db: Queryable) {}

  /** The stored state, or a fresh one (not yet written) for a first message. */
  async load(id: string, channel: string): Promise<ConversationState> {
    const rows = await this.db.query<Row>(
      `SELECT id, channel, current_procedure, last_aspect, language, pending_choices, flow
         FROM conversations WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return newConversation(id, channel);
    // A row written by an older version may carry values the schema no longer knows: drop them, keep the rest.
    const parsed = ConversationStateSchema.safeParse({
      id: r.id,
      channel: r.channel,
      currentProcedure: r.current_procedure,
      lastAspect: AspectSchema.safeParse(r.last_aspect).success ? r.last_aspect : null,
      language: LanguageSchema.safeParse(r.language).success ? r.language : 'vi',
      pendingChoices: z.array(ChoiceSchema).safeParse(r.pending_choices).success ? r.pending_choices : [],
      flow: r.flow && typeof r.flow === 'object' ? r.flow : {},
    });
    return parsed.success ? parsed.data : newConversation(id, channel);
  }

  /**
   * Sets only the conversation's flow (insert or update), and the numbered choices when given (a flow that asks a
   * question on its own, e.g. the rating when staff close a ticket), leaving what the assistant remembers as it is.
   */
  async setFlow(id: string, channel: string, flow: Record<string, unknown>, pendingChoices?: Choice[]): Promise<void> {
    await this.db.query(
      `INSERT INTO conversations (id, channel, current_procedure, last_aspect, language, pending_choices, flow)
       VALUES ($1, $2, NULL, NULL, 'vi', COALESCE($4::jsonb, '[]'::jsonb), $3::jsonb)
       ON CONFLICT (id) DO UPDATE SET flow = EXCLUDED.flow,
         pending_choices = CASE WHEN $4::jsonb IS NULL THEN conversations.pending_choices ELSE EXCLUDED.pending_choices END,
         updated_at = now()`,
      [id, channel, JSON.stringify(flow), pendingChoices ? JSON.stringify(pendingChoices) : null],
    );
  }

  /** Sets only the numbered choices of an existing conversation (never its flow, which another writer may change). */
  async setPendingChoices(id: string, pendingChoices: Choice[]): Promise<void> {
    await this.db.query(`UPDATE conversations SET pending_choices = $2::jsonb, updated_at = now() WHERE id = $1`, [id, JSON.stringify(pendingChoices)]);
  }

  /** Writes the whole state (insert or update). */
  async save(state: ConversationState): Promise<void> {
    await this.db.query(
      `INSERT INTO conversations (id, channel, current_procedure, last_aspect, language, pending_choices, flow)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)
       ON CONFLICT (id) DO UPDATE SET
         current_procedure = EXCLUDED.current_procedure, last_aspect = EXCLUDED.last_aspect,
         language = EXCLUDED.language, pending_choices = EXCLUDED.pending_choices, flow = EXCLUDED.flow,
         updated_at = now()`,
      [
        state.id,
        state.channel,
        state.currentProcedure,
        state.lastAspect,
        state.language,
        JSON.stringify(state.pendingChoices),
        JSON.stringify(state.flow),
      ],
    );
  }
}
