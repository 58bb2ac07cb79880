import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../../src/events/envelope.js';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import { checkContext, failure, fixtureDir, onCleanup, processPlugin, tempDir } from './helpers.js';

describe('ProcessPlugin: contributions over IPC', () => {
  it('runs setup in the child and exposes what it registered, by name and metadata', async () => {
    const plugin = await processPlugin(fixtureDir('good'));
    expect(await plugin.start()).toEqual({
      checks: [{ name: 'readme', description: 'Every pending file has a README next to it.' }],
      commands: [
        {
          name: 'hello',
          description: 'Greets and exits with the number of arguments.',
          arguments: '[names...]',
          options: [{ flags: '--loud', description: 'shout' }],
        },
      ],
      codegen: [{ name: 'echo', version: '1.0.0', description: 'Writes the model name.', module: pathToFileURL(path.join(fixtureDir('good'), 'index.mjs')).href }],
    });
    expect(plugin.running).toBe(true);
    expect(plugin.contributions.subscriptions).toEqual(['test:ping:*', 'test:boom:*']);
  });

  it("runs a check's rule in the plugin process and returns its findings", async () => {
    const plugin = await processPlugin(fixtureDir('good'));
    await plugin.start();
    const [check] = plugin.contributions.checks;
    expect(await check.run(checkContext('/ws', ['src/a.ts', 'src/b.ts']))).toEqual([
      { severity: 'warning', message: 'src/a.ts has no README', file: 'src/a.ts', line: 1 },
      { severity: 'warning', message: 'src/b.ts has no README', file: 'src/b.ts', line: 1 },
    ]);
  });

  it("runs a command, relaying what it prints and returning its exit code", async () => {
    const plugin = await processPlugin(fixtureDir('good'));
    await plugin.start();
    const printed: string[] = [];
    const code = await plugin.contributions.commands[0].run({ root: '/ws', args: ['ann', 'bo'], options: { loud: true }, print: (t) => printed.push(t) });
    expect(code).toBe(2);
    expect(printed).toEqual(['HELLO ANN BO FROM /WS']);
  });

  it('runs a codegen generator inside the plugin process, under the permission model', async () => {
    const plugin = await processPlugin(fixtureDir('good'));
    await plugin.start();
    const files = await plugin.contributions.codegen[0].generate({
      model: { name: 'user', version: '1.2.0', schema: { type: 'object' } },
      options: {},
      output: 'gen/user.txt',
    });
    expect(files).toEqual([{ path: 'gen/user.txt', content: 'user@1.2.0, permission model on\n' }]);
  });
});

describe('ProcessPlugin: failure containment', () => {
  it('turns a crash during a check into a rejection naming the plugin, the exit code and the last output', async () => {
    const plugin = await processPlugin(fixtureDir('faulty'));
    await plugin.start();
    const check = plugin.contributions.checks.find((c) => c.name === 'crash')!;
    const error = await failure(Promise.resolve(check.run(checkContext('/ws'))));
    expect(error.message).toBe('plugin faulty crashed (exit code 3) while running check crash (last output: about to give up)');
    expect(error.hint).toMatch(/--verbose/);
    expect(plugin.running).toBe(false);
    // Later calls fail at once, saying why.
    const ok = plugin.contributions.checks.find((c) => c.name === 'ok')!;
    expect((await failure(Promise.resolve(ok.run(checkContext('/ws'))))).message).toBe(
      'plugin faulty cannot run check ok: it is not running (plugin faulty crashed (exit code 3) while running check crash (last output: about to give up))',
    );
  });

  it('stops a plugin that does not answer within the timeout', async () => {
    // Long enough for setup (supervisor, fork, import) on a loaded machine, short enough for a test.
    const plugin = await processPlugin(fixtureDir('faulty'), { timeoutMs: 3_000 });
    await plugin.start();
    // How soon after the limit the call fails is a figure of `npm run bench` (bench/recovery.mjs), not an assertion.
    const error = await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'hang')!.run(checkContext('/ws'))));
    expect(error.message).toBe('plugin faulty did not answer within 3 s while running check hang; it was stopped');
    // The busy child ignores dispose; SIGTERM ends it.
    await expect.poll(() => plugin.running).toBe(false);
  });

  it("reports the plugin's own error by its first line, and keeps the plugin running", async () => {
    const plugin = await processPlugin(fixtureDir('faulty'));
    await plugin.start();
    const error = await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'throw')!.run(checkContext('/ws'))));
    expect(error.message).toBe('plugin faulty failed while running check throw: rule exploded');
    expect(await plugin.contributions.checks.find((c) => c.name === 'ok')!.run(checkContext('/ws'))).toEqual([]);
  });

  it('rejects start() when setup throws, naming the plugin', async () => {
    const plugin = await processPlugin(fixtureDir('faulty'), { config: { failSetup: true } });
    const error = await failure(plugin.start());
    expect(error.message).toBe('plugin faulty failed while running setup: setup refused: no config');
    await expect.poll(() => plugin.running).toBe(false);
  });

  it("keeps the plugin's output off the terminal unless verbose, then prefixes it with the plugin", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    onCleanup(() => spy.mockRestore());
    for (const verbose of [false, true]) {
      const plugin = await processPlugin(fixtureDir('faulty'), { verbose });
      await plugin.start();
      await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'crash')!.run(checkContext('/ws'))));
    }
    expect(written.filter((text) => text.includes('about to give up'))).toEqual(['[plugin faulty] about to give up\n']);
  });

  it('refuses scaffold generators, whose functions must run in metarepo itself', async () => {
    const plugin = await processPlugin(fixtureDir('faulty'), { config: { scaffold: true } });
    expect((await failure(plugin.start())).message).toBe(
      'plugin faulty failed while running setup: scaffold generator "wizard" cannot run in a process plugin; use "isolation": "in-process"',
    );
  });

  it('rejects start() when the process cannot be started', async () => {
    const plugin = await processPlugin(fixtureDir('good'), { root: path.join(tempDir(), 'missing') });
    expect((await failure(plugin.start())).message).toMatch(/^plugin good could not be started: spawn \S+ ENOENT$/);
  });

  it('tells onCrash when the process dies between calls or is stopped after a timeout, not when stop() ends it', async () => {
    const crashes: string[] = [];
    const onCrash = (reason: string) => void crashes.push(reason);
    const idle = await processPlugin(fixtureDir('faulty'), { onCrash });
    await idle.start();
    expect(await idle.contributions.commands[0].run({ root: null, args: [], options: {}, print: () => undefined })).toBe(0);
    await expect.poll(() => crashes).toEqual(['plugin faulty crashed (exit code 5) while idle']);

    const hung = await processPlugin(fixtureDir('faulty'), { onCrash, timeoutMs: 3_000 });
    await hung.start();
    await failure(Promise.resolve(hung.contributions.checks.find((c) => c.name === 'hang')!.run(checkContext('/ws'))));
    await expect.poll(() => crashes).toHaveLength(2);
    expect(crashes[1]).toBe('plugin faulty was stopped after check hang timed out');

    const stopped = await processPlugin(fixtureDir('faulty'), { onCrash });
    await stopped.start();
    await stopped.restart();
    await stopped.stop();
    expect(crashes).toHaveLength(2);
  });

  it('stop() ends the child and rejects the calls still running', async () => {
    const plugin = await processPlugin(fixtureDir('faulty'), { graceMs: 200 });
    await plugin.start();
    const pending = Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'hang')!.run(checkContext('/ws')));
    await plugin.stop();
    expect((await failure(pending)).message).toBe('plugin faulty was stopped while running check hang');
    expect(plugin.running).toBe(false);
  });
});

