import fs from 'node:fs';
import type { z } from 'zod';

/** One problem line of a JSON-lines file: its 1-based number and why it was not read. */
export interface BadLine {
  line: number;
  reason: string;
}

/**
 * Reads a JSON-lines file, validating each non-empty line with `schema`; each line that is not JSON or does not
 * fit is passed to `onBad` (which may throw to stop, or note it and go on).
 */
export function readJsonLines<S extends z.ZodType>(file: string, schema: S, onBad: (bad: BadLine) => void): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        onBad({ line: i + 1, reason: 'not JSON' });
        return;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) out.push(parsed.data);
      else onBad({ line: i + 1, reason: parsed.error.issues[0]?.message ?? 'invalid' });
    });
  return out;
}
