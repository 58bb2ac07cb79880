// The workspace the MCP e2e tests serve: init, the example's real-world models (split @octokit/webhooks-schemas and
// the OpenAPI schemas, tests/e2e/real-schemas.test.ts) and a TypeScript target of one of them, not generated yet.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildExampleModels, exampleConfig } from '../../examples/real-schemas/build-models.mjs';
import { BIN, metarepoAsync, tempDir } from './cli.js';

/** The generated file of the one target. */
export const TARGET_OUTPUT = 'generated/push.ts';

/** A fresh workspace with the example models and one target (`webhooks-push@^1` → TypeScript). */
export async function realWorkspace(): Promise<string> {
  const dir = tempDir('metarepo-mcp-');
  expect((await metarepoAsync(dir, ['init', '--name', 'real'])).code).toBe(0);
  const models = await buildExampleModels(path.join(dir, 'models'));
  expect(models.length).toBeGreaterThanOrEqual(12);
  const yaml = path.join(dir, 'metarepo.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('targets: []', exampleConfig([['webhooks-push@^1', 'typescript', TARGET_OUTPUT, null]])));
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'docs', 'guide.md'), '# Guide\n\nHow we work.\n');
  return dir;
}

/** An SDK client connected over stdio to `metarepo mcp [args]` run by the built CLI in `dir`; stderr is collected. */
export async function stdioClient(dir: string, args: string[] = []): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], cwd: dir, stderr: 'pipe', env: { ...(process.env as Record<string, string>), NO_COLOR: '1' } });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'metarepo-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}

/** The text of a tool result's first content block. */
export function text(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}
