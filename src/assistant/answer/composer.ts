import type { CasePhrases } from '../../knowledge/case-phrases.ts';
import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import { type ProcedureModel, withModel } from '../../knowledge/model/index.ts';
import type { Channel, Procedure } from '../../knowledge/procedure.ts';
import { type CaseMatch, matchCases } from './case-match.ts';
import { caseLead, documentLines } from './documents.ts';
import { deadlineSentences, relevantSentences } from './relevant.ts';
import { type Aspect, type Choice, type Language, type ReplyMessage, choiceId } from '../../domain/types.ts';
import {
  agencies,
  channelNames,
  documentQuantity,
  groupChannels,
  hasOnline,
  mainDocuments,
  mainSteps,
  scopeOf,
  stepsMentionServiceCentre,
  timeText,
} from './procedure-facts.ts';
import { clipSentences, fitBlocks, MAX_MESSAGE_CHARS, SCREEN_CHARS, tidy } from './text-fit.ts';

/**
 * The offline answerer: a short answer built only from the structured record, shaped by the aspect asked. Every
 * fact comes from the record verbatim or as a count of it; what the record does not say is said to be unknown,
 * and the official page closes every answer.
 */

export interface ComposeContext {
  lang: Language;
  profile: CommuneProfile;
  /** The citizen's message: the case it describes leads the answer. */
  question?: string;
  casePhrases?: CasePhrases;
  /** Every document item and note, whole (the "Xem đủ giấy tờ" choice). */
  full?: boolean;
  /** The centre's own note for this procedure (an admin's local override, at most 300 characters). */
  localNote?: string | null;
}

/** What a body reads besides the record: its model and the cases the message matched. */
interface BodyInput {
  model: ProcedureModel;
  matches: CaseMatch[];
  /** What the lead already quotes: not repeated in the body. */
  shown: string;
}

