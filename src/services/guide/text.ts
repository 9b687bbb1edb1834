import type { Language } from '../../domain/types.ts';
import type { Procedure } from '../../knowledge/procedure.ts';

/**
 * The fixed frame of every guide message: what it is about (the procedure and its code) and where the official
 * text is (the record's page; for a record without a page of its own, the national portal and the code to search).
 */

export function heading(p: Pick<Procedure, 'title' | 'code'>, what: string, language: Language): string {
  return language === 'vi' ? `${what} — ${p.title} (mã ${p.code})` : `${what} — ${p.title} (code ${p.code})`;
}

export function sourceLine(p: Pick<Procedure, 'url' | 'urlKind' | 'code'>, language: Language): string {
  if (p.urlKind === 'search') {
    return language === 'vi' ? `Nguồn chính thức: ${p.url} (tìm mã ${p.code})` : `Official source: ${p.url} (search for code ${p.code})`;
  }
  return language === 'vi' ? `Nguồn chính thức: ${p.url}` : `Official source: ${p.url}`;
}

/** "2026-07-20" → "20/07/2026". */
export function vietnameseDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}
