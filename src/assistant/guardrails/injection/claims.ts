import { alt, compile } from './pattern.ts';
import type { Reading } from './reading.ts';
import type { Span } from './spans.ts';
import type { InjectionWords } from './words.ts';

/**
 * "Say that the fee is …": an order to state a fact, dictated rather than asked. The verbs and audiences come from
 * knowledge/injection.json; the directive's grammar stays here.
 */

export interface ClaimPatterns {
  vi: RegExp;
  en: RegExp;
  questionWords: RegExp;
  clauseOpener: RegExp;
}

export function compileClaims(w: InjectionWords, clauseOpener: RegExp): ClaimPatterns {
  const { claims } = w;
  const vi = compile(
    `${alt(
      `${alt('tu gio', 'tu nay', 'tu bay gio', 'ke tu bay gio', 'ke tu gio')}(?: tro di)?(?: ban)?(?: ${alt('hay', 'phai', 'se')})?(?: luon(?: luon)?)?`,
      // "phải thông báo …" alone is how rules are worded; an order to the assistant names it.
      `${alt('hay', 'ban hay', 'ban phai', 'may phai')}(?: luon(?: luon)?)?`,
      'luon luon',
      'luon',
    )}(?: chi)? ${alt(...claims.sayVerbsVi)}(?: ${alt('voi', 'cho')} ${alt(...claims.audienceVi)})?(?<that> ${alt('rang', 'la')})?`,
  );
  const en = compile(
    `(?:${alt('from now on(?: you)?(?: (?:must|should|will))?(?: always)?', 'always', 'you must', 'you should', 'please', 'just')} )?${alt(...claims.sayVerbsEn)}(?: ${alt('to')})?(?: ${alt(...claims.audienceEn)})?(?<that> that)`,
  );
  const questionWords = new RegExp(
    `(?<![a-z0-9])(?:${claims.questionWords.join('|')})(?![a-z0-9])|(?<![a-z0-9])(?:${claims.questionEndings.join('|')})[^a-z0-9]*$`,
  );
  return { vi, en, questionWords, clauseOpener };
}

/** "hãy nói cho tôi biết …" asks for information; it does not dictate it. */
const ASKS_TO_BE_TOLD = /^[^a-z0-9#~]*(?:cho|voi) (?:toi|em|minh|chung toi|tui)(?: biet)?(?![a-z0-9])/;
const CLAIM_VERB = /(?<![a-z0-9])(?:la|is|are|was|will be|se la)(?![a-z0-9])/;

export function findForcedClaims(patterns: ClaimPatterns, message: string, reading: Reading): Span[] {
  const spans: Span[] = [];
  for (const [re, vi] of [[patterns.vi, true], [patterns.en, false]] as const) {
    re.lastIndex = 0;
    for (const m of reading.text.matchAll(re)) {
      const dFrom = m.index;
      const dTo = m.index + m[0].length;
      const that = Boolean(m.groups?.that);
      if (!vi && !/^(?:from now on|always|you must|you should|please|just)/.test(m[0]) && !patterns.clauseOpener.test(reading.text.slice(0, dFrom))) continue;
      const clauseEnd = (() => {
        const i = reading.text.slice(dTo).search(/[#~]/);
        return i < 0 ? reading.text.length : dTo + i;
      })();
      const clause = reading.text.slice(dTo, clauseEnd);
      if (!clause.trim()) continue;
      if (!that && ASKS_TO_BE_TOLD.test(clause)) continue;
      const originalClause = message.slice(
        reading.start[dTo] ?? message.length,
        clauseEnd < reading.text.length ? reading.start[clauseEnd] : message.length,
      );
      if (originalClause.includes('?') || patterns.questionWords.test(clause)) continue;
      const verb = CLAIM_VERB.exec(clause);
      if (!verb && !that) continue;
      // Keep the subject ("lệ phí kết hôn"), drop the directive and the claim ("là 5 triệu").
      let trimmedEnd = clauseEnd;
      while (trimmedEnd > dTo && reading.text[trimmedEnd - 1] === ' ') trimmedEnd--;
      spans.push({ start: reading.start[dFrom]!, end: reading.end[dTo - 1]! });
      const claimFrom = verb ? dTo + verb.index : dTo;
      if (trimmedEnd > claimFrom) spans.push({ start: reading.start[claimFrom]!, end: reading.end[trimmedEnd - 1]! });
    }
  }
  return spans;
}
