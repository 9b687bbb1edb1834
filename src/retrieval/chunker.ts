import { CHANNEL_LABELS, type Procedure } from '../knowledge/procedure.ts';
import { sha1 } from '../util/hash.ts';

export const SECTIONS = ['overview', 'documents', 'time_fees', 'steps', 'conditions', 'legal'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Chunk {
  id: string;
  code: string;
  section: Section;
  body: string;
  contentHash: string;
}

/** Longest chunk body; longer sections are cut at a line end (an embedding model has an input limit). */
const MAX_CHUNK_CHARS = 6000;

/**
 * Splits a procedure into section chunks, each readable on its own (it starts with the procedure's title).
 * `aliases` are the citizens' names for it from the vocabulary; they join the overview so that a question in
 * those words finds it by every route (full text, trigram, vector).
 */
export function chunkProcedure(p: Procedure, aliases: readonly string[] = []): Chunk[] {
  const head = `${p.title} (${p.code})`;
  const sections: [Section, string[]][] = [
    [
      'overview',
      [
        `Cấp thực hiện: ${p.levels.join(', ')}`,
        p.field && `Lĩnh vực: ${p.field}`,
        p.targets.length > 0 && `Đối tượng: ${p.targets.join(', ')}`,
        p.competentAgency && `Cơ quan có thẩm quyền: ${p.competentAgency}`,
        p.executingAgency && `Cơ quan thực hiện: ${p.executingAgency}`,
        p.result && `Kết quả: ${p.result}`,
        aliases.length > 0 && `Còn gọi là: ${aliases.join('; ')}`,
      ].filter((x): x is string => Boolean(x)),
    ],
    [
      'documents',
      p.documentGroups.flatMap((g) => [
        ...(g.title ? [g.title] : []),
        ...g.documents.map((d) => `- ${d.name}${d.form ? ` (${d.form})` : ''}`),
      ]),
    ],
    [
      'time_fees',
      p.channels.map((c) =>
        [
          `${CHANNEL_LABELS[c.channel]}:`,
          c.timeValue !== null ? `thời hạn ${c.timeValue}${c.timeUnit ? ` ${c.timeUnit}` : ''};` : '',
          c.feeText ? `phí, lệ phí: ${c.feeText}` : '',
          c.description ? `(${c.description})` : '',
        ]
          .filter(Boolean)
          .join(' '),
      ),
    ],
    ['steps', p.steps],
    ['conditions', p.conditions ? [p.conditions] : []],
    ['legal', p.legalBasis.map((l) => (l.number ? `${l.number}: ${l.title}` : l.title))],
  ];
  const out: Chunk[] = [];
  for (const [section, lines] of sections) {
    if (lines.length === 0 && section !== 'overview') continue;
    const body = clip(`${head}\n${lines.join('\n')}`.trim());
    out.push({ id: `${p.code}#${section}`, code: p.code, section, body, contentHash: sha1(body) });
  }
  return out;
}

function clip(text: string): string {
  if (text.length <= MAX_CHUNK_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_CHUNK_CHARS);
  return text.slice(0, cut > MAX_CHUNK_CHARS / 2 ? cut : MAX_CHUNK_CHARS);
}
