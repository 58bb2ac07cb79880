import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync, tempDir } from './cli.js';

describe('metarepo health', () => {
  it('passes every check in a fresh workspace', async () => {
    const dir = tempDir();
    await metarepoAsync(dir, ['init']);
    await metarepoAsync(dir, ['new', 'model', 'invoice']);
    const r = await metarepoAsync(dir, ['health', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['config', true],
      ['models', true],
      ['templates', true],
      ['events', true],
      ['broker', true],
    ]);
    expect(report.checks[3].reason).toMatch(/through the in-process bus in [\d.]+ ms, and logged/);
  });

  it('fails (exit 1) naming the broken model and the broken template, and still runs the other checks', async () => {
    const dir = tempDir();
    await metarepoAsync(dir, ['init']);
    fs.mkdirSync(path.join(dir, 'models/bad'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/bad/1.0.0.schema.json'), '{ "type": 12 }');
    fs.mkdirSync(path.join(dir, 'templates/broken'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'templates/broken/file.txt.hbs'), 'hello {{#if x}} never closed\n');
    const r = await metarepoAsync(dir, ['health']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/pass config/);
    expect(r.stdout).toMatch(/fail models: .*models\/bad\/1\.0\.0\.schema\.json:1:\d+/);
    expect(r.stdout).toMatch(/fail templates: .*templates\/broken\/file\.txt\.hbs:\d+:\d+/);
    expect(r.stdout).toMatch(/pass events/);
  });
});

describe('metarepo model', () => {
  it('show resolves ranges and prints the bundled schema', async () => {
    const dir = tempDir();
    await metarepoAsync(dir, ['init']);
    for (const v of ['1.0.0', '1.2.0', '2.0.0']) {
      fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
      fs.writeFileSync(path.join(dir, `models/user/${v}.schema.json`), JSON.stringify({ title: `User ${v}`, type: 'object', properties: { a: { $ref: '#/definitions/a' } }, definitions: { a: { type: 'string' } } }));
    }
    expect(JSON.parse((await metarepoAsync(dir, ['model', 'show', 'user@^1', '--json'])).stdout).version).toBe('1.2.0');
    expect(JSON.parse((await metarepoAsync(dir, ['model', 'show', 'user', '--json'])).stdout).version).toBe('2.0.0');
    const bundled = JSON.parse((await metarepoAsync(dir, ['model', 'show', 'user@1.0.0', '--bundled', '--json'])).stdout).schema;
    expect(JSON.stringify(bundled)).toContain('#/definitions/');
    const none = await metarepoAsync(dir, ['model', 'show', 'user@^3']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/1\.0\.0.*1\.2\.0.*2\.0\.0/);
  });
});
