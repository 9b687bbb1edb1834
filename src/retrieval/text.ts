/**
 * Vietnamese text folding and tokenising shared by indexing and querying, so both sides see the same tokens.
 * Hand-written rather than a library: it is a few lines, has to match exactly what the SQL side stores, and is
 * on every query's path.
 */

/** Lowercase, NFC, diacritics removed (đ → d), everything but letters and digits turned into single spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function syllables(folded: string): string[] {
  return folded ? folded.split(' ') : [];
}

/**
 * Filler words of citizens' questions that say nothing about which procedure is meant (folded forms).
 * Kept short on purpose: "lam", "cap", "dang ky" carry meaning in titles and stay.
 */
export const STOPWORDS = new Set(
  (
    // Folded forms collide ("the" is also thẻ, "sao" bản sao, "can" căn cước, "tu" khai tử, "do" sổ đỏ), so only
    // words that are fillers in every reading stay here.
    'a ah ak oi nhe nha nhi vay thi la ma va voi cua cho toi minh em anh chi ad admin ' +
    'muon hoi xin cam on gi nao bao nhieu khong ko k hok duoc dc phai nhu lam ' +
    'roi da se vua cung nay kia ay thoi luon nua rat qua nen neu khi de ve den ' +
    'mot cac nhung bon tui hay hoac hien ' +
    'please how what where when i an of to for is my me you thu tuc giup huong dan cach biet'
  ).split(/\s+/),
);

/** Content tokens of a folded text: syllables minus fillers. */
export function contentTokens(folded: string): string[] {
  return syllables(folded).filter((t) => !STOPWORDS.has(t));
}

/** Adjacent-syllable bigrams ("dang_ky", "khai_sinh"): most Vietnamese words are two syllables. */
export function bigrams(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    if (!(STOPWORDS.has(a) && STOPWORDS.has(b))) out.push(`${a}_${b}`);
  }
  return out;
}

/** True when `phrase` (folded) occurs in `text` (folded) on word boundaries. */
export function containsPhrase(text: string, phrase: string): boolean {
  if (!phrase) return false;
  return ` ${text} `.includes(` ${phrase} `);
}

/** Replaces whole-word occurrences of folded `from` with `to` in folded `text`. */
export function replacePhrase(text: string, from: string, to: string): string {
  return ` ${text} `.split(` ${from} `).join(` ${to} `).trim();
}