describe('ProcessPlugin: permissions', () => {
  it('lets a plugin write inside its declared permissions.write path, even one created on the fly', async () => {
    const root = tempDir();
    const plugin = await processPlugin(fixtureDir('writer'), { root });
    await plugin.start();
    expect(await plugin.contributions.checks.find((c) => c.name === 'write-inside')!.run(checkContext(root))).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'out/reports/today/report.txt'), 'utf8')).toBe('all good\n');
  });

  it('denies a write outside the declared paths, names the path, and writes nothing', async () => {
    const outside = path.join(tempDir(), 'evil.txt');
    const plugin = await processPlugin(fixtureDir('writer'), { config: { outside } });
    await plugin.start();
    const error = await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'write-outside')!.run(checkContext('/ws'))));
    expect(error.message).toBe(`plugin writer may not write ${outside}: not in its declared permissions.write (while running check write-outside)`);
    expect(error.hint).toMatch(/metarepo\.permissions/);
    expect(fs.existsSync(outside)).toBe(false);
  });

  it('denies a child process when permissions.childProcess is not declared', async () => {
    const plugin = await processPlugin(fixtureDir('writer'));
    await plugin.start();
    const error = await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'spawn')!.run(checkContext('/ws'))));
    expect(error.message).toBe('plugin writer may not start child processes: permissions.childProcess is not declared (while running check spawn)');
  });
});

describe('ProcessPlugin: event bridging', () => {
  it('forwards bus events to the plugin and publishes what it publishes back, with the plugin as source', async () => {
    const bus = new InProcessBus();
    const plugin = await processPlugin(fixtureDir('good'), { bus, config: { greeting: 'hi' } });
    await plugin.start();
    const received: EventEnvelope[] = [];
    bus.subscribe('test:pong:*', (event) => void received.push(event));
    bus.publish('test:ping:sent', { n: 1 });
    bus.publish('test:other:sent', { n: 2 }); // matches no subscription of the plugin
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({
      source: 'good',
      type: 'test:pong:sent',
      runid: bus.runid,
      data: { got: { n: 1 }, type: 'test:ping:sent', config: { greeting: 'hi' } },
    });
    // Stopping ends the bridge: a later event reaches no child and nothing comes back.
    await plugin.stop();
    expect(plugin.contributions.subscriptions).toEqual([]);
    bus.publish('test:ping:sent', { n: 3 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(1);
  });

  it("relays the plugin's log lines, including a contained failure of its event handler", async () => {
    const bus = new InProcessBus();
    const lines: string[] = [];
    const plugin = await processPlugin(fixtureDir('good'), { bus, log: (line) => lines.push(line) });
    await plugin.start();
    bus.publish('test:boom:now', {});
    await expect.poll(() => lines).toEqual(['set up', 'handler of test:boom:* failed: handler broke']);
    // The failure stayed in the handler: the plugin still answers.
    expect(await plugin.contributions.checks[0].run(checkContext('/ws'))).toEqual([]);
  });
});
