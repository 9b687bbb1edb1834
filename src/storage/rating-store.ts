import type { Queryable } from './db.ts';

export interface NewRating {
  conversationId: string;
  channel: string;
  episode: string;
  level: number;
  procedureCode: string | null;
  ticketId?: number | null;
  staff?: string | null;
}

export interface StoredRating extends NewRating {
  id: number;
  comment: string | null;
  createdAt: string;
}

/** Ratings in the database: one per conversation episode, written before the citizen is thanked. */
export class RatingStore {
  constructor(private readonly db: Queryable) {}

  /** 'recorded', or 'duplicate' when this episode already has a rating (which is left as it was). */
  async record(r: NewRating): Promise<'recorded' | 'duplicate'> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO ratings (conversation_id, channel, episode, level, procedure_code, ticket_id, staff)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (conversation_id, episode) DO NOTHING
       RETURNING id`,
      [r.conversationId, r.channel, r.episode, r.level, r.procedureCode, r.ticketId ?? null, r.staff ?? null],
    );
    return rows.length ? 'recorded' : 'duplicate';
  }

  /** Adds the optional comment to the episode's rating (once: a comment already given is kept). */
  async addComment(conversationId: string, episode: string, comment: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE ratings SET comment = $3 WHERE conversation_id = $1 AND episode = $2 AND comment IS NULL RETURNING id`,
      [conversationId, episode, comment],
    );
    return rows.length > 0;
  }

  async forConversation(conversationId: string): Promise<StoredRating[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, conversation_id, channel, episode, level, procedure_code, ticket_id, staff, comment, created_at
         FROM ratings WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      conversationId: String(r.conversation_id),
      channel: String(r.channel),
      episode: String(r.episode),
      level: Number(r.level),
      procedureCode: (r.procedure_code as string | null) ?? null,
      ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
      staff: (r.staff as string | null) ?? null,
      comment: (r.comment as string | null) ?? null,
      createdAt: new Date(r.created_at as string).toISOString(),
    }));
  }
}