const T = {
  vi: {
    code: 'mã',
    fee: 'Lệ phí:',
    noFee: 'danh mục không ghi',
    noFees: 'Danh mục không ghi lệ phí cho thủ tục này.',
    time: 'Thời hạn giải quyết:',
    noTime: 'danh mục không ghi',
    noTimes: 'Danh mục không ghi thời hạn giải quyết cho thủ tục này.',
    where: 'Nơi nộp và cơ quan giải quyết:',
    noWhere: 'Danh mục quốc gia không ghi rõ nơi tiếp nhận hồ sơ.',
    centreFromSteps: 'Theo trình tự thực hiện, hồ sơ được tiếp nhận tại Trung tâm Phục vụ hành chính công.',
    localCentre: (name: string, addr: string) => `${name}: ${addr}`,
    hours: (h: string) => `Giờ làm việc: ${h}`,
    onlineYes: 'Có. Thủ tục này có hình thức nộp trực tuyến trên Cổng Dịch vụ công.',
    onlineNo: 'Danh mục không có hình thức nộp trực tuyến cho thủ tục này.',
    fullyOnline: 'Cổng Dịch vụ công quốc gia ghi thủ tục này là dịch vụ công trực tuyến toàn trình.',
    howOnline: 'Theo trình tự thực hiện:',
    otherChannels: (c: string) => `Các cách nộp khác: ${c}.`,
    onlineTerms: (t: string | null, f: string | null) =>
      [t ? `thời hạn ${t}` : null, f ? `lệ phí ${f}` : null].filter(Boolean).join('; '),
    steps: 'Các bước thực hiện:',
    noSteps: 'Danh mục không ghi trình tự thực hiện cho thủ tục này.',
    moreSteps: (n: number) => `… còn ${n} bước/lưu ý, xem ở trang chính thức.`,
    conditions: 'Điều kiện:',
    noConditions: 'Danh mục không nêu điều kiện riêng cho thủ tục này.',
    targets: (t: string) => `Đối tượng thực hiện: ${t}.`,
    result: 'Kết quả nhận được:',
    noResult: 'Danh mục không ghi kết quả của thủ tục này.',
    legal: 'Căn cứ pháp lý:',
    noLegal: 'Danh mục không ghi căn cứ pháp lý.',
    moreLegal: (n: number) => `… và ${n} văn bản khác.`,
    overviewDocs: 'Hồ sơ: chọn "Giấy tờ" để xem danh sách giấy tờ cần nộp.',
    online: 'Nộp trực tuyến:',
    yes: 'có',
    no: 'không có trong danh mục',
    scope: {
      province: 'Lưu ý: thủ tục này do cấp tỉnh giải quyết, không làm tại UBND xã.',
      central: 'Lưu ý: thủ tục này do cơ quan trung ương (cấp bộ) giải quyết, không làm tại UBND xã.',
      provinceCentral: 'Lưu ý: thủ tục này do cấp tỉnh hoặc cấp bộ giải quyết, không làm tại UBND xã.',
      other: 'Lưu ý: thủ tục này do cơ quan chuyên ngành giải quyết, không làm tại UBND xã.',
    },
    source: 'Nguồn chính thức:',
    localNote: 'Ghi chú của Trung tâm:',
    recordSays: 'Hồ sơ thủ tục cũng ghi:',
    deadlines: 'Về thời hạn, hồ sơ thủ tục ghi:',
    more: '(xem đủ ở trang chính thức)',
    sourceLabel: 'Xem trên Cổng Dịch vụ công quốc gia',
    choices: { documents: 'Giấy tờ', fee: 'Lệ phí', time: 'Thời hạn', where: 'Nộp ở đâu', online: 'Nộp online', steps: 'Các bước' },
    allDocuments: 'Xem đủ giấy tờ',
    searchLabel: (code: string) => `Tra cứu mã ${code} trên Cổng Dịch vụ công quốc gia`,
    searchSource: (code: string, url: string, decision: string | null) =>
      `Nguồn: ${decision ? `Quyết định công bố ${decision}; ` : ''}tra cứu mã ${code} tại ${url}`,
  },
  en: {
    code: 'code',
    fee: 'Fee:',
    noFee: 'not stated in the listing',
    noFees: 'The listing states no fee for this procedure.',
    time: 'Processing time:',
    noTime: 'not stated in the listing',
    noTimes: 'The listing states no processing time for this procedure.',
    where: 'Where to submit and who decides:',
    noWhere: 'The national listing does not state where the dossier is received.',
    centreFromSteps: 'According to the steps, the dossier is received at the Public Administrative Service Center (Trung tâm Phục vụ hành chính công).',
    localCentre: (name: string, addr: string) => `${name}: ${addr}`,
    hours: (h: string) => `Opening hours: ${h}`,
    onlineYes: 'Yes. This procedure can be submitted online on the Public Service Portal (Cổng Dịch vụ công).',
    onlineNo: 'The listing has no online channel for this procedure.',
    fullyOnline: 'The National Public Service Portal lists it as fully online (toàn trình).',
    howOnline: 'The steps say (in Vietnamese):',
    otherChannels: (c: string) => `Other ways to submit: ${c}.`,
    onlineTerms: (t: string | null, f: string | null) =>
      [t ? `processing time ${t}` : null, f ? `fee ${f}` : null].filter(Boolean).join('; '),
    steps: 'Steps:',
    noSteps: 'The listing gives no steps for this procedure.',
    moreSteps: (n: number) => `… ${n} more steps/notes on the official page.`,
    conditions: 'Conditions:',
    noConditions: 'The listing states no specific conditions for this procedure.',
    targets: (t: string) => `Who can apply: ${t}.`,
    result: 'What you receive:',
    noResult: 'The listing does not state the result of this procedure.',
    legal: 'Legal basis:',
    noLegal: 'The listing gives no legal basis.',
    moreLegal: (n: number) => `… and ${n} more.`,
    overviewDocs: 'Dossier: choose "Documents" to see what to bring.',
    online: 'Online submission:',
    yes: 'yes',
    no: 'not in the listing',
    scope: {
      province: 'Note: this procedure is handled at province level, not at the commune People’s Committee.',
      central: 'Note: this procedure is handled by a central (ministry-level) agency, not at the commune.',
      provinceCentral: 'Note: this procedure is handled at province or ministry level, not at the commune.',
      other: 'Note: this procedure is handled by a specialised agency, not at the commune.',
    },
    source: 'Official source:',
    localNote: 'Note from the Center:',
    recordSays: 'The record also says:',
    deadlines: 'On time limits, the record says:',
    more: '(see the official page for the rest)',
    sourceLabel: 'See it on the National Public Service Portal',
    choices: { documents: 'Documents', fee: 'Fee', time: 'Processing time', where: 'Where to submit', online: 'Online', steps: 'Steps' },
    allDocuments: 'All documents',
    searchLabel: (code: string) => `Search code ${code} on the National Public Service Portal`,
    searchSource: (code: string, url: string, decision: string | null) =>
      `Source: ${decision ? `publishing decision ${decision}; ` : ''}search for code ${code} at ${url}`,
  },
} as const;

