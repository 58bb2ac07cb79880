/**
 * Template health: every Handlebars file of the built-in templates and of the workspace's
 * `templates/` folder compiles. Used by `metarepo health`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { MetarepoError, formatLocation } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { checkTemplate, createHandlebars } from './handlebars.js';

/** Folder of templates, relative to the package root (built-ins) or the workspace root. */
const TEMPLATES_DIR = 'templates';

/**
 * Compiles every template file under `<metarepo>/templates` and `<root>/templates`: each file of a
 * template folder except its `template.yaml`; files that are not UTF-8 text (images, fonts) are
 * copied, not rendered, and are skipped.
 * @returns how many files were compiled.
 * @throws MetarepoError (exit 2) listing every file that does not compile, each with line and column.
 */
export async function lintTemplates(root: string): Promise<number> {
  const hb = createHandlebars();
  const folders = [...new Set([path.join(PACKAGE_ROOT, TEMPLATES_DIR), path.join(root, TEMPLATES_DIR)])];
  const failures: MetarepoError[] = [];
  let count = 0;
  for (const folder of folders.filter((f) => fs.existsSync(f))) {
    const files = globSync('**/*', { cwd: folder, dot: true, absolute: true, ignore: ['**/template.yaml'] }).sort();
    for (const file of files) {
      let source: string;
      try {
        source = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
      } catch {
        continue;
      }
      count++;
      try {
        checkTemplate(hb, source, { file: path.relative(root, file) || file });
      } catch (err) {
        if (!(err instanceof MetarepoError)) throw err;
        failures.push(err);
      }
    }
  }
  if (failures.length > 0) {
    throw new MetarepoError(`${failures.length} template file(s) do not compile.`, {
      location: failures[0].location,
      details: failures.map((f) => (f.location ? `${formatLocation(f.location)}: ${f.message}` : f.message)),
      hint: failures[0].hint,
    });
  }
  return count;
}
