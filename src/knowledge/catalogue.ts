import fs from 'node:fs';
import path from 'node:path';
import { type Procedure, ProcedureSchema } from './procedure.ts';
import { sha1 } from '../util/hash.ts';

/** The cleaned knowledge base committed under knowledge/: one Procedure per line. */
export const PROCEDURES_FILE = 'procedures.jsonl';

export interface Catalogue {
  procedures: Procedure[];
  /** Hash of the file's bytes: an unchanged file needs no re-index at start-up. */
  hash: string;
}

export function loadCatalogue(knowledgeDir: string): Catalogue {
  const file = path.join(knowledgeDir, PROCEDURES_FILE);
  const text = fs.readFileSync(file, 'utf8');
  const procedures = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = ProcedureSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    });
  return { procedures, hash: sha1(text) };
}

/** The same hash as `loadCatalogue(...).hash`, without parsing and validating every record (about a second). */
export function catalogueHash(knowledgeDir: string): string {
  return sha1(fs.readFileSync(path.join(knowledgeDir, PROCEDURES_FILE), 'utf8'));
}

/** Writes the catalogue atomically (temp file + rename), so a failed write never leaves half a file. */
export function writeCatalogue(knowledgeDir: string, procedures: Procedure[]): void {
  const file = path.join(knowledgeDir, PROCEDURES_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  const sorted = [...procedures].sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
  fs.writeFileSync(tmp, sorted.map((p) => JSON.stringify(p)).join('\n') + '\n');
  fs.renameSync(tmp, file);
}
