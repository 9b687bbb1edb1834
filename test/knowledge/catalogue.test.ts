import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueHash, loadCatalogue, PROCEDURES_FILE, writeCatalogue } from '../../src/knowledge/catalogue.ts';
import { makeProcedure } from '../helpers/procedures.ts';

describe('catalogue file', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-'));

  it('round-trips procedures sorted by code, and its hash changes only with its content', () => {
    const d = dir();
    const a = makeProcedure({ code: '1.010', title: 'Thủ tục B' });
    const b = makeProcedure({ code: '1.002', title: 'Thủ tục A' });
    writeCatalogue(d, [a, b]);
    expect(loadCatalogue(d).map((p) => p.code)).toEqual(['1.002', '1.010']);
    const h = catalogueHash(d);
    writeCatalogue(d, [b, a]);
    expect(catalogueHash(d)).toBe(h);
    writeCatalogue(d, [a]);
    expect(catalogueHash(d)).not.toBe(h);
    expect(fs.readdirSync(d)).toEqual([PROCEDURES_FILE]); // no temp file left behind
  });

  it('names the line of a damaged committed catalogue', () => {
    const d = dir();
    writeCatalogue(d, [makeProcedure({ code: '1.002', title: 'Thủ tục A' })]);
    fs.appendFileSync(path.join(d, PROCEDURES_FILE), '{"code": "1.003"\n');
    expect(() => loadCatalogue(d)).toThrow(/procedures\.jsonl:2: not JSON/);
  });
});
