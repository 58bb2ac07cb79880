// A process plugin's last messages are not lost when it is disposed: the child process waits until everything it
// sent (logs, events) has been handed to the channel before it exits (issue 13, item 8's report of lost messages).
import { describe, expect, it } from 'vitest';
import { fixtureDir, processPlugin } from './helpers.js';

describe('process plugin shutdown', () => {
  it('delivers every line logged by onDispose callbacks before the process exits', async () => {
    const lines: string[] = [];
    const plugin = await processPlugin(fixtureDir('farewell'), { log: (line) => lines.push(line) });
    await plugin.start();
    await plugin.stop();
    const farewells = lines.filter((l) => l.includes('farewell '));
    expect(farewells).toHaveLength(500);
    expect(farewells.at(-1)).toContain('farewell 499');
  });
});
