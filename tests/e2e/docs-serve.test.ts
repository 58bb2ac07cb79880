// `metarepo docs serve`: the built CLI serves the site on 127.0.0.1, rebuilds when a model changes and tells open pages
// over server-sent events; nothing outside the site is served; Ctrl-C (SIGINT) ends it with exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, writeModel } from './cli.js';
import { initWorkspace } from './workspaces.js';

let dir: string;
let child: ChildProcess;
let stdout = '';
let base = '';

const userModel = (description: string) => ({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'User', description, type: 'object', properties: { id: { type: 'string' } } });

beforeAll(async () => {
  dir = await initWorkspace('served');
  writeModel(dir, 'user', '1.0.0', userModel('First words.'));
  child = spawn(process.execPath, [BIN, 'docs', 'serve'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stdout += d.toString()));
  // expect.poll works in tests only: wait for the first line by hand, as long as a busy machine needs.
  const listening = /Serving the docs at (http:\/\/127\.0\.0\.1:\d+\/)/;
  for (let waited = 0; !listening.test(stdout) && child.exitCode === null && waited < 120_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(stdout).toMatch(listening);
  base = listening.exec(stdout)![1]!;
});
afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('docs serve', () => {
  it('serves the site on 127.0.0.1 with live pages, and nothing outside it', async () => {
    const home = await fetch(base);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(await home.text()).toContain('data-live="1"');
    const page = await fetch(`${base}models/user/1.0.0.html`);
    expect(await page.text()).toContain('First words.');
    expect((await fetch(`${base}..%2f..%2fmetarepo.yaml`)).status).toBe(404);
    expect((await fetch(`${base}nothing-here.html`)).status).toBe(404);
  });

  it('rebuilds when a model changes and tells open pages to reload', async () => {
    const controller = new AbortController();
    const events = await fetch(`${base}__metarepo/reload`, { signal: controller.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = events.body!.getReader();
    let received = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += Buffer.from(value).toString();
      }
    })().catch(() => undefined);
    writeModel(dir, 'user', '1.0.0', userModel('Second words.'));
    await expect.poll(() => received, { timeout: 120_000 }).toContain('event: rebuilt');
    expect(await (await fetch(`${base}models/user/1.0.0.html`)).text()).toContain('Second words.');
    expect(stdout).toMatch(/rebuilt \d+ pages \(models\/user\/1\.0\.0\.schema\.json\)/);
    controller.abort();
    await reading;
  });

  it('keeps serving the last site when a rebuild fails, and stops with exit 0 on SIGINT', async () => {
    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{ "title": ');
    await expect.poll(() => stdout, { timeout: 120_000 }).toMatch(/rebuild failed \(models\/user\/1\.0\.0\.schema\.json\)/);
    expect((await fetch(`${base}models/user/1.0.0.html`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
