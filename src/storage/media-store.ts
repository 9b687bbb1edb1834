import type { Queryable } from './db.ts';

/** Images the bot serves at `/media/<name>` (VietQR codes): stored whole, until they expire. */
export interface StoredMedia {
  content: Buffer;
  mime: string;
}

export async function insertMedia(q: Queryable, m: { name: string; content: Buffer; mime: string; expiresAt: Date }): Promise<void> {
  await q.query(`INSERT INTO media (name, content, mime, expires_at) VALUES ($1, $2, $3, $4)`, [m.name, m.content, m.mime, m.expiresAt.toISOString()]);
}

/** The image under `name`, unless it is unknown or expired at `now`. */
export async function mediaByName(q: Queryable, name: string, now: Date): Promise<StoredMedia | null> {
  const rows = await q.query<{ content: Uint8Array; mime: string }>(`SELECT content, mime FROM media WHERE name = $1 AND expires_at > $2`, [name, now.toISOString()]);
  const r = rows[0];
  // node-postgres gives a Buffer, PGlite a Uint8Array
  return r ? { content: Buffer.from(r.content), mime: r.mime } : null;
}

/** Deletes what expired by `now`; how many went. */
export async function deleteExpiredMedia(q: Queryable, now: Date): Promise<number> {
  const rows = await q.query(`DELETE FROM media WHERE expires_at <= $1 RETURNING name`, [now.toISOString()]);
  return rows.length;
}
