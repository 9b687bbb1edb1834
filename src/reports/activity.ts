import { OutcomeSchema, type Outcome } from '../domain/types.ts';
import type { TurnActivityRow } from '../storage/report-queries.ts';
import { CHANNEL_LABELS } from './satisfaction.ts';
import { dayLabel, monthLabel, vietnamDay, vietnamMonth } from './vietnam-time.ts';

/**
 * How the assistant was used in a period, from the turn log (one row per citizen message): conversations per
 * channel and Vietnam day, how the messages ended (plus the ratings given), and the procedures asked about most.
 */

/** Channels in a fixed order, so charts and CSV columns do not move from one month to the next. */
export const CHANNELS = ['telegram', 'zalo', 'web'] as const;

export const channelLabel = (channel: string): string => CHANNEL_LABELS[channel] ?? channel;

/** Periods longer than this are shown per month: 365 daily columns are not readable. */
export const MAX_DAYS = 62;

export interface ConversationBucket {
  /** '2026-11-05' (a day) or '2026-11' (a month). */
  key: string;
  label: string;
  /** Distinct conversations with at least one message in the bucket, per channel. */
  byChannel: Record<string, number>;
  total: number;
  messages: number;
}

export interface ConversationsReport {
  unit: 'day' | 'month';
  channels: { channel: string; label: string; conversations: number; messages: number; newConversations: number }[];
  buckets: ConversationBucket[];
  /** Distinct conversations in the whole period (one active on three days counts once). */
  conversations: number;
  messages: number;
}

/** Every day from `first` to `last` ('YYYY-MM-DD'), both included. */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const end = last.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= end) return out;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/**
 * The period's buckets: every day (or month) from its first to its last day, so a day without messages shows as
 * zero rather than missing; an open end is taken from the first or last message.
 */
export function conversationsReport(
  rows: readonly TurnActivityRow[],
  period: { from: string | null; to: string | null },
  newConversations: readonly { channel: string; count: number }[] = [],
): ConversationsReport {
  const days = rows.map((r) => vietnamDay(r.createdAt));
  const first = period.from ?? days[0] ?? null;
  const last = period.to ?? days.at(-1) ?? null;
  const dayList = first && last && first <= last ? daysBetween(first, last) : [];
  const unit: 'day' | 'month' = dayList.length > MAX_DAYS ? 'month' : 'day';
  const keys = unit === 'day' ? dayList : first && last ? monthsBetween(first, last) : [];
  const keyOf = (d: Date) => (unit === 'day' ? vietnamDay(d) : vietnamMonth(d));

  // A conversation counts once per bucket (a conversation id is already scoped to its channel).
  const seen = new Set<string>();
  const buckets = new Map<string, ConversationBucket>(
    keys.map((k) => [k, { key: k, label: unit === 'day' ? dayLabel(k) : monthLabel(k), byChannel: {}, total: 0, messages: 0 }]),
  );
  const perChannel = new Map<string, { conversations: Set<string>; messages: number }>();
  const all = new Set<string>();
  for (const r of rows) {
    const key = keyOf(r.createdAt);
    const b = buckets.get(key);
    if (!b) continue;
    b.messages += 1;
    const id = `${key}\u0000${r.channel}\u0000${r.conversationId}`;
    if (!seen.has(id)) {
      seen.add(id);
      b.byChannel[r.channel] = (b.byChannel[r.channel] ?? 0) + 1;
      b.total += 1;
    }
    let c = perChannel.get(r.channel);
    if (!c) perChannel.set(r.channel, (c = { conversations: new Set(), messages: 0 }));
    c.conversations.add(r.conversationId);
    c.messages += 1;
    all.add(r.conversationId);
  }
  const fresh = new Map(newConversations.map((n) => [n.channel, n.count]));
  const channelIds = [...CHANNELS, ...[...new Set([...perChannel.keys(), ...fresh.keys()])].filter((c) => !(CHANNELS as readonly string[]).includes(c)).sort()];
  return {
    unit,
    channels: channelIds.map((channel) => ({
      channel,
      label: channelLabel(channel),
      conversations: perChannel.get(channel)?.conversations.size ?? 0,
      messages: perChannel.get(channel)?.messages ?? 0,
      newConversations: fresh.get(channel) ?? 0,
    })),
    buckets: [...buckets.values()],
    conversations: all.size,
    messages: [...buckets.values()].reduce((s, b) => s + b.messages, 0),
  };
}

/** What each outcome is called for people (the turn log's statuses, then the ratings given). */
export const OUTCOME_LABELS: Record<Outcome | 'rated', string> = {
  answered: 'Đã trả lời',
  clarified: 'Hỏi lại để làm rõ',
  no_answer: 'Chưa trả lời được',
  out_of_scope: 'Ngoài phạm vi',
  emergency: 'Khẩn cấp (113, 114, 115)',
  handover_requested: 'Yêu cầu gặp cán bộ',
  guardrail_blocked: 'Bị chặn để bảo đảm an toàn',
  error: 'Lỗi hệ thống',
  rated: 'Được đánh giá',
};

export interface OutcomesReport {
  /** Messages in the period. */
  messages: number;
  outcomes: { outcome: Outcome; label: string; count: number; share: number | null }[];
  /** Satisfaction ratings given in the period (an episode rated, not a message). */
  rated: { label: string; count: number };
}

export function outcomesReport(rows: readonly TurnActivityRow[], ratings: number): OutcomesReport {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const messages = rows.length;
  return {
    messages,
    outcomes: OutcomeSchema.options.map((o) => {
      const count = counts.get(o) ?? 0;
      return { outcome: o, label: OUTCOME_LABELS[o], count, share: messages ? count / messages : null };
    }),
    rated: { label: OUTCOME_LABELS.rated, count: ratings },
  };
}

export interface ProcedureCount {
  code: string;
  title: string | null;
  label: string;
  messages: number;
  conversations: number;
}

/** The procedures messages were about (the first one each cited), most asked first; `limit` of them. */
export function topProcedures(rows: readonly TurnActivityRow[], limit = 10): ProcedureCount[] {
  const by = new Map<string, { title: string | null; messages: number; conversations: Set<string> }>();
  for (const r of rows) {
    if (!r.procedureCode) continue;
    let p = by.get(r.procedureCode);
    if (!p) by.set(r.procedureCode, (p = { title: r.procedureTitle, messages: 0, conversations: new Set() }));
    p.messages += 1;
    p.conversations.add(r.conversationId);
  }
  return [...by.entries()]
    .map(([code, p]) => ({ code, title: p.title, label: p.title ? `${p.title} (${code})` : code, messages: p.messages, conversations: p.conversations.size }))
    .sort((a, b) => b.messages - a.messages || b.conversations - a.conversations || a.code.localeCompare(b.code))
    .slice(0, limit);
}
