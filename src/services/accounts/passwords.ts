import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Password hashing with argon2id (the library's defaults: 19 MiB, 2 passes, 1 lane, OWASP's minimum). `Algorithm` is
 * a const enum that is empty at runtime when compiled by tsx, so the value is written out.
 */
const ARGON2ID = 2 as Algorithm;

export const MIN_PASSWORD_LENGTH = 10;
/** Longer inputs are refused before hashing: hashing a megabyte on every login attempt would be a cheap attack. */
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** False for a wrong password and for anything that is not an argon2 hash (never throws for a bad hash). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password: verified against when the username is unknown, so both cases take as long. */
export function dummyHash(): Promise<string> {
  return hashPassword(randomBytes(24).toString('base64'));
}