type Strings = (typeof T)['vi'] | (typeof T)['en'];

/** Characters kept free for up to six choices rendered as numbered lines (Zalo) in the same 2,000. */
const CHOICES_ROOM = 480;
/** At most this much of a message leads with the citizen's case and the record's sentences about it. */
const LEAD_ROOM = 900;

/** The centre's note as the answer shows it, on the line before the official source; null without one. */
export function localNoteLine(note: string | null | undefined, lang: Language): string | null {
  return note?.trim() ? `${T[lang].localNote} ${tidy(note)}` : null;
}

export function composeAnswer(record: Procedure, aspect: Aspect, ctx: ComposeContext): ReplyMessage {
  const s = T[ctx.lang];
  const p = withModel(record);
  const header = `${tidy(p.title)} (${s.code} ${p.code})`;
  const scope = scopeNote(p, s);
  const search = p.urlKind === 'search';
  const official = search ? s.searchSource(p.code, p.url, p.decision) : `${s.source} ${p.url}`;
  // the centre's note on the line before the official source, kept whatever else is dropped
  const note = localNoteLine(ctx.localNote, ctx.lang);
  const source = note ? `${note}\n${official}` : official;
  const matches = ctx.question && ctx.casePhrases ? matchCases(ctx.question, p.title, p.model, ctx.casePhrases) : [];
  const lead = caseLead(p.model, matches, ctx.lang);
  // the record's sentences about what else the message asks, whole, unless the case lead already quotes them
  const shownLead = lead.join('\n');
  const extra = ctx.question ? relevantSentences(ctx.question, p, p.model, aspect).filter((t) => !shownLead.includes(t)) : [];
  if (extra.length) {
    // the record's other sentences only while the lead stays short enough to leave room for the aspect asked
    const room = LEAD_ROOM - shownLead.length - s.recordSays.length;
    const fitting = extra.filter((t, i) => i === 0 || extra.slice(0, i + 1).join('\n').length <= room);
    if (fitting.length && (shownLead.length === 0 || fitting[0]!.length <= room)) lead.push(s.recordSays, ...fitting.map((t) => `• ${t}`));
  }
  const fixed = header.length + source.length + (scope?.length ?? 0) + 8;
  const leadText = lead.join('\n');
  // what the body may use: the whole message stays within one screen where it can and never passes Zalo's limit
  const limit = ctx.full ? MAX_MESSAGE_CHARS : SCREEN_CHARS;
  // room for the choices, which Zalo shows as numbered lines in the same message
  const MAX_TEXT = MAX_MESSAGE_CHARS - CHOICES_ROOM;
  // within what the message may hold, so the body drops its own whole items ("… còn 9 giấy tờ") before the
  // message has to drop lines below
  const budget = Math.max(300, Math.min(limit, MAX_TEXT - fixed) - leadText.length);
  const input: BodyInput = { model: p.model, matches, shown: leadText };
  const body = BODIES[aspect](p, s, ctx, budget, input);
  const parts = [header, scope, leadText, body.join('\n'), source].filter(Boolean);
  let text = parts.join('\n\n');
  if (text.length > MAX_TEXT) {
    // drop whole body lines from the end rather than cut one
    const lines = [...body];
    while (lines.length > 1 && [header, scope, leadText, lines.join('\n'), source].filter(Boolean).join('\n\n').length > MAX_TEXT - 60) lines.pop();
    const more = ctx.lang === 'vi' ? '… xem đủ ở trang chính thức.' : '… see the official page for the rest.';
    text = [header, scope, leadText, [...lines, more].join('\n'), source].filter(Boolean).join('\n\n');
    if (text.length > MAX_TEXT) text = [header, scope, clipSentences(leadText, 700, s.more), more, source].filter(Boolean).join('\n\n');
  }
  const choices = followUpChoices(aspect, s);
  const hasSpecial = p.model.groups.some((g) => g.when || g.items.some((it) => it.when) || g.notes.length);
  if (aspect === 'documents' && !ctx.full && hasSpecial) choices.unshift({ id: choiceId.allDocuments(), label: s.allDocuments });
  return {
    text,
    link: { url: p.url, label: search ? s.searchLabel(p.code) : s.sourceLabel },
    choices: choices.slice(0, 5),
  };
}

