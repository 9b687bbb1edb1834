/** Invisible characters used to split trigger words; ZWJ is kept between emoji, where it is legitimate. */
const INVISIBLE = /[\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u180E\u034F]|(?<=[\p{L}\p{N}])\u200D|\u200D(?=[\p{L}\p{N}])/gu;

/**
 * The message with zero-width and bidi characters removed ("ig\u200Bnore"), and where they were in it: positions
 * are kept in the cleaned message, from which the remainder is cut.
 */
export function withoutInvisible(input: string): { message: string; invisibleAt: number[] } {
  const invisibleAt: number[] = [];
  let message = '';
  let last = 0;
  for (const m of input.matchAll(INVISIBLE)) {
    message += input.slice(last, m.index);
    invisibleAt.push(message.length);
    last = m.index + m[0].length;
  }
  message += input.slice(last);
  return { message, invisibleAt };
}
