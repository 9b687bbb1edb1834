import { z } from 'zod';
import { containsPhrase } from '../../retrieval/text.ts';
import { foldedPhrases, readPhraseFile, SHIPPED_KNOWLEDGE_DIR } from '../../knowledge/phrase-lists.ts';
import type { EmergencyKind } from '../../domain/types.ts';

/**
 * Emergencies, told apart from paperwork about them, from the cues in knowledge/emergency.json. Hand-written
 * matching on purpose: it must work offline, decide in microseconds, and stay the safety net when an LLM router is
 * configured.
 */

export const EmergencyCuesSchema = z.strictObject({
  _readme: z.string(),
  fire: foldedPhrases,
  /** Rescue (114 as well): someone in water, trapped or buried. */
  rescue: foldedPhrases,
  medical: foldedPhrases,
  police: foldedPhrases,
  /** Verbs of violence that, after "đang"/"vừa (bị)", mean it is under way whatever the object. */
  violenceUnderWay: foldedPhrases,
  /**
   * Strong signs the event is happening now. Folded forms collide ("dang" is also đăng in đăng ký, "ngay" is ngày,
   * "gap" is gặp), so only unambiguous phrases belong here.
   */
  urgent: foldedPhrases,
  /** Words of paperwork: with them and without urgency, an emergency word is about a procedure (chứng tử do tai nạn). */
  paperwork: foldedPhrases,
});
export type EmergencyCues = z.infer<typeof EmergencyCuesSchema>;

export function loadEmergencyCues(knowledgeDir: string): EmergencyCues {
  return readPhraseFile(knowledgeDir, 'emergency.json', EmergencyCuesSchema);
}

/** The cues compiled for matching. */
export interface EmergencyTables {
  cues: EmergencyCues;
  /** "đang đánh", "vừa bị chém": violence under way. */
  violenceNow: RegExp;
}

export function compileEmergencyCues(cues: EmergencyCues): EmergencyTables {
  return { cues, violenceNow: new RegExp(`\\b(dang|vua) (bi )?(${cues.violenceUnderWay.join('|')})\\b`) };
}

/**
 * The cues shipped with the product, read once at import from the committed file and never changed: the router's
 * functions are called without context from the pipeline and its tests (as language.ts does with its cues).
 */
const SHIPPED: EmergencyTables = compileEmergencyCues(loadEmergencyCues(SHIPPED_KNOWLEDGE_DIR));

export interface EmergencyMatch {
  kind: EmergencyKind;
  /** Other services that the message also calls for (a fire with injured people: 115 as well). */
  also: EmergencyKind[];
}

const has = (folded: string, phrases: readonly string[]) => phrases.some((p) => containsPhrase(folded, p));

export function detectEmergency(folded: string, tables: EmergencyTables = SHIPPED): EmergencyMatch | null {
  const { cues } = tables;
  const kinds: EmergencyKind[] = [];
  if (tables.violenceNow.test(folded) && !has(folded, cues.police)) kinds.push('police');
  const medical = has(folded, cues.medical);
  if (has(folded, cues.fire)) kinds.push('fire');
  // a drowned child who is not breathing needs the ambulance first; a rescue still under way needs 114
  if (has(folded, cues.rescue) && !medical) kinds.push('fire');
  if (has(folded, cues.police)) kinds.push('police');
  if (medical) kinds.push('medical');
  if (has(folded, cues.rescue) && medical) kinds.push('fire');
  if (!kinds.length) return null;
  // "giấy chứng tử cho người chết do tai nạn", "thủ tục phòng cháy chữa cháy": paperwork about an event, not one
  // happening now. With urgency words as well it is still an emergency: a needless emergency number costs a few
  // seconds, a missed one may cost a life.
  if (has(folded, cues.paperwork) && !has(folded, cues.urgent)) return null;
  const [kind, ...also] = kinds;
  return { kind: kind!, also };
}