function scopeNote(p: Procedure, s: Strings): string | null {
  const scope = scopeOf(p);
  if (scope.includes('commune')) return null;
  if (scope.includes('province') && scope.includes('central')) return s.scope.provinceCentral;
  if (scope.includes('province')) return s.scope.province;
  if (scope.includes('central')) return s.scope.central;
  return s.scope.other;
}

function followUpChoices(asked: Aspect, s: Strings): Choice[] {
  const order: (keyof Strings['choices'])[] = ['documents', 'fee', 'time', 'online', 'where', 'steps'];
  return order
    .filter((a) => a !== asked)
    .slice(0, 4)
    .map((a) => ({ id: choiceId.aspect(a), label: s.choices[a] }));
}

/**
 * The record's fee cell without its own leading "Lệ phí:" ("Lệ phí : 12.345 đồng"), which the answer already says
 * before it: "Lệ phí: • Trực tiếp: 12.345 đồng", not "Lệ phí: • Trực tiếp: Lệ phí : 12.345 đồng". A cell of several
 * labelled lines keeps each amount, ", " between (not "; ", where a shorter answer may stop). Only the same word
 * goes: "Phí : 0 Đồng" keeps its label (a phí is not a lệ phí); a cell whose lines are not all labelled stays as it is.
 */
function feeValue(text: string, s: Strings): string {
  const label = new RegExp(`^${s.fee.replace(/:$/, '')}\\s*:\\s*`, 'iu');
  const lines = text.split(/\n+/).map(tidy).filter(Boolean);
  if (!lines.length || !lines.every((l) => label.test(l) && l.replace(label, '').trim())) return tidy(text);
  return lines.map((l) => tidy(l.replace(label, ''))).join(', ');
}

/**
 * "• Trực tiếp, Trực tuyến: …" per group of channels. Values that differ only past what the line has room for read
 * the same once shortened; they are said once for all their channels, not once per channel.
 */
function channelLines(groups: { channels: Channel[]; value: string | null }[], lang: Language, show: (value: string | null) => string): string[] {
  const order: Channel[] = ['truc_tiep', 'truc_tuyen', 'buu_chinh'];
  const lines: { channels: Set<Channel>; text: string }[] = [];
  for (const g of groups) {
    const text = show(g.value);
    const same = lines.find((l) => l.text === text);
    if (same) g.channels.forEach((c) => same.channels.add(c));
    else lines.push({ channels: new Set(g.channels), text });
  }
  return lines.map((l) => `• ${channelNames(order.filter((c) => l.channels.has(c)), lang)}: ${l.text}`);
}

type Body = (p: Procedure, s: Strings, ctx: ComposeContext, budget: number, input: BodyInput) => string[];

