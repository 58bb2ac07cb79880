// The docs site in a real browser (headless Chromium): built by the CLI for the real-world example models, opened
// from file:// — the home page loads without console errors, search finds a property and opens its page, a link
// between two models works, the Mermaid diagram renders to SVG. Screenshots land in test-artifacts/docs/.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExampleModels } from '../../examples/real-schemas/build-models.mjs';
import { metarepoAsync } from '../e2e/cli.js';
import { initWorkspace } from '../e2e/workspaces.js';
import { chromiumPath, launchChromium, pageWithErrors, screenshot } from './chromium.js';

let site: string;
let browser: BrowserContext | undefined;
const url = (page: string) => pathToFileURL(path.join(site, page)).href;

beforeAll(async () => {
  if (!chromiumPath) return;
  const dir = await initWorkspace('example');
  await buildExampleModels(path.join(dir, 'models'));
  const r = await metarepoAsync(dir, ['docs', 'build', '--out', 'site']);
  expect(r.code, r.stderr).toBe(0);
  site = path.join(dir, 'site');
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe.skipIf(!chromiumPath)('docs site in Chromium (file://)', () => {
  it('loads the home page with no console errors', async () => {
    const { page, errors } = await pageWithErrors(browser!);
    await page.goto(url('index.html'));
    await expect.poll(() => page.locator('main h1').textContent()).toBe('example');
    await expect.poll(() => page.locator('main a[href="models/index.html"]').count()).toBe(1);
    await screenshot(page, 'home');
    expect(errors).toEqual([]);
  });

  it('search finds a property of the example models and opens its page', async () => {
    const { page, errors } = await pageWithErrors(browser!);
    await page.goto(url('index.html'));
    await page.fill('#search', 'pusher');
    const first = page.locator('#results li a').first();
    await expect.poll(() => first.getAttribute('href'), { timeout: 60_000 }).toBe('models/webhooks-push/1.0.0.html');
    await expect.poll(() => page.locator('#results li p').first().textContent()).toMatch(/push/i);
    await screenshot(page, 'search');
    await first.click();
    await expect.poll(() => page.url()).toBe(url('models/webhooks-push/1.0.0.html'));
    await expect.poll(() => page.locator('main h1').textContent()).toContain('webhooks-push@1.0.0');
    await expect.poll(() => page.locator('main td code', { hasText: /^pusher$/ }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('follows a link from one model to a model it references', async () => {
    const { page, errors } = await pageWithErrors(browser!);
    await page.goto(url('models/webhooks-push/1.0.0.html'));
    await page.locator('main a', { hasText: /^webhooks-common@1\.0\.0$/ }).first().click();
    await expect.poll(() => page.url()).toBe(url('models/webhooks-common/1.0.0.html'));
    await expect.poll(() => page.locator('main h1').textContent()).toContain('webhooks-common@1.0.0');
    expect(errors).toEqual([]);
  });

  it('draws the Mermaid class diagram as SVG', async () => {
    const { page, errors } = await pageWithErrors(browser!);
    await page.goto(url('models/webhooks-push/1.0.0.html'));
    const svg = page.locator('pre.mermaid svg');
    await expect.poll(() => svg.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => svg.locator('g.node').count()).toBeGreaterThan(1);
    await svg.scrollIntoViewIfNeeded();
    await screenshot(page, 'diagram');
    expect(errors).toEqual([]);
  });
});
