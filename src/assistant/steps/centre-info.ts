import type { CommuneProfile, WorkingHours } from '../../knowledge/commune-profile.ts';
import { formatOpening, holidayOf, localDay, openingAt, spansOf, VIETNAM_OFFSET_MS, WEEKDAY_EN, WEEKDAY_VI } from '../../services/handover/hours.ts';
import type { Language, ReplyMessage } from '../../domain/types.ts';
import { contactLine, NATIONAL_PORTAL } from '../answer/replies.ts';
import type { CentreDay, CentreFact, CentreQuestion } from '../router/rules.ts';
import { centreTitle } from './local-answer.ts';

/**
 * The answer to a question about the centre itself ("giờ làm việc", "thứ bảy có làm việc không", "đường dây nóng",
 * "trung tâm ở đâu"), from the commune profile in force and nothing else: a fact the admin has not set is said to
 * be unknown, with the national portal and /canbo to turn to. Never an hour, number or address of our own. The
 * lines are /lienhe's (contactLine); the weekly hours, today's and the next opening are read as the handover does
 * (src/services/handover/hours.ts).
 */
export function centreInfoReply(q: CentreQuestion, profile: CommuneProfile, lang: Language, now: Date): ReplyMessage {
  const vi = lang === 'vi';
  const known: string[] = [];
  const unknown: string[] = [];
  for (const fact of q.facts) {
    const lines = fact === 'hours' ? hoursLines(profile, q.days, lang, now) : factLines(profile, fact, lang);
    known.push(...lines.known);
    unknown.push(...lines.unknown);
  }
  const text: string[] = [];
  if (known.length) {
    text.push(vi ? `Thông tin của ${centreTitle(profile)} (do xã cập nhật cho trợ lý):` : `Information from ${centreTitle(profile, 'en')} (as the commune set it for the assistant):`, ...known);
  }
  if (unknown.length) {
    const what = unknown.join(', ');
    text.push(
      vi ? `Tôi không biết ${what}: xã chưa cập nhật cho trợ lý.` : `I do not know ${what}: the commune has not given it to the assistant.`,
      vi
        ? `Bạn có thể tra trên Cổng Dịch vụ công quốc gia (${NATIONAL_PORTAL}) hoặc nhắn /canbo để hỏi cán bộ.`
        : `You can look on the National Public Service Portal (${NATIONAL_PORTAL}) or send /canbo to ask staff.`,
    );
  }
  const portal = q.facts.includes('portal') && profile.provincePortalUrl;
  const link = portal
    ? { url: portal, label: vi ? 'Cổng dịch vụ công của tỉnh' : 'Province public service portal' }
    : unknown.length
      ? { url: NATIONAL_PORTAL, label: vi ? 'Cổng Dịch vụ công quốc gia' : 'National Public Service Portal' }
      : undefined;
  return link ? { text: text.join('\n'), link } : { text: text.join('\n') };
}

interface Lines {
  known: string[];
  /** What the profile does not say, named for "Tôi không biết …". */
  unknown: string[];
}

const FACT_NAMES: Record<Exclude<CentreFact, 'hours'>, { vi: string; en: string }> = {
  phone: { vi: 'số điện thoại của Trung tâm', en: "the centre's phone number" },
  address: { vi: 'địa chỉ của Trung tâm', en: "the centre's address" },
  email: { vi: 'email của Trung tâm', en: "the centre's email" },
  portal: { vi: 'cổng dịch vụ công của tỉnh', en: "the province's public service portal" },
};

function factLines(profile: CommuneProfile, fact: Exclude<CentreFact, 'hours'>, lang: Language): Lines {
  // the address line is /lienhe's "name: address"; a name alone does not say where the centre is
  const line = fact === 'address' ? (profile.centre.address ? contactLine(profile, 'place', lang) : null) : contactLine(profile, fact, lang);
  return line ? { known: [line], unknown: [] } : { known: [], unknown: [FACT_NAMES[fact][lang]] };
}

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** `Date.getUTCDay()` of each of WEEK. */
const WEEKDAY_INDEX = [1, 2, 3, 4, 5, 6, 0];

const time = (minutes: number) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
const hhmm = (span: string) => span.split('-').map((t) => time(Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)))).join('–');

/** "thứ Hai–thứ Sáu 7:30–17:00; thứ Bảy 7:30–11:30; Chủ nhật nghỉ", consecutive days with the same hours together. */
function weeklySummary(hours: WorkingHours, lang: Language): string {
  const names = lang === 'vi' ? WEEKDAY_VI : WEEKDAY_EN;
  const runs: { from: number; to: number; span: string | null }[] = [];
  WEEK.forEach((key, i) => {
    const span = hours.weekly[key];
    const last = runs.at(-1);
    if (last && last.span === span) last.to = i;
    else runs.push({ from: i, to: i, span });
  });
  const closed = lang === 'vi' ? 'nghỉ' : 'closed';
  return runs
    .map((r) => {
      const days = r.from === r.to ? names[WEEKDAY_INDEX[r.from]!] : `${names[WEEKDAY_INDEX[r.from]!]}–${names[WEEKDAY_INDEX[r.to]!]}`;
      return `${days} ${r.span ? hhmm(r.span) : closed}`;
    })
    .join('; ');
}

