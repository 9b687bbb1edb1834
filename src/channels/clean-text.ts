/**
 * Cleans a string that came from outside (a citizen's text, a pressed button's data, an id in a platform update)
 * before it goes any further. Every channel adapter (Telegram, Zalo, the web chat) passes what it stores through
 * here, at the boundary, so nothing below the seam ever sees such characters.
 *
 * Why: the inbox stores each update before anything else, as jsonb, and PostgreSQL (server and PGlite alike)
 * refuses some strings outright: NUL (`\u0000`: "unsupported Unicode escape sequence" in jsonb, "invalid byte
 * sequence" in text) and a lone UTF-16 surrogate (`\ud800`: "invalid input syntax for type json"). A message
 * holding one could never be stored: the web chat answered 503 and lost it, and Telegram kept retrying the webhook
 * it saw answered 5xx, holding back every later update. The rule: no input text can make storing an update fail,
 * and a platform never gets a 5xx for a message's content. The other characters removed are invisible junk that
 * breaks matching and can disguise a text: the other C0/C1 controls, zero-width characters (U+200B–U+200D, U+2060,
 * U+FEFF) and bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Newline and tab stay (a CR
 * or CR LF becomes a newline), and so do Vietnamese combining marks: the result is in NFC, so "a" + U+0301 typed
 * by a decomposing keyboard and the precomposed "á" are the same text.
 *
 * Idempotent; an empty result means there was nothing readable (the adapters treat it like an empty message).
 */
export function cleanText(raw: string, maxLength = Infinity): string {
  const cleaned = raw
    .replace(/\r\n?/g, '\n')
    .replace(JUNK, '')
    .normalize('NFC');
  return cleaned.length <= maxLength ? cleaned : truncate(cleaned, maxLength);
}

/**
 * Controls other than tab and newline (C0, DEL, C1), zero-width characters, bidi controls, and any surrogate that
 * is not half of a pair (matched per UTF-16 unit: no `u` flag, on purpose).
 */
const JUNK =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** At most `max` UTF-16 units, never splitting a surrogate pair (which would leave a lone surrogate behind). */
function truncate(s: string, max: number): string {
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}
