import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';

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
