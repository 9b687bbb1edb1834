import type { Choice, ReplyMessage } from '../../domain/types.ts';
import { splitText } from '../split-text.ts';

/**
 * A channel-neutral `ReplyMessage` as Zalo Bot messages. Zalo has no buttons, no markup we use (plain text is sent
 * so a citizen's `*` or `<b>` is shown as typed) and a 1–2,000 character limit per text and per caption.
 */
export const ZALO_TEXT_LIMIT = 2_000;

export type ZaloOutbound = { type: 'text'; text: string } | { type: 'photo'; url: string; caption?: string };

/**
 * - text, split at paragraph, line or sentence boundaries into parts of at most 2,000 characters;
 * - the link's URL on its own line (after its label) unless the text already contains it;
 * - choices as numbered lines "1. …" and "Trả lời 1, 2 hoặc 3." (Zalo has no buttons; the engine maps a typed "2"
 *   to the second choice), unless the text already lists them as "1. <label>" lines: not numbered twice;
 * - the image as a photo with its alt as caption, only when its URL is public http(s) (Zalo refuses anything else).
 */
export function renderZaloMessage(message: ReplyMessage): ZaloOutbound[] {
  const text = message.text.normalize('NFC').trim();
  const blocks: string[] = [text];

  const link = message.link;
  if (link && !text.includes(link.url)) {
    const label = link.label.trim();
    blocks.push(label && label !== link.url ? `${label}: ${link.url}` : link.url);
  }

  const choices = message.choices ?? [];
  let tail: string | undefined;
  if (choices.length) {
    const listed = listsChoices(text, choices);
    const lines = listed ? [] : choices.map((c, i) => `${i + 1}. ${c.label.normalize('NFC').trim()}`);
    if (!HINT.test(text)) lines.push(choiceHint(choices.length));
    if (lines.length) tail = lines.join('\n');
  }

  const out: ZaloOutbound[] = packTexts(blocks.join('\n'), tail).map((t) => ({ type: 'text', text: t }));

  const image = message.image;
  if (image && /^https?:\/\/\S+$/i.test(image.url.trim())) {
    const caption = clip(image.alt.normalize('NFC').trim(), ZALO_TEXT_LIMIT);
    out.push({ type: 'photo', url: image.url.trim(), ...(caption ? { caption } : {}) });
  }
  return out;
}

/** "Trả lời 1.", "Trả lời 1 hoặc 2.", "Trả lời 1, 2 hoặc 3." (the wording the assistant's clarify replies use). */
export function choiceHint(count: number): string {
  const numbers = Array.from({ length: count }, (_, i) => String(i + 1));
  if (numbers.length <= 1) return `Trả lời ${numbers[0] ?? '1'}.`;
  return `Trả lời ${numbers.slice(0, -1).join(', ')} hoặc ${numbers.at(-1)}.`;
}

/** A reply hint already present ("Trả lời 1 hoặc 2." or the English "Reply 1 or 2."). */
const HINT = /^\s*(trả lời|reply)\s+1\b/im;

/**
 * True when the text already numbers the choices: for each choice i a line "i. …" (or "i) …") that carries its
 * label (compared case- and Unicode-form-insensitively; a label clipped with "…" counts by its start).
 */
export function listsChoices(text: string, choices: Choice[]): boolean {
  const lines = text.split('\n').map((l) => norm(l));
  return choices.every((c, i) => {
    const label = norm(c.label).replace(/\s*…$/, '');
    const prefix = new RegExp(`^${i + 1}[.)]\\s+`);
    return lines.some((l) => prefix.test(l) && l.replace(prefix, '').startsWith(label));
  });
}

const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Splits the body into ≤ 2,000-character parts and keeps the numbered choices together at the end: appended to the
 * last part when they fit, otherwise sent as their own part.
 */
function packTexts(body: string, tail: string | undefined): string[] {
  const parts = splitText(body, ZALO_TEXT_LIMIT);
  if (!tail) return parts;
  const last = parts.at(-1);
  if (last !== undefined && last.length + 1 + tail.length <= ZALO_TEXT_LIMIT) {
    parts[parts.length - 1] = `${last}\n${tail}`;
    return parts;
  }
  return [...parts, ...splitText(tail, ZALO_TEXT_LIMIT)];
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}
