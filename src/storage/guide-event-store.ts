import type { GuideStep } from '../domain/dossier.ts';
import type { Queryable } from './db.ts';

/** The guide's funnel: one row per step a guide run reached (stored once: a step repeated is not counted twice). */
export interface GuideEvent {
  guideId: string;
  conversationId: string;
  channel: string;
  procedureCode: string;
  step: GuideStep;
  data?: Record<string, unknown>;
}

export async function recordGuideEvent(q: Queryable, e: GuideEvent): Promise<void> {
  await q.query(
    `INSERT INTO guide_events (guide_id, conversation_id, channel, procedure_code, step, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (guide_id, step) DO NOTHING`,
    [e.guideId, e.conversationId, e.channel, e.procedureCode, e.step, JSON.stringify(e.data ?? {})],
  );
}

export async function guideEventsOf(q: Queryable, guideId: string): Promise<{ step: GuideStep; data: Record<string, unknown> }[]> {
  const rows = await q.query<{ step: GuideStep; data: Record<string, unknown> }>(`SELECT step, data FROM guide_events WHERE guide_id = $1 ORDER BY id`, [guideId]);
  return rows;
}
