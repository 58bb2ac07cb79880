import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
const meta = JSON.parse(fs.readFileSync('node_modules/ajv/dist/refs/json-schema-draft-07.json', 'utf8'));
const code = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async (m) => {
  const { generate } = await import(${JSON.stringify(new URL('./dist/plugins/codegen-typescript/generate.js', import.meta.url).href)});
  const t = performance.now();
  for (let i = 0; i < 100; i++) await generate(JSON.parse(m));
  parentPort.postMessage(performance.now() - t);
});`;
for (const rl of [undefined, { maxOldGenerationSizeMb: 1024, stackSizeMb: 4 }, { maxOldGenerationSizeMb: 1024 }, { stackSizeMb: 4 }, {maxYoungGenerationSizeMb: 64}]) {
  const w = new Worker(code, { eval: true, resourceLimits: rl });
  const input = JSON.stringify({ model: { name: 'm', version: '1.0.0', schema: meta }, options: {}, output: 'o.ts' });
  w.postMessage(input);
  const ms = await new Promise((r) => w.once('message', r));
  console.log(JSON.stringify(rl), ms.toFixed(0));
  await w.terminate();
}
const { generate } = await import('./dist/plugins/codegen-typescript/generate.js');
const t = performance.now();
for (let i = 0; i < 100; i++) await generate({ model: { name: 'm', version: '1.0.0', schema: meta }, options: {}, output: 'o.ts' });
console.log('main', (performance.now() - t).toFixed(0));
