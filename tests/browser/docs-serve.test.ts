// The docs site served by `metarepo docs serve` in headless Chromium: the page loads from the server without console
// errors, and an open page reloads by itself when a model it shows changes.
import { spawn, type ChildProcess } from 'node:child_process';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, writeModel } from '../e2e/cli.js';
import { initWorkspace } from '../e2e/workspaces.js';
import { chromiumPath, launchChromium, pageWithErrors, screenshot } from './chromium.js';

let dir: string;
let child: ChildProcess | undefined;
let browser: BrowserContext | undefined;
let base = '';
const model = (description: string) => ({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Order', description, type: 'object', properties: { id: { type: 'string' } } });

beforeAll(async () => {
  if (!chromiumPath) return;
  dir = await initWorkspace('served');
  writeModel(dir, 'order', '1.0.0', model('Before the edit.'));
  child = spawn(process.execPath, [BIN, 'docs', 'serve'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const listening = /Serving the docs at (http:\/\/127\.0\.0\.1:\d+\/)/;
  for (let waited = 0; !listening.test(out) && child.exitCode === null && waited < 120_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(out).toMatch(listening);
  base = listening.exec(out)![1]!;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  child?.kill('SIGINT');
});

describe.skipIf(!chromiumPath)('docs serve in Chromium', () => {
  it('serves pages without console errors and reloads an open page when its model changes', async () => {
    const { page, errors } = await pageWithErrors(browser!);
    await page.goto(`${base}models/order/1.0.0.html`);
    await expect.poll(() => page.locator('main').textContent()).toContain('Before the edit.');
    writeModel(dir, 'order', '1.0.0', model('After the edit.'));
    await expect.poll(() => page.locator('main').textContent(), { timeout: 120_000 }).toContain('After the edit.');
    await screenshot(page, 'served-reloaded');
    expect(errors).toEqual([]);
  });
});