/** A day's open spans said in words: "7:30–11:30, 13:30–17:00", or closed (with the holiday's name). */
function daySpans(hours: WorkingHours, at: number, lang: Language): string {
  const day = localDay(at);
  const spans = spansOf(hours, day);
  if (spans.length) return spans.map(([a, b]) => `${time(a)}–${time(b)}`).join(', ');
  const holiday = holidayOf(hours, day.iso);
  if (lang === 'vi') return holiday ? `nghỉ (${holiday})` : 'Trung tâm không làm việc';
  return holiday ? `closed (${holiday})` : 'closed';
}

const dateOf = (at: number) => {
  const local = new Date(at + VIETNAM_OFFSET_MS);
  return { weekday: local.getUTCDay(), text: `${local.getUTCDate()}/${local.getUTCMonth() + 1}` };
};

function hoursLines(profile: CommuneProfile, days: readonly CentreDay[], lang: Language, now: Date): Lines {
  const vi = lang === 'vi';
  const hours = profile.hours && Object.values(profile.hours.weekly).some((d) => d !== null) ? profile.hours : null;
  const written = contactLine(profile, 'hours', lang);
  if (!hours) {
    // the admin's own words, when that is all there is: read as they are, never turned into a day's answer
    return written ? { known: [written], unknown: [] } : { known: [], unknown: [vi ? 'giờ làm việc của Trung tâm' : "the centre's opening hours"] };
  }
  const known = [written ?? `${vi ? 'Giờ làm việc' : 'Opening hours'}: ${weeklySummary(hours, lang)}`];
  const unknown: string[] = [];
  if (!days.includes('lunch') && hours.lunchBreak) known.push(`${vi ? 'Nghỉ trưa' : 'Lunch break'}: ${hhmm(hours.lunchBreak)}`);
  const names = vi ? WEEKDAY_VI : WEEKDAY_EN;
  const weekday = (key: 'sat' | 'sun') => {
    const span = hours.weekly[key];
    const name = names[key === 'sat' ? 6 : 0]!;
    return vi ? `${name.replace(/^\p{Ll}/u, (c) => c.toUpperCase())}: ${span ? hhmm(span) : 'Trung tâm không làm việc'}` : `${name}: ${span ? hhmm(span) : 'closed'}`;
  };
  for (const d of days) {
    if (d === 'saturday' || d === 'weekend') known.push(weekday('sat'));
    if (d === 'sunday' || d === 'weekend') known.push(weekday('sun'));
    if (d === 'weekdays' && written) known.push(`${vi ? 'Theo lịch tuần' : 'Weekly'}: ${weeklySummary(hours, lang)}`);
    if (d === 'today') {
      const o = openingAt(hours, now);
      const today = dateOf(now.getTime());
      known.push(`${vi ? `Hôm nay (${names[today.weekday]}, ${today.text})` : `Today (${names[today.weekday]} ${today.text})`}: ${daySpans(hours, now.getTime(), lang)}`);
      if (o.kind === 'open') known.push(vi ? 'Bây giờ Trung tâm đang làm việc.' : 'The centre is open now.');
      else if (o.kind === 'closed' && o.next) known.push(vi ? `Bây giờ Trung tâm không làm việc; Trung tâm làm việc trở lại ${formatOpening(o.next, lang)}.` : `The centre is closed now; it opens again ${formatOpening(o.next, lang)}.`);
    }
    if (d === 'tomorrow') {
      const at = now.getTime() + 86_400_000;
      const day = dateOf(at);
      known.push(`${vi ? `Ngày mai (${names[day.weekday]}, ${day.text})` : `Tomorrow (${names[day.weekday]} ${day.text})`}: ${daySpans(hours, at, lang)}`);
    }
    if (d === 'lunch') {
      if (hours.lunchBreak) known.push(`${vi ? 'Nghỉ trưa' : 'Lunch break'}: ${hhmm(hours.lunchBreak)}`);
      else unknown.push(vi ? 'giờ nghỉ trưa của Trung tâm' : "the centre's lunch break");
    }
    if (d === 'holiday') {
      const from = localDay(now.getTime()).iso;
      const start = (h: (typeof hours.holidays)[number]) => ('date' in h ? h.date : h.from);
      // the profile keeps them in the order the admin typed them: the soonest first
      const coming = hours.holidays
        .filter((h) => ('date' in h ? h.date : h.to) >= from)
        .sort((a, b) => start(a).localeCompare(start(b)))
        .slice(0, 5);
      const when = (iso: string) => `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}/${iso.slice(0, 4)}`;
      if (coming.length) {
        const list = coming.map((h) => `${h.name} ${'date' in h ? when(h.date) : `${when(h.from)}–${when(h.to)}`}`).join('; ');
        known.push(`${vi ? 'Ngày nghỉ lễ sắp tới' : 'Coming holidays'}: ${list}`);
      } else unknown.push(vi ? 'lịch nghỉ lễ của Trung tâm' : "the centre's holiday closures");
    }
  }
  return { known: [...new Set(known)], unknown };
}
