// Big-model benchmark: `metarepo generate` on one ~50 MB model (≈110k properties), the size of issue 12's report.
// Prints one JSON line per run: {bench, case, properties, modelMb, generator, limitMb?, exitCode, seconds, peakRssMb,
// cpuSeconds, files, outputMb, error?}.
//
//   npm run build && node bench/big-model.mjs      # 3 runs: 110k properties with the size limit raised, the same
//                                                  # with the default limit (refused, exit 2), 45k (at the limit)
//   node bench/big-model.mjs --properties 20000 [--generator quicktype] [--default-limit]
//   node bench/big-model.mjs --write /tmp/big.schema.json [--properties N]   # only write the model
//
// Peak RSS is the CLI process's VmHWM (its high-water mark of resident memory, worker threads included since they
// share the process), polled from /proc/<pid>/status every 20 ms; on systems without /proc it is left out.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, report, tempDir } from './lib.mjs';

/** Default number of properties: with {@link bigModel}'s shapes that is ≈50 MB of pretty-printed JSON. */
export const BIG_MODEL_PROPERTIES = 110_000;

const WORDS = ['account', 'billing', 'customer', 'delivery', 'invoice', 'ledger', 'order', 'payment', 'product', 'region', 'shipment', 'tenant'];

/**
 * A deterministic draft-07 model: one root object with `properties` properties of mixed types (strings with
 * formats and patterns, numbers with bounds, booleans, enums, nullable types, arrays, nested objects two levels
 * deep, `anyOf` unions, and `$ref`s to 40 shared definitions), every one with a description. Same argument, same
 * schema, byte for byte.
 * @param properties - number of root properties (≥ 1).
 * @returns the schema object (serialise with `JSON.stringify(schema, null, 2)`).
 */
export function bigModel(properties = BIG_MODEL_PROPERTIES) {
  const definitions = {};
  for (let d = 0; d < 40; d++) {
    definitions[`Shared${d}`] = {
      type: 'object',
      description: `Shared definition ${d}, referenced by many properties of the big model.`,
      properties: { id: { type: 'string', format: 'uuid' }, label: { type: 'string', maxLength: 80 }, weight: { type: 'number', minimum: 0 } },
      required: ['id'],
      additionalProperties: false,
    };
  }
  const props = {};
  const required = [];
  for (let i = 0; i < properties; i++) {
    const word = WORDS[i % WORDS.length];
    const name = `${word}${i}`;
    const description = `The ${word} field number ${i} of the big model: generated text that makes the file about as large as a real model of this many properties, with some words to spare. It says what the value means, where it comes from and who may change it, as the descriptions of real models do.`;
    props[name] = { description, ...shape(i, word) };
    if (i % 7 === 0) required.push(name);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://example.com/models/big/1.0.0',
    title: 'Big',
    description: 'A synthetic model with very many properties (bench/big-model.mjs).',
    type: 'object',
    properties: props,
    required,
    additionalProperties: false,
    definitions,
  };
}

function shape(i, word) {
  switch (i % 12) {
    case 0:
      return { type: 'string', minLength: 1, maxLength: 200, examples: [`${word}-example`] };
    case 1:
      return { type: 'integer', minimum: 0, maximum: 1_000_000 };
    case 2:
      return { type: 'number', exclusiveMinimum: 0 };
    case 3:
      return { type: 'boolean', default: false };
    case 4:
      return { type: 'string', enum: ['draft', 'active', 'suspended', 'closed', `${word}-special`] };
    case 5:
      return { type: ['string', 'null'], format: 'date-time' };
    case 6:
      return { type: 'array', items: { type: 'string', pattern: '^[A-Z]{2}[0-9]{4}$' }, maxItems: 50 };
    case 7:
      return {
        type: 'object',
        properties: {
          street: { type: 'string' },
          city: { type: 'string' },
          geo: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } }, required: ['lat', 'lon'] },
        },
        required: ['city'],
      };
    case 8:
      return { $ref: `#/definitions/Shared${i % 40}` };
    case 9:
      return { anyOf: [{ type: 'string', maxLength: 20 }, { type: 'integer' }] };
    case 10:
      return { type: 'array', items: { $ref: `#/definitions/Shared${(i * 7) % 40}` } };
    default:
      return { type: 'string', format: 'email', pattern: '^[^@]+@[^@]+$' };
  }
}

/**
 * Runs `node <bin> <args>` in `cwd` (with `env` added to the environment) and measures wall time and the process's
 * peak RSS.
 * @returns `{ code, stderr, seconds, peakRssMb, cpuSeconds }`; the last two are undefined without /proc (CPU time
 *   assumes 100 clock ticks per second, Linux's USER_HZ).
 */
