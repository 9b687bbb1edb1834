import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The one check of a webhook's shared secret: constant time over SHA-256 digests, so neither the length nor the
 * content leaks through timing; a missing or empty secret on either side never matches.
 */
export function secretMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || received.length === 0 || expected.length === 0) return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