const documents: Body = (_p, _s, ctx, budget, { model, matches }) => {
  // items the case lead already shows whole are not listed again
  const shown = matches.slice(0, 2).filter((m) => m.item !== undefined);
  const { lines } = documentLines(model, shown, ctx.lang, budget, ctx.full);
  return lines;
};

const fee: Body = (p, s, ctx, budget) => {
  if (!p.channels.length) return [s.noFees];
  const groups = groupChannels(p.channels, (c) => {
    const f = c.feeText ? feeValue(c.feeText, s) : null;
    const d = c.description ? tidy(c.description) : '';
    return f || d ? [f ?? s.noFee, d].filter(Boolean).join(' — ') : null;
  });
  if (groups.every((g) => g.value === null)) return [s.noFees];
  const per = Math.max(200, Math.floor(budget / groups.length) - 30);
  return [s.fee, ...channelLines(groups, ctx.lang, (v) => (v ? clipSentences(v, per, s.more) : s.noFee))];
};

const time: Body = (p, s, ctx, budget, { model, shown }) => {
  if (!p.channels.length) return [s.noTimes];
  // The description often sets the real limit ("tối đa không quá 20 ngày làm việc", "kéo dài thêm …"): kept with the number.
  const groups = groupChannels(p.channels, (c) => {
    const t = timeText(c, ctx.lang);
    // only the description's sentences about time: the same cell often holds the fee's conditions
    const d = c.description ? timeSentences(tidy(c.description).replace(/^[-–•]\s*/, '')) : '';
    return t || d ? [t ?? s.noTime, d].filter(Boolean).join(' — ') : null;
  });
  const deadlines = deadlineSentences(p, model).filter((t) => !shown.includes(t));
  const extra = deadlines.length ? [s.deadlines, ...deadlines.map((t) => `• ${t}`)] : [];
  if (groups.every((g) => g.value === null)) return [s.noTimes, ...extra];
  const per = Math.max(200, Math.floor((budget - extra.join('\n').length) / groups.length) - 30);
  return [s.time, ...channelLines(groups, ctx.lang, (v) => (v ? clipSentences(v, per, s.more) : s.noTime)), ...extra];
};

/** The first sentence of the steps or conditions that says where or how to submit online, whole. */
function onlineStepSentence(p: Procedure): string | null {
  for (const text of [...p.steps, p.conditions ?? '']) {
    for (const line of text.split(/\n+/)) {
      for (const sentence of line.split(/(?<=[.;])\s+(?=\S)/u)) {
        const t = tidy(sentence).replace(/^[-+•*]\s*/, '');
        if (t.length <= 400 && /trực tuyến|qua mạng/iu.test(t) && /cổng dịch vụ công|vneid|ứng dụng định danh|dịch vụ công trực tuyến/iu.test(t)) return t;
      }
    }
  }
  return null;
}

/** The sentences of a channel's description that speak of time ("… không quá 20 ngày làm việc", "kéo dài thêm …"). */
function timeSentences(description: string): string {
  return description
    .split(/(?<=[.;])\s+(?=\S)|\s+(?=- [A-ZĐÀ-Ỹ])/u)
    .filter((x) => /\d+\s*(?:ngày|giờ|tháng|working days?|days?|hours?)(?!\s*\d)|thời hạn|kéo dài/iu.test(x))
    .join(' ');
}

const where: Body = (p, s, ctx) => {
  const lines = agencies(p, ctx.lang).map((l) => `• ${clipSentences(l, 300, s.more)}`);
  if (!p.receivingAddress && stepsMentionServiceCentre(p)) lines.push(`• ${s.centreFromSteps}`);
  const centre = ctx.profile.centre;
  if (scopeOf(p).includes('commune') && centre.address) {
    lines.push(`• ${s.localCentre(centre.name ?? 'Trung tâm Phục vụ hành chính công', centre.address)}`);
    if (centre.openingHours) lines.push(`• ${s.hours(centre.openingHours)}`);
  }
  if (hasOnline(p)) lines.push(`• ${s.onlineYes}`);
  return lines.length ? [s.where, ...lines] : [s.noWhere];
};

