// The quote-check plugin: Flags "smart quotes" and \backslashes\ in READMEs.
// A plugin is an object with a name and a setup(api) function; see docs/plugins.md in metarepo.
import fs from 'node:fs';
import path from 'node:path';

/** Warns about every project without a README.md. */
export const readmeCheck = {
  name: 'quote-check-readme',
  description: 'Every project has a README.md.',
  run(ctx) {
    const projects = ctx.workspace.projects ?? [];
    return projects
      .filter((p) => !fs.existsSync(path.join(ctx.root, p.path, 'README.md')))
      .map((p) => ({ severity: 'warning', file: p.path, message: `project ${p.name} has no README.md` }));
  },
};

/** @type {import('metarepo/plugin').Plugin} */
export default {
  name: 'quote-check',
  setup(api) {
    api.registerCheck(readmeCheck);
  },
};
