import type { Procedure } from '../procedure.ts';
import { collectCases } from './cases.ts';
import { modelDocuments } from './groups.ts';
import type { ProcedureModel } from './schema.ts';

export * from './schema.ts';

/** The model of one record (pure: the same record always gives the same model). */
export function modelProcedure(p: Procedure): ProcedureModel {
  const groups = modelDocuments(p.documentGroups);
  return {
    groups,
    cases: collectCases(groups, p.conditions, p.steps, p.channels),
    timeUnitLost: p.channels.filter((c) => c.timeValue !== null && !c.timeUnit).map((c) => c.channel),
  };
}

/** The record with its model, computed when the record does not carry one yet. */
export function withModel(p: Procedure): Procedure & { model: ProcedureModel } {
  return p.model ? (p as Procedure & { model: ProcedureModel }) : { ...p, model: modelProcedure(p) };
}

export interface ModelStats {
  records: number;
  items: number;
  itemsWithCondition: number;
  itemsWithAlternatives: number;
  /** Items whose full text is kept (always all of them: the figure is checked, not assumed). */
  itemsKeptWhole: number;
  recordsWithCase: number;
  notes: number;
}

export function modelStats(ps: Procedure[], sourceItems: (p: Procedure) => string[]): ModelStats {
  const s: ModelStats = { records: ps.length, items: 0, itemsWithCondition: 0, itemsWithAlternatives: 0, itemsKeptWhole: 0, recordsWithCase: 0, notes: 0 };
  for (const p of ps) {
    const m = withModel(p).model;
    const texts = new Set(sourceItems(p));
    for (const g of m.groups) {
      s.notes += g.notes.length;
      for (const it of g.items) {
        s.items++;
        if (it.when || g.when) s.itemsWithCondition++;
        if (it.alternatives.length) s.itemsWithAlternatives++;
        if (texts.has(it.text)) s.itemsKeptWhole++;
      }
    }
    if (m.cases.length) s.recordsWithCase++;
  }
  return s;
}
