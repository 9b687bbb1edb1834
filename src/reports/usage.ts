import type { Db } from '../storage/db.ts';
import {
  dossiersInRange,
  guideRunsInRange,
  newConversationsInRange,
  ratingsInRange,
  turnsInRange,
  unansweredInRange,
} from '../storage/report-queries.ts';
import { conversationsReport, outcomesReport, topProcedures, type ConversationsReport, type OutcomesReport, type ProcedureCount } from './activity.ts';
import { funnelReport, type FunnelReport } from './funnel.ts';
import { indicatorsReport, type IndicatorsReport } from './indicators.ts';
import type { ReportPeriod } from './query.ts';
import { unansweredTopics, type Topic } from './unanswered.ts';

/** Each issue-11 report computed from the database for one period (the routes call one; the pages call all). */

export const TOP_PROCEDURES = 10;

export const conversationsOf = async (db: Db, p: ReportPeriod): Promise<ConversationsReport> =>
  conversationsReport(await turnsInRange(db, p.range), p, await newConversationsInRange(db, p.range));

export const outcomesOf = async (db: Db, p: ReportPeriod): Promise<OutcomesReport> =>
  outcomesReport(await turnsInRange(db, p.range), (await ratingsInRange(db, p.range)).length);

export const proceduresOf = async (db: Db, p: ReportPeriod): Promise<ProcedureCount[]> => topProcedures(await turnsInRange(db, p.range), TOP_PROCEDURES);

export const unansweredOf = async (db: Db, p: ReportPeriod): Promise<Topic[]> => unansweredTopics(await unansweredInRange(db, p.range));

export const indicatorsOf = async (db: Db, p: ReportPeriod): Promise<IndicatorsReport> => indicatorsReport(await dossiersInRange(db, p.range), p.range);

export const funnelOf = async (db: Db, p: ReportPeriod): Promise<FunnelReport> => funnelReport(await guideRunsInRange(db, p.range));

export interface UsageReports {
  conversations: ConversationsReport;
  outcomes: OutcomesReport;
  procedures: ProcedureCount[];
  unanswered: Topic[];
  indicators: IndicatorsReport;
  funnel: FunnelReport;
}

/** All of them, reading the turn log once. */
export async function usageReports(db: Db, p: ReportPeriod): Promise<UsageReports> {
  const turns = await turnsInRange(db, p.range);
  return {
    conversations: conversationsReport(turns, p, await newConversationsInRange(db, p.range)),
    outcomes: outcomesReport(turns, (await ratingsInRange(db, p.range)).length),
    procedures: topProcedures(turns, TOP_PROCEDURES),
    unanswered: await unansweredOf(db, p),
    indicators: await indicatorsOf(db, p),
    funnel: await funnelOf(db, p),
  };
}
