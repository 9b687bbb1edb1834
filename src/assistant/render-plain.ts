import type { ReplyMessage } from '../domain/types.ts';

/**
 * Messages as plain text, choices as numbered lines: how the CLI, the evaluation and a text-only channel show a
 * reply. A message that already lists its options ("1. …") is not numbered twice.
 */
export function renderPlain(messages: ReplyMessage[]): string {
  return messages
    .map((m) => {
      if (!m.choices?.length || /^1\. /m.test(m.text)) return m.text;
      return [m.text, ...m.choices.map((c, i) => `${i + 1}. ${c.label}`)].join('\n');
    })
    .join('\n\n');
}
