import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo's prompts/ folder, found from this file so it works whatever the working directory. */
export const PROMPTS_DIR = fileURLToPath(new URL('../../../prompts/', import.meta.url));

/** A task's system prompt and the template of its user message. */
export interface PromptPair {
  system: string;
  user: string;
}

/**
 * Reads `<dir>/<name>.txt`. Read on every call and never cached here: callers load once at construction and
 * keep the strings, so tests can point at another folder without module state leaking between them.
 */
export function loadPrompt(name: string, dir: string = PROMPTS_DIR): string {
  const base = name.endsWith('.txt') ? name : `${name}.txt`;
  // Names come from code, but a name that climbs out of the folder is a bug worth failing loudly on.
  if (!/^[\w-]+(\.[\w-]+)*$/.test(base)) throw new Error(`Invalid prompt name: ${name}`);
  return readFileSync(path.join(dir, base), 'utf8').trim();
}

/** `<task>.system.txt` and `<task>.user.txt`. */
export function loadPromptPair(task: string, dir?: string): PromptPair {
  return { system: loadPrompt(`${task}.system`, dir), user: loadPrompt(`${task}.user`, dir) };
}

/**
 * Replaces `{name}` placeholders in one pass, so braces inside the values (a citizen's message, a record) are
 * never expanded in turn. A placeholder without a value is a programming error, not something to send the model.
 */
export function fillPrompt(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([a-z_][a-z0-9_]*)\}/gi, (_, key: string) => {
    const v = vars[key];
    if (v === undefined) throw new Error(`Prompt placeholder {${key}} has no value`);
    return v;
  });
}

/**
 * Defuses our own delimiter tags inside data (a citizen typing "</question>", a record quoting "<records>"), so
 * data cannot close its block and pose as instructions.
 */
export function escapeDelimiters(text: string): string {
  return text.replace(/<\s*\/?\s*(records|question|history|message)\s*>/gi, (_, tag: string) => `[${tag}]`);
}
