import type { PaymentMethod, PaymentStatus } from '../domain/dossier.ts';
import type { Queryable } from './db.ts';

/**
 * Moves a dossier's payment from one of `from` to `to` in one conditional update, so two staff members (or a
 * citizen pressing twice) cannot both win: true when this call made the change. `null` in `from` means "not yet
 * claimed". The method is set with it (a transfer claim sets `transfer`).
 */
export async function transitionPayment(
  q: Queryable,
  id: number,
  change: { from: (PaymentStatus | null)[]; to: PaymentStatus; method?: PaymentMethod },
  at: Date,
): Promise<boolean> {
  const from = change.from.filter((s): s is PaymentStatus => s !== null);
  const rows = await q.query(
    `UPDATE dossiers SET payment_status = $2, payment_method = COALESCE($3, payment_method), updated_at = $4
      WHERE id = $1 AND (payment_status = ANY($5::text[]) OR ($6 AND payment_status IS NULL)) RETURNING id`,
    [id, change.to, change.method ?? null, at.toISOString(), from, change.from.includes(null)],
  );
  return rows.length > 0;
}

/** The id of the dossier's latest payment claim event (what a staff decision answers), or null. */
export async function latestClaimEventId(q: Queryable, dossierId: number): Promise<number | null> {
  const rows = await q.query<{ id: string }>(`SELECT id FROM dossier_events WHERE dossier_id = $1 AND kind = 'payment_claimed' ORDER BY id DESC LIMIT 1`, [dossierId]);
  return rows[0] ? Number(rows[0].id) : null;
}
