import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, as the browser suites launch it. A suite is skipped only when the
 * browser is missing and CI_REQUIRE_BROWSER is not set; CI sets it, so there a missing browser fails.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const REQUIRE_BROWSER = !!process.env.CI_REQUIRE_BROWSER;

// Playwright adds --headless and a fresh temporary --user-data-dir itself; these are the rest of the flags this
// machine needs (without the background-networking ones Chromium keeps dialling hosts it cannot reach).
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' };

export async function launchChromium(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`CI_REQUIRE_BROWSER is set but ${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** What a page did that a browser test did not ask for, and the dialogs it opened. */
export interface PageWatch {
  /** Console errors, uncaught errors and failed requests (a CSP violation is a console error). */
  problems: string[];
  /** Every dialog's message, in order; accepted while `accept` is true, else dismissed. */
  dialogs: { said: string[]; accept: boolean };
}

/**
 * Watches a console page for anything the test did not ask for. `expected`: the console errors a test causes on
 * purpose (a 401 before signing in, a field error's 400 …), given the message and the page address it came from.
 * Ignored always: the favicon, and the staff API's requests a page ends by leaving the console (its live stream).
 */
export function watchPage(page: Page, expected: (text: string, url: string) => boolean = () => false): PageWatch {
  const watch: PageWatch = { problems: [], dialogs: { said: [], accept: true } };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url;
    if (/favicon/.test(url) || expected(m.text(), url)) return;
    watch.problems.push(`${m.text()} @ ${url}`);
  });
  page.on('pageerror', (err) => watch.problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (r) => {
    if (/\/api\/staff\//.test(r.url()) && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    watch.problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('dialog', (d) => {
    watch.dialogs.said.push(d.message());
    void (watch.dialogs.accept ? d.accept() : d.dismiss());
  });
  return watch;
}

/** A console error for a request that answered one of `statuses` (asked for by the test). */
export const failedWith =
  (...statuses: number[]) =>
  (text: string): boolean =>
    new RegExp(`Failed to load resource.*(${statuses.join('|')})`).test(text);

/** Signs in on the console's own form at `base`/console and waits until it shows the signed-in header. */
export async function signInOnConsole(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}
