/** Base64 blobs in a message and the text they stand for; the detector checks that text in turn. */

export const BASE64 = /(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{16,}={0,2}|[A-Za-z0-9_-]{16,}={0,2})(?![A-Za-z0-9+/=_-])/g;

/** The text a base64 blob stands for, when it is readable text at all. */
export function decodeBase64(blob: string): string | null {
  if (!/[0-9+/=_-]/.test(blob) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(blob)) return null; // an ordinary long word
  const text = Buffer.from(blob.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  if (!text || text.includes('\uFFFD')) return null;
  const printable = [...text].filter((c) => /[\p{L}\p{N}\p{P}\p{Zs}\n]/u.test(c)).length;
  return printable / [...text].length >= 0.9 && /\p{L}{2,}/u.test(text) ? text : null;
}
