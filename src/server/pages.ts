import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The product's self-contained pages (the web chat, the console, the admin and announcements pages): inline CSS and
 * JS allowed by their hashes only, so the CSP needs no 'unsafe-inline', and the same headers on each.
 */

/** SHA-256 sources for every inline <script> or <style> block. */
export function inlineHashes(html: string, tag: 'script' | 'style'): string[] {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi');
  return [...html.matchAll(re)].map((m) => `'sha256-${createHash('sha256').update(m[1] ?? '', 'utf8').digest('base64')}'`);
}

export function contentSecurityPolicy(html: string): string {
  const scripts = inlineHashes(html, 'script');
  const styles = inlineHashes(html, 'style');
  return [
    "default-src 'none'",
    `script-src ${scripts.length ? scripts.join(' ') : "'none'"}`,
    `style-src ${styles.length ? styles.join(' ') : "'none'"}`,
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** `GET path` answers the page with its CSP (computed once) and the headers every page carries. */
export function servePage(app: FastifyInstance, path: string, html: string): void {
  const csp = contentSecurityPolicy(html);
  app.get(path, async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', csp)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(html),
  );
}
