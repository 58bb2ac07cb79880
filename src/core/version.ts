import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';

/** metarepo's own version, from package.json (part of every generated file's input hash). */
export const TOOL_VERSION: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
