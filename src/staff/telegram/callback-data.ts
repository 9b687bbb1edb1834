import { type EndStatus, EndStatusSchema } from '../../domain/staff.ts';

/**
 * What a button on a ticket's card asks for, and its `callback_data` (at most 64 bytes on Telegram): `st:` then a
 * one-letter action, the ticket id and, for a transfer or a close, the colleague's id or the end status. The
 * prefix keeps these apart from the citizen's choice ids, should one ever reach the wrong handler.
 */
export type CardAction =
  | { kind: 'claim'; ticketId: number }
  | { kind: 'transfer_menu'; ticketId: number }
  | { kind: 'to_queue'; ticketId: number }
  | { kind: 'transfer'; ticketId: number; toUserId: number }
  | { kind: 'close_menu'; ticketId: number }
  | { kind: 'close'; ticketId: number; endStatus: EndStatus }
  | { kind: 'back'; ticketId: number };

const LETTERS = {
  claim: 'c',
  transfer_menu: 'm',
  to_queue: 'q',
  transfer: 't',
  close_menu: 'x',
  close: 'e',
  back: 'b',
} as const satisfies Record<CardAction['kind'], string>;

const KINDS = Object.fromEntries(Object.entries(LETTERS).map(([k, v]) => [v, k])) as Record<string, CardAction['kind']>;

export function encodeAction(a: CardAction): string {
  const tail = a.kind === 'transfer' ? `:${a.toUserId}` : a.kind === 'close' ? `:${a.endStatus}` : '';
  return `st:${LETTERS[a.kind]}:${a.ticketId}${tail}`;
}

const DATA = /^st:([a-z]):(\d{1,15})(?::([a-z_]{1,32}|\d{1,15}))?$/;

/** null for anything that is not one of our buttons (an old or foreign keyboard). */
export function parseAction(data: string): CardAction | null {
  const m = DATA.exec(data);
  const kind = m ? KINDS[m[1]!] : undefined;
  if (!m || !kind) return null;
  const ticketId = Number(m[2]);
  const arg = m[3];
  switch (kind) {
    case 'transfer':
      return arg && /^\d+$/.test(arg) ? { kind, ticketId, toUserId: Number(arg) } : null;
    case 'close': {
      const status = EndStatusSchema.safeParse(arg);
      return status.success ? { kind, ticketId, endStatus: status.data } : null;
    }
    default:
      return arg === undefined ? { kind, ticketId } : null;
  }
}
