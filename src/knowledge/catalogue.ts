import fs from 'node:fs';
import path from 'node:path';
import { modelProcedure } from './model/index.ts';
import { type Procedure, ProcedureSchema } from './procedure.ts';
import { sha1 } from '../util/hash.ts';
import { readJsonLines } from '../util/json-lines.ts';

/** The cleaned knowledge base committed under knowledge/: one Procedure per line. */
export const PROCEDURES_FILE = 'procedures.jsonl';

/** Reads and validates every committed procedure; a bad line stops with its line number. */
export function loadCatalogue(knowledgeDir: string): Procedure[] {
  const file = path.join(knowledgeDir, PROCEDURES_FILE);
  return readJsonLines(file, ProcedureSchema, (bad) => {
    throw new Error(`${file}:${bad.line}: ${bad.reason}`);
  });
}

/** Hash of the file's bytes, without parsing it: an unchanged file needs no re-index at start-up. */
export function catalogueHash(knowledgeDir: string): string {
  return sha1(fs.readFileSync(path.join(knowledgeDir, PROCEDURES_FILE), 'utf8'));
}

/**
 * Writes the catalogue atomically (temp file + rename), so a failed write never leaves half a file. Each record is
 * written with its model (documents, conditions, cases) computed afresh from its text.
 */
export function writeCatalogue(knowledgeDir: string, procedures: Procedure[]): void {
  const file = path.join(knowledgeDir, PROCEDURES_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  const sorted = procedures.map((p) => ({ ...p, model: modelProcedure(p) })).sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
  fs.writeFileSync(tmp, sorted.map((p) => JSON.stringify(p)).join('\n') + '\n');
  fs.renameSync(tmp, file);
}
