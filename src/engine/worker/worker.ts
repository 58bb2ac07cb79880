/**
 * Entry point of a codegen worker thread (see {@link ./pool.ts}). It stays alive between jobs, so a
 * generator's module, and the heavy libraries it imports lazily, load once per worker. Jobs arrive one
 * at a time; every failure that can be caught becomes a {@link JobReply} instead of killing the
 * thread. What cannot be caught (out of memory, a stack overflow in a promise callback) ends the
 * thread, and the pool reports it. Nothing the generator prints reaches the terminal: output is
 * captured (see {@link captureThreadOutput}) and quoted in the reply of a job that fails.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import type { CodegenFunction, CodegenInput, GeneratedFile } from '../../plugins/api.js';
import { captureThreadOutput } from './capture.js';
import type { JobReply, JobRequest } from './protocol.js';
import { errorHint, errorMessage, isStackOverflow } from '../../core/error-text.js';

const port = parentPort;
if (!port) throw new Error('worker.js is the entry point of a worker thread; start it through createCodegenPool().');
const output = captureThreadOutput();

port.on('message', (request: JobRequest) => {
  output.take(); // drop what an earlier job printed after its reply
  void runJob(request).then((reply) => {
    const printed = output.take();
    port.postMessage(reply.ok || printed === '' ? reply : { ...reply, output: printed });
  });
});

async function runJob(request: JobRequest): Promise<JobReply> {
  const { id } = request;
  if (request.warm) return warmUp(id, request.warm);
  let generate: CodegenFunction;
  try {
    generate = await loadFunction(request.module, request.exportName ?? 'generate');
  } catch (error) {
    return { id, ok: false, kind: 'load', message: errorMessage(error) };
  }
  let files: unknown;
  try {
    const input = JSON.parse(request.input) as CodegenInput;
    request.input = ''; // parsed: the text need not stay in memory while the generator runs
    files = await generate(input);
  } catch (error) {
    const kind = isStackOverflow(error) ? 'stack' : 'error';
    return { id, ok: false, kind, message: errorMessage(error), hint: errorHint(error) };
  }
  if (!isFileList(files)) {
    return { id, ok: false, kind: 'output', message: 'it did not return an array of { path, content } strings' };
  }
  return { id, ok: true, files };
}

async function warmUp(id: number, modules: string[]): Promise<JobReply> {
  try {
    for (const m of modules) {
      const loaded = (await import(path.isAbsolute(m) ? pathToFileURL(m).href : m)) as { warm?: () => Promise<void> };
      if (typeof loaded.warm === 'function') await loaded.warm();
    }
  } catch {
    // A module that fails to load will fail its real job with a clear reason; warming is only an optimisation.
  }
  return { id, ok: true, files: [] };
}

async function loadFunction(module: string, exportName: string): Promise<CodegenFunction> {
  // import() takes URLs; an absolute Windows path would be read as a URL scheme, so convert paths.
  const specifier = path.isAbsolute(module) ? pathToFileURL(module).href : module;
  const loaded = (await import(specifier)) as Record<string, unknown>;
  const fn = loaded[exportName];
  if (typeof fn !== 'function') throw new Error(`${module} has no function export "${exportName}"`);
  return fn as CodegenFunction;
}

function isFileList(value: unknown): value is GeneratedFile[] {
  return (
    Array.isArray(value) &&
    value.every(
      (f) => typeof f === 'object' && f !== null && typeof f.path === 'string' && typeof f.content === 'string',
    )
  );
}
