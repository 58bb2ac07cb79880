// Headless Chromium for the browser tests: Debian's `chromium` package (.ci/run installs it) driven by playwright-core.
// Tests use `it.skipIf(!chromiumPath)`. Screenshots go to test-artifacts/ (git-ignored).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../e2e/cli.js';

/** The Chromium binary, or undefined when it is not installed. */
export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

/** Where screenshots are saved. */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'docs');

/**
 * A fresh headless browser with its own profile. The background-networking flags matter on a closed network:
 * without them Chromium's own connections are refused and it logs errors into pages.
 */
export async function launchChromium(): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new page that records console errors and uncaught exceptions into the returned list. */
export async function pageWithErrors(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

/** Saves a screenshot of `page` as test-artifacts/docs/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