const online: Body = (p, s, ctx) => {
  const web = p.channels.find((c) => c.channel === 'truc_tuyen');
  const others = p.channels.filter((c) => c.channel !== 'truc_tuyen').map((c) => c.channel);
  const out: string[] = [];
  if (web) {
    out.push(s.onlineYes);
    const terms = s.onlineTerms(timeText(web, ctx.lang), web.feeText ? feeValue(web.feeText, s) : null);
    if (terms) out.push(`• ${channelNames(['truc_tuyen'], ctx.lang)}: ${terms}.`);
  } else {
    out.push(s.onlineNo);
  }
  if (web && p.fullyOnline) out.push(s.fullyOnline);
  // how the record itself says to submit online ("… truy cập Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh …")
  const how = web ? onlineStepSentence(p) : null;
  if (how) out.push(`${s.howOnline} ${how}`);
  if (others.length) out.push(s.otherChannels(channelNames(others, ctx.lang)));
  const place = agencies(p, ctx.lang)[0];
  if (place) out.push(`• ${clipSentences(place, 300, s.more)}`);
  return out;
};

const steps: Body = (p, s, _ctx, budget) => {
  const list = mainSteps(p);
  if (!list.length) return [s.noSteps];
  const lines = list.map((st, i) => `${i + 1}. ${clipSentences(st.replace(/^(bước\s*\d+\s*[:.)-]?\s*)/i, ''), 300, s.more)}`);
  const more = p.steps.length - list.length;
  const fitted = fitBlocks(lines, budget - s.steps.length, (n) => s.moreSteps(n + more));
  return [s.steps, ...fitted];
};

const conditions: Body = (p, s, _ctx, budget) => {
  const out: string[] = [];
  if (p.conditions) out.push(s.conditions, clipSentences(p.conditions, Math.max(300, budget - 200), s.more));
  else out.push(s.noConditions);
  if (p.targets.length) out.push(s.targets(p.targets.join(', ')));
  return out;
};

const result: Body = (p, s, _ctx, budget) => (p.result ? [s.result, clipSentences(p.result, budget, s.more)] : [s.noResult]);

const legal: Body = (p, s, _ctx, budget) => {
  if (!p.legalBasis.length) return [s.noLegal];
  const lines = p.legalBasis.map((l) => `• ${l.number ? `${l.number}: ` : ''}${clipSentences(l.title, 160, s.more)}`);
  return [s.legal, ...fitBlocks(lines, budget - s.legal.length, s.moreLegal)];
};

/** Nothing specific asked: where, how long, how much, online, and how many documents, one line each. */
const overview: Body = (p, s, ctx) => {
  const out: string[] = [];
  const place = agencies(p, ctx.lang)[0];
  if (place) out.push(`• ${clipSentences(place, 200, s.more)}`);
  else if (stepsMentionServiceCentre(p)) out.push(`• ${s.centreFromSteps}`);
  const t = groupChannels(p.channels, (c) => timeText(c, ctx.lang)).filter((g) => g.value);
  if (t.length) out.push(`• ${s.time} ${t.map((g) => `${clipSentences(g.value!, 120, s.more)} (${channelNames(g.channels, ctx.lang)})`).join('; ')}`);
  const f = groupChannels(p.channels, (c) => (c.feeText ? feeValue(c.feeText, s) : null)).filter((g) => g.value);
  if (f.length) out.push(`• ${s.fee} ${f.map((g) => `${clipSentences(g.value!, 120, s.more)} (${channelNames(g.channels, ctx.lang)})`).join('; ')}`);
  out.push(`• ${s.online} ${hasOnline(p) ? s.yes : s.no}`);
  // A count would be a number the record does not state; the list is one tap away instead.
  if (mainDocuments(p).length) out.push(`• ${s.overviewDocs}`);
  return out;
};

const BODIES: Record<Aspect, Body> = { overview, documents, fee, time, where, online, steps, conditions, result, legal };
