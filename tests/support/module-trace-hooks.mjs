// Module hooks of tests/support/module-trace.mjs: appends each ES module's URL to the trace file as it loads.
import fs from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, next) {
  fs.appendFileSync(file, `${url}\n`);
  return next(url, context);
}
