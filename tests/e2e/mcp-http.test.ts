// `metarepo mcp --http`: Streamable HTTP on 127.0.0.1 behind the bearer token of .metarepo/mcp.json (mode 0600),
// driven by the MCP SDK's own Client; a wrong or missing token gets 401, and stopping the server removes the file.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BIN } from './cli.js';
import { TARGET_OUTPUT, realWorkspace, text } from './mcp-workspace.js';

interface Info {
  url: string;
  token: string;
  pid: number;
}

function connect(info: Info, token: string): Promise<Client> {
  const client = new Client({ name: 'metarepo-e2e-http', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(info.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  return client.connect(transport).then(() => client);
}

describe('metarepo mcp --http', () => {
  let dir: string;
  let server: ChildProcess;
  let info: Info;
  const infoFile = () => path.join(dir, '.metarepo/mcp.json');
  beforeAll(async () => {
    dir = await realWorkspace();
    server = spawn(process.execPath, [BIN, 'mcp', '--http'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    // It says where it listens on stderr once .metarepo/mcp.json is written.
    let err = '';
    await new Promise<void>((resolve, reject) => {
      server.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('listening on')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`metarepo mcp --http exited with ${code}: ${err}`)));
    });
    info = JSON.parse(fs.readFileSync(infoFile(), 'utf8')) as Info;
  });
  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it('writes its URL and token on 127.0.0.1 to .metarepo/mcp.json, readable by its owner only', () => {
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(info.token.length).toBeGreaterThanOrEqual(40);
    expect(info.pid).toBe(server.pid);
    expect(fs.statSync(infoFile()).mode & 0o777).toBe(0o600);
  });

  it('refuses a wrong or missing token with 401, before any MCP handling', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
    const auths: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong' }, { Authorization: `Basic ${info.token}` }];
    for (const auth of auths) {
      const res = await fetch(info.url, { method: 'POST', headers: { ...headers, ...auth }, body: JSON.stringify(init) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    await expect(connect(info, `${info.token.slice(0, -1)}x`)).rejects.toThrow();
  });

  it('serves tools, resources and prompts to the SDK client with the right token', async () => {
    const client = await connect(info, info.token);
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(expect.arrayContaining(['status', 'generate', 'new']));
      const status = await client.callTool({ name: 'status', arguments: {} });
      expect(status.isError, text(status)).toBeFalsy();
      expect((status.structuredContent as { models: unknown[] }).models.length).toBeGreaterThanOrEqual(12);
      expect((await client.listResourceTemplates()).resourceTemplates.length).toBe(3);
      expect((await client.listPrompts()).prompts.length).toBe(3);

      const dry = await client.callTool({ name: 'generate', arguments: {} });
      expect((dry.structuredContent as { diff: string }).diff).toContain(`+++ b/${TARGET_OUTPUT}`);
      expect(fs.existsSync(path.join(dir, TARGET_OUTPUT))).toBe(false);
      const real = await client.callTool({ name: 'generate', arguments: { apply: true } });
      expect(real.isError, text(real)).toBeFalsy();
      expect(fs.existsSync(path.join(dir, TARGET_OUTPUT))).toBe(true);

      const bad = await client.callTool({ name: 'model_impact', arguments: { spec: 'webhooks-push@9.9.9' } });
      expect(bad.isError).toBe(true);
      expect(text(bad)).not.toContain('internal error');
      await expect(client.readResource({ uri: 'metarepo://docs/..%2F..%2Fetc%2Fpasswd' })).rejects.toThrow(/leaves the workspace/);
      expect((await client.callTool({ name: 'models_list', arguments: {} })).isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('stops on SIGTERM and removes .metarepo/mcp.json', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(infoFile())).toBe(false);
  });
});
