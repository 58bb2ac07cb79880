// A small OpenAI-compatible HTTP server for tests: POST /v1/chat/completions answers deterministically from the
// request (structured output included), counts requests, and can be switched to malformed answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stub answers. */
export type StubMode = 'names' | 'not-json' | 'wrong-schema';

/** A running stub. */
export interface OpenAiStub {
  /** Base URL for the `openai` client, e.g. `http://127.0.0.1:51234/v1`. */
  baseURL: string;
  /** Chat-completion requests received so far. */
  requests: Array<{ model: string; responseFormat: unknown; user: unknown }>;
  mode: StubMode;
  /** When set, answers a request with the string it returns (undefined: the mode's answer). */
  respond?: (request: { system: string; user: unknown }) => string | undefined;
  /** Milliseconds each answer is held back (to let requests overlap). */
  delayMs: number;
  /** The most requests that were in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * Starts the stub on 127.0.0.1 (a free port). In `names` mode it renames the first `name` variable to `operation`,
 * every other variable to `<name>Value`, and calls the family `http-handler` — valid suggestions of the shape the
 * request's JSON schema asks for.
 */
export async function startOpenAiStub(mode: StubMode = 'names'): Promise<OpenAiStub> {
  const stub: OpenAiStub = { baseURL: '', requests: [], mode, delayMs: 0, maxInFlight: 0, close: async () => undefined };
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const request = JSON.parse(body) as { model: string; response_format?: unknown; messages: Array<{ role: string; content: string }> };
      const user = JSON.parse(request.messages.find((m) => m.role === 'user')?.content ?? '{}') as { variables?: Array<{ name: string; kind: string }> };
      stub.requests.push({ model: request.model, responseFormat: request.response_format, user });
      const content = stub.respond?.({ system: request.messages.find((m) => m.role === 'system')?.content ?? '', user }) ?? answer(stub.mode, user);
      stub.maxInFlight = Math.max(stub.maxInFlight, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(request.model, content)));
      }, stub.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stub;
}

function answer(mode: StubMode, user: { variables?: Array<{ name: string; kind: string }> }): string {
  if (mode === 'not-json') return 'Sure! Here are some better names: operation, route.';
  if (mode === 'wrong-schema') return JSON.stringify({ familyName: 'http-handler', variables: [{ from: 'name' }] });
  let named = false;
  const variables = (user.variables ?? []).map((v) => {
    const to = v.kind === 'name' && !named ? 'operation' : `${v.name}Value`;
    named ||= v.kind === 'name';
    return { from: v.name, to, description: `The ${to}.` };
  });
  return JSON.stringify({ familyName: 'http-handler', description: 'An HTTP handler class.', variables });
}

function completion(model: string, content: string): unknown {
  return {
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}
