import type { Queryable } from './db.ts';

/**
 * How far each staff desk has posted the handover events (table `desk_cursors`): a desk reads the events after
 * its cursor and moves it on only once an event is posted, so a restart neither loses nor repeats events (at most
 * the one being posted when the process stopped).
 */
export class DeskCursorStore {
  constructor(private readonly db: Queryable) {}

  /** The last event id the desk has posted; 0 before its first. */
  async get(desk: string): Promise<number> {
    const rows = await this.db.query<{ last_event_id: string | number }>('SELECT last_event_id FROM desk_cursors WHERE desk = $1', [desk]);
    return rows.length ? Number(rows[0]!.last_event_id) : 0;
  }

  /** Moves the cursor to `lastEventId`; never backwards (two desk processes racing keep the furthest). */
  async advance(desk: string, lastEventId: number): Promise<void> {
    await this.db.query(
      `INSERT INTO desk_cursors (desk, last_event_id, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (desk) DO UPDATE SET last_event_id = GREATEST(desk_cursors.last_event_id, EXCLUDED.last_event_id), updated_at = now()`,
      [desk, lastEventId],
    );
  }
}
