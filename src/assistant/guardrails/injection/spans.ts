/** A stretch of the message, by UTF-16 offsets (end excluded). */
export interface Span {
  start: number;
  end: number;
}

/** What a rule found, and where. */
export interface Finding extends Span {
  signal: string;
  /** Part of an attack only next to a real finding ("không có giới hạn nào"). */
  supporting?: boolean;
}

export const overlaps = (a: Span, list: readonly Span[]) => list.some((b) => a.start < b.end && b.start < a.end);
