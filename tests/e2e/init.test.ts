import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, metarepoAsync, tempDir } from './cli.js';

describe('metarepo init', () => {
  it('creates the workspace layout, a valid config with the schema modeline, and npm workspaces', async () => {
    const dir = tempDir();
    const r = await metarepoAsync(dir, ['init', 'mono', '--name', 'acme']);
    expect(r.code).toBe(0);
    const ws = path.join(dir, 'mono');
    for (const d of ['models', 'templates', 'generators', 'plugins', 'projects', '.metarepo']) {
      expect(fs.statSync(path.join(ws, d)).isDirectory()).toBe(true);
    }
    const yaml = fs.readFileSync(path.join(ws, 'metarepo.yaml'), 'utf8');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/metarepo/meta-models/workspace/1.1.0.schema.json');
    expect(yaml).toContain('name: acme');
    const pkg = JSON.parse(fs.readFileSync(path.join(ws, 'package.json'), 'utf8'));
    expect(pkg.workspaces).toEqual(['projects/*']);
    expect(fs.readFileSync(path.join(ws, '.metarepo/.gitignore'), 'utf8')).toContain('!manifest.json');
    // The modeline's target ships with the package.
    expect(fs.existsSync(path.join(path.dirname(BIN), '../../../meta-models/workspace/1.1.0.schema.json'))).toBe(true);
    const status = await metarepoAsync(ws, ['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).workspace.name).toBe('acme');
  });

  it('refuses to initialise twice', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init'])).code).toBe(0);
    const again = await metarepoAsync(dir, ['init']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('--help, --version, -C and --json work', async () => {
    const dir = tempDir();
    const help = await metarepoAsync(dir, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('generate');
    const version = await metarepoAsync(dir, ['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    await metarepoAsync(dir, ['init', 'ws']);
    const status = await metarepoAsync(dir, ['-C', 'ws', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).targets).toEqual([]);
    const noWs = await metarepoAsync(dir, ['status']);
    expect(noWs.code).toBe(2);
    expect(noWs.stderr).toContain('metarepo init');
  });

  it('logs events of every run and prints them with metarepo events', async () => {
    const dir = tempDir();
    await metarepoAsync(dir, ['init']);
    await metarepoAsync(dir, ['status']);
    const r = await metarepoAsync(dir, ['events', '--json']);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['core:file:created', 'core:system:startup', 'core:workspace:loaded', 'core:system:shutdown']));
    const seqs = events.map((e) => e.sequence);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    for (const e of events) expect(e.specversion).toBe('1.0');
    const files = (await metarepoAsync(dir, ['events', '--type', 'core:file:*', '--json'])).stdout.trim().split('\n');
    expect(files.every((l) => JSON.parse(l).type.startsWith('core:file:'))).toBe(true);
    const since = (await metarepoAsync(dir, ['events', '--since', String(seqs.length - 1), '--json'])).stdout.trim().split('\n');
    expect(since).toHaveLength(1);
  });
});

describe('metarepo events --follow', () => {
  it('prints events of a later run as they are logged', async () => {
    const { spawn } = await import('node:child_process');
    const dir = tempDir();
    await metarepoAsync(dir, ['init']);
    const child = spawn(process.execPath, [BIN, 'events', '--follow', '--type', 'core:workspace:*', '--json'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect((await metarepoAsync(dir, ['status'])).code).toBe(0);
      const deadline = Date.now() + 30_000;
      while (!out.includes('core:workspace:loaded') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      child.kill();
    }
    const events = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['core:workspace:loaded']);
  });
});

describe('metarepo events types', () => {
  it('lists every core type with its schema URI', async () => {
    const dir = tempDir();
    await metarepoAsync(dir, ['init']);
    const types = JSON.parse((await metarepoAsync(dir, ['events', 'types', '--json'])).stdout).types as Array<{ type: string; declaredBy: string; dataschema?: string }>;
    expect(types.find((t) => t.type === 'core:file:created')).toMatchObject({ declaredBy: 'core', dataschema: 'https://metarepo.dev/meta-models/events/core.file.created/1.0.0.schema.json' });
    expect(types.every((t) => t.declaredBy !== 'core' || t.dataschema)).toBe(true);
  });
});
