import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeSources, supersedes } from '../../src/knowledge/merge-sources.ts';
import type { Procedure } from '../../src/knowledge/procedure.ts';
import { countRecords, detectFormat, parseSource } from '../../src/knowledge/source-format.ts';
import { makeProcedure } from '../helpers/procedures.ts';

const rec = (code: string, origin: Procedure['origin'], updatedAt?: string, title = `Thủ tục ${code} (${origin})`) =>
  makeProcedure({ code, title, origin, updatedAt });

describe('supersedes', () => {
  it('the more recently updated record wins, whatever its source', () => {
    expect(supersedes(rec('1.1', 'bqp', '2026-06-01T00:00:00.000Z'), rec('1.1', 'portal', '2026-05-01T00:00:00.000Z'))).toBe(true);
    expect(supersedes(rec('1.1', 'portal', '2026-05-01T00:00:00.000Z'), rec('1.1', 'bqp', '2026-06-01T00:00:00.000Z'))).toBe(false);
  });

  it('a record with a date beats one without', () => {
    expect(supersedes(rec('1.1', 'bqp', '2026-01-01T00:00:00.000Z'), rec('1.1', 'portal'))).toBe(true);
    expect(supersedes(rec('1.1', 'portal'), rec('1.1', 'bqp', '2026-01-01T00:00:00.000Z'))).toBe(false);
  });

  it('otherwise the portal beats the listing, the listing beats bqp; a full tie keeps the incumbent', () => {
    expect(supersedes(rec('1.1', 'portal'), rec('1.1', 'listing'))).toBe(true);
    expect(supersedes(rec('1.1', 'listing'), rec('1.1', 'bqp'))).toBe(true);
    expect(supersedes(rec('1.1', 'bqp'), rec('1.1', 'listing'))).toBe(false);
    expect(supersedes(rec('1.1', 'listing'), rec('1.1', 'portal'))).toBe(false);
    const same = '2026-03-03T00:00:00.000Z';
    expect(supersedes(rec('1.1', 'portal', same), rec('1.1', 'listing', same))).toBe(true); // equal dates: the source decides
    expect(supersedes(rec('1.1', 'listing'), rec('1.1', 'listing'))).toBe(false);
  });

  it('a record without an origin is a listing record', () => {
    const { origin: _, ...bare } = rec('1.1', 'listing');
    expect(supersedes(bare as Procedure, rec('1.1', 'bqp'))).toBe(true);
    expect(supersedes(rec('1.1', 'portal'), bare as Procedure)).toBe(true);
  });
});

describe('mergeSources', () => {
  it('keeps one record per code and counts, per source, what it kept, lost and replaced', () => {
    const listing = [rec('1.001', 'listing'), rec('1.002', 'listing'), rec('1.003', 'listing')];
    const portal = [rec('1.002', 'portal', '2026-04-17T08:53:36.676Z'), rec('1.004', 'portal', '2026-05-01T00:00:00.000Z')];
    const bqp = [rec('1.003', 'bqp'), rec('1.005', 'bqp'), rec('1.004', 'bqp')];
    const merged = mergeSources([
      { name: 'listing.jsonl', procedures: listing },
      { name: 'portal.jsonl', procedures: portal },
      { name: 'bqp.jsonl', procedures: bqp },
    ]);
    expect(merged.procedures.map((p) => [p.code, p.origin])).toEqual([
      ['1.001', 'listing'],
      ['1.002', 'portal'], // dated beats undated
      ['1.003', 'listing'], // neither dated: listing over bqp
      ['1.004', 'portal'],
      ['1.005', 'bqp'],
    ]);
    expect(merged.stats).toEqual([
      { name: 'listing.jsonl', kept: 2, overridden: 1, overrode: 1 },
      { name: 'portal.jsonl', kept: 2, overridden: 0, overrode: 2 },
      { name: 'bqp.jsonl', kept: 1, overridden: 2, overrode: 0 },
    ]);
    expect(merged.conflicts).toEqual([
      { code: '1.002', winner: 'portal.jsonl', losers: ['listing.jsonl'] },
      { code: '1.003', winner: 'listing.jsonl', losers: ['bqp.jsonl'] },
      { code: '1.004', winner: 'portal.jsonl', losers: ['bqp.jsonl'] },
    ]);
  });

  it('between two portal files the newer record wins; on the same date the file read first', () => {
    const a = rec('1.010824', 'portal', '2026-04-17T08:53:36.676Z', 'Bản cũ');
    const b = rec('1.010824', 'portal', '2026-10-01T00:00:00.000Z', 'Bản mới');
    expect(mergeSources([{ name: 'a', procedures: [a] }, { name: 'b', procedures: [b] }]).procedures[0]!.title).toBe('Bản mới');
    expect(mergeSources([{ name: 'b', procedures: [b] }, { name: 'a', procedures: [a] }]).procedures[0]!.title).toBe('Bản mới');
    const twin = rec('1.010824', 'portal', '2026-04-17T08:53:36.676Z', 'Bản thứ hai');
    expect(mergeSources([{ name: 'a', procedures: [a] }, { name: 't', procedures: [twin] }]).procedures[0]!.title).toBe('Bản cũ');
  });

  it('with no conflicts every record is kept', () => {
    const merged = mergeSources([{ name: 'x', procedures: [rec('1.1', 'listing')] }, { name: 'y', procedures: [] }]);
    expect(merged.procedures).toHaveLength(1);
    expect(merged.stats).toEqual([
      { name: 'x', kept: 1, overridden: 0, overrode: 0 },
      { name: 'y', kept: 0, overridden: 0, overrode: 0 },
    ]);
  });
});

describe('source formats', () => {
  const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

  it('tells the three exports apart by their first recognisable line', () => {
    expect(detectFormat(fixture('listing-sample.jsonl'))).toBe('listing');
    expect(detectFormat(fixture('portal-sample.jsonl'))).toBe('portal');
    expect(detectFormat(fixture('bqp-sample.jsonl'))).toBe('bqp');
    expect(detectFormat(`\n{"broken": \n${fixture('portal-sample.jsonl')}`)).toBe('portal');
    expect(detectFormat('garbage\n\u0000\u0001\n')).toBeNull();
    expect(detectFormat('{"a": 1}\n')).toBeNull();
  });

  it('parses each with its own importer; every record says where it came from', () => {
    for (const [name, format, origin] of [
      ['listing-sample.jsonl', 'listing', 'listing'],
      ['portal-sample.jsonl', 'portal', 'portal'],
      ['bqp-sample.jsonl', 'bqp', 'bqp'],
    ] as const) {
      const text = fixture(name);
      const { procedures, errors } = parseSource(format, text);
      expect(procedures.length + errors.length, name).toBe(countRecords(text));
      expect(procedures.length, name).toBeGreaterThan(0);
      for (const p of procedures) expect(p.origin ?? 'listing', name).toBe(origin); // absent = the listing
    }
  });
});
