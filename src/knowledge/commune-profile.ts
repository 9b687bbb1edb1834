import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const PROFILE_FILE = 'commune-profile.json';

const text = z.string().trim().min(1).nullable().default(null);

const Span = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'a time span like 07:30-17:00');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2027-02-06');

/**
 * The centre's working hours in Vietnam time: each weekday's span ("07:30-17:00", null when closed), the lunch
 * break taken out of every day, and the public holidays (a day, or a range such as Tết) when it is closed.
 */
export const WorkingHoursSchema = z.object({
  weekly: z.object({
    mon: Span.nullable().default(null),
    tue: Span.nullable().default(null),
    wed: Span.nullable().default(null),
    thu: Span.nullable().default(null),
    fri: Span.nullable().default(null),
    sat: Span.nullable().default(null),
    sun: Span.nullable().default(null),
  }),
  lunchBreak: Span.nullable().default(null),
  holidays: z
    .array(z.union([z.object({ date: Day, name: z.string().min(1) }), z.object({ from: Day, to: Day, name: z.string().min(1) })]))
    .default([]),
});
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

const BIN_HINT = "bankBin: the bank's 6-digit NAPAS BIN, e.g. 970436 for Vietcombank";

/**
 * The commune's own facts. Every value is null until an admin fills it in; an unset value is never replaced by an
 * invented one (the bot says it does not know and points to the official page instead).
 */
export const CommuneProfileSchema = z.object({
  communeName: text,
  provinceName: text,
  centre: z
    .object({
      name: text,
      address: text,
      openingHours: text,
      hotline: z.string().trim().regex(/^[0-9+ .()-]{3,20}$/, 'hotline: digits only').nullable().default(null),
      email: z.string().trim().email().nullable().default(null),
    })
    .default({ name: null, address: null, openingHours: null, hotline: null, email: null }),
  /** When the centre is open; null until an admin sets it (the bot then says it does not know). */
  hours: WorkingHoursSchema.nullable().default(null),
  provincePortalUrl: z.string().url().nullable().default(null),
  /**
   * The fee-collection account citizens may transfer to (VietQR): the bank's 6-digit NAPAS BIN (970436 =
   * Vietcombank), the account number and the account holder's name as the bank shows it; the bank's name is
   * optional (the NAPAS list names the BIN). Env FEE_ACCOUNT_BIN, FEE_ACCOUNT_NUMBER, FEE_ACCOUNT_NAME override it.
   */
  feeAccount: z
    .object({
      bankBin: z.string({ error: BIN_HINT }).regex(/^\d{6}$/, BIN_HINT),
      accountNumber: z.string().regex(/^\d{6,19}$/, 'accountNumber: 6–19 digits'),
      accountName: z.string().trim().min(1),
      bankName: z.string().trim().min(1).nullable().default(null),
    })
    .nullable()
    .default(null),
  /** What the portal accepts as uploads, as the commune states it; null = the bot says the portal shows it. */
  uploadRules: z
    .object({ formats: z.array(z.string().trim().min(1)).min(1), maxSizeMb: z.number().positive() })
    .nullable()
    .default(null),
});
export type CommuneProfile = z.infer<typeof CommuneProfileSchema>;

export const EMPTY_PROFILE: CommuneProfile = CommuneProfileSchema.parse({});

export class ProfileError extends Error {}

/** Reads `knowledge/commune-profile.json`; a missing file means nothing is known yet. */
export function loadCommuneProfile(knowledgeDir: string): CommuneProfile {
  const file = path.join(knowledgeDir, PROFILE_FILE);
  if (!fs.existsSync(file)) return EMPTY_PROFILE;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProfileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = CommuneProfileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProfileError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