export function measureCli(cwd, args, env = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let peakKb;
    let ticks;
    const poll = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
        // utime and stime (fields 14 and 15, after the parenthesised command name), in clock ticks.
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks = Number(fields[11]) + Number(fields[12]);
      } catch {
        // gone, or no /proc
      }
    };
    const timer = setInterval(poll, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve({
        code,
        stderr,
        seconds: Math.round(seconds * 100) / 100,
        peakRssMb: peakKb === undefined ? undefined : Math.round(peakKb / 1024),
        // CPU time of the process (all threads) until the last poll: on a busy machine, a steadier figure than wall time.
        cpuSeconds: ticks === undefined ? undefined : Math.round(ticks) / 100,
      });
    });
  });
}

/** A fresh workspace with the big model, one target of `generator` and a codegen time limit of 10 minutes. */
export function bigWorkspace(properties, generator) {
  const dir = tempDir('metarepo-bench-big-');
  const init = spawnSync(process.execPath, [BIN, 'init', '--name', 'big'], { cwd: dir, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(init.stderr);
  fs.mkdirSync(path.join(dir, 'models/big'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'models/big/1.0.0.schema.json'), `${JSON.stringify(bigModel(properties), null, 2)}\n`);
  const target =
    generator === 'quicktype'
      ? '  - model: big\n    generator: quicktype\n    output: gen/big.ts\n    options:\n      lang: typescript\n'
      : '  - model: big\n    generator: typescript\n    output: gen/big.ts\n';
  const cfg = path.join(dir, 'metarepo.yaml');
  // A generous job time limit: on a busy machine the 50 MB model can take longer than the default 60 s.
  fs.writeFileSync(cfg, `${fs.readFileSync(cfg, 'utf8').replace('targets: []\n', `targets:\n${target}`)}codegen:\n  timeoutSeconds: 600\n`);
  return dir;
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

/** Largest number of properties whose model stays under the default size limit of code generation (20 MB). */
export const AT_LIMIT_PROPERTIES = 45_000;

/**
 * One `metarepo generate` on a fresh workspace with a model of `properties` properties; prints its JSON line.
 * @param env - extra environment of the CLI (e.g. `METAREPO_MAX_MODEL_MB`).
 */
async function runCase(label, properties, generator, env) {
  const dir = bigWorkspace(properties, generator);
  const modelMb = fs.statSync(path.join(dir, 'models/big/1.0.0.schema.json')).size / 2 ** 20;
  const r = await measureCli(dir, ['generate'], env);
  const outputs = fs.existsSync(path.join(dir, 'gen')) ? fs.readdirSync(path.join(dir, 'gen')) : [];
  const outputBytes = outputs.reduce((n, f) => n + fs.statSync(path.join(dir, 'gen', f)).size, 0);
  report('big-model-generate', {
    case: label,
    properties,
    modelMb: Math.round(modelMb * 10) / 10,
    generator,
    ...(env.METAREPO_MAX_MODEL_MB ? { limitMb: Number(env.METAREPO_MAX_MODEL_MB) } : {}),
    exitCode: r.code,
    seconds: r.seconds,
    peakRssMb: r.peakRssMb,
    cpuSeconds: r.cpuSeconds,
    files: outputs.length,
    outputMb: Math.round((outputBytes / 2 ** 20) * 10) / 10,
    ...(r.code === 0 ? {} : { error: r.stderr.replace(/\s+/g, ' ').trim().slice(0, 200) }),
  });
  if (process.env.BENCH_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`workspace kept: ${dir}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const generator = arg('generator', 'typescript');
  const only = arg('write', undefined);
  const properties = arg('properties', undefined);
  if (only) {
    fs.writeFileSync(only, `${JSON.stringify(bigModel(Number(properties ?? BIG_MODEL_PROPERTIES)), null, 2)}\n`);
  } else if (properties !== undefined) {
    // One run; the size limit raised unless --default-limit.
    const env = process.argv.includes('--default-limit') ? {} : { METAREPO_MAX_MODEL_MB: '1024' };
    await runCase('single', Number(properties), generator, env);
  } else {
    // The issue's model with the limit raised (what it costs), the same with the default limit (the refusal), and
    // the largest model the default limit lets through.
    await runCase('50mb-raised-limit', BIG_MODEL_PROPERTIES, generator, { METAREPO_MAX_MODEL_MB: '1024' });
    await runCase('50mb-default-limit', BIG_MODEL_PROPERTIES, generator, {});
    await runCase('at-default-limit', AT_LIMIT_PROPERTIES, generator, {});
  }
}
