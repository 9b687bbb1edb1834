import { z } from 'zod';
import { compileRouterRules, loadRouterRules, type RouterRules, RouterRulesSchema, type RouterTables } from '../../assistant/router/rules.ts';
import { SHIPPED_KNOWLEDGE_DIR } from '../../knowledge/phrase-lists.ts';
import type { Vocabulary } from '../../knowledge/vocabulary.ts';
import { compileLifeEvents, type CompiledVocabulary } from '../../retrieval/query.ts';
import { fold } from '../../retrieval/text.ts';

/**
 * The language data files an admin may edit in the console, each with its schema (the loader's own, stricter where
 * a person types), its title and what it does, in Vietnamese. Adding a file here is adding its live copy in live.ts.
 */

export const LANGUAGE_FILE_NAMES = ['life-events', 'router-rules'] as const;
export const LanguageFileNameSchema = z.enum(LANGUAGE_FILE_NAMES);
export type LanguageFileName = z.infer<typeof LanguageFileNameSchema>;

export type LifeEvent = Vocabulary['lifeEvents'][number];

export const MAX_LIFE_EVENTS = 60;
export const MAX_EVENT_NAME = 80;
export const MAX_EVENT_PHRASE = 120;
export const MAX_EVENT_PHRASES = 2000;
export const MAX_EVENT_CODES = 30;

/**
 * A list in which no entry is listed twice, compared lowercased: "ba mất" and "bà mất" are two entries (the bot reads
 * both as "ba mat", but a person means two things), "Sinh con" and "sinh con" one.
 */
const distinctPhrases = (entry: z.ZodType<string>, max: number) =>
  z
    .array(entry)
    .max(max)
    .superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((p, i) => {
        const key = p.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `"${p}" is listed twice`, path: [i] });
        else seen.set(key, i);
      });
    });

const phrase = z
  .string()
  .transform((t) => t.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1).max(MAX_EVENT_PHRASE))
  .refine((p) => fold(p).length > 0, { error: 'no letters' });

const LifeEventSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(60),
  name: z
    .string()
    .transform((t) => t.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1).max(MAX_EVENT_NAME)),
  phrases: distinctPhrases(phrase, MAX_EVENT_PHRASES).min(1),
  codes: z
    .array(z.string().trim().regex(/^\d+\.\d+(\.[\w.-]+)?$/).max(60))
    .min(1)
    .max(MAX_EVENT_CODES)
    .superRefine((codes, ctx) => {
      codes.forEach((c, i) => {
        if (codes.indexOf(c) !== i) ctx.addIssue({ code: 'custom', message: `"${c}" is listed twice`, path: [i] });
      });
    }),
  unlessFollowedBy: distinctPhrases(phrase, MAX_EVENT_PHRASES).optional(),
  answersAlone: z.boolean().optional(),
});

export const LifeEventsFileSchema = z.strictObject({
  lifeEvents: z
    .array(LifeEventSchema)
    .max(MAX_LIFE_EVENTS)
    .superRefine((events, ctx) => {
      const ids = new Set<string>();
      events.forEach((e, i) => {
        if (ids.has(e.id)) ctx.addIssue({ code: 'custom', message: `"${e.id}" is listed twice`, path: [i, 'id'] });
        ids.add(e.id);
      });
    }),
});
export type LifeEventsFile = z.infer<typeof LifeEventsFileSchema>;

export interface LanguageFiles {
  'life-events': LifeEventsFile;
  'router-rules': RouterRules;
}

export interface LanguageFileInfo {
  name: LanguageFileName;
  title: string;
  description: string;
}

export const LANGUAGE_FILE_INFO: Record<LanguageFileName, LanguageFileInfo> = {
  'life-events': {
    name: 'life-events',
    title: 'Sự kiện cuộc sống',
    description:
      'Những việc trong đời người dân hay kể (sinh con, người thân qua đời, xây nhà…) và các thủ tục thường phải làm khi đó. Bot gợi ý các thủ tục này khi người dân kể sự việc mà không nêu tên thủ tục, và đưa chúng vào trình đơn /menu.',
  },
  'router-rules': {
    name: 'router-rules',
    title: 'Cụm từ của bộ định tuyến',
    description:
      'Cụm từ giúp bot nhận ra lời chào, lời cảm ơn, yêu cầu gặp cán bộ, câu hỏi về hồ sơ đã nộp, chủ đề ngoài phạm vi và câu hỏi về giấy tờ. Viết không dấu, chữ thường (ví dụ: "gap can bo").',
  },
};

export const LANGUAGE_SCHEMAS: { [K in LanguageFileName]: z.ZodType<LanguageFiles[K]> } = {
  'life-events': LifeEventsFileSchema,
  'router-rules': RouterRulesSchema,
};

/** What the product ships: the vocabulary's life events (as retrieval reads them) and the committed router rules. */
export interface ShippedLanguage {
  'life-events': LifeEventsFile;
  'router-rules': RouterRules;
}

export function shippedLanguage(vocabulary: Pick<Vocabulary, 'lifeEvents'>): ShippedLanguage {
  return { 'life-events': { lifeEvents: vocabulary.lifeEvents }, 'router-rules': loadRouterRules(SHIPPED_KNOWLEDGE_DIR) };
}

/** What the assistant reads of the files: compiled once per change. */
export interface LanguageTables {
  /** undefined while the shipped file is in force (the router then uses its own). */
  routerTables: RouterTables | undefined;
  lifeEvents: LifeEvent[];
  /** undefined while the shipped file is in force (retrieval then uses its own vocabulary's). */
  compiledLifeEvents: CompiledVocabulary['lifeEvents'] | undefined;
}

export function compileLanguage(edited: Partial<LanguageFiles>, shipped: ShippedLanguage): LanguageTables {
  const router = edited['router-rules'];
  const events = edited['life-events'];
  return {
    routerTables: router ? compileRouterRules(router) : undefined,
    lifeEvents: (events ?? shipped['life-events']).lifeEvents,
    compiledLifeEvents: events ? compileLifeEvents(events.lifeEvents) : undefined,
  };
}
