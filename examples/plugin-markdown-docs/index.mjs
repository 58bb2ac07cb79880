// Example metarepo plugin (see docs/plugins.md). Plain ESM: a plugin is { name, setup(api) }.
import { modelFiles, undescribedProperties } from './properties.mjs';

/** @type {import('metarepo/plugin').Plugin} */
export default {
  name: 'markdown-docs',
  setup(api) {
    api.registerCodegen({
      name: 'markdown-docs',
      version: '1.0.0',
      description: 'A Markdown reference page per model.',
      module: new URL('./markdown.mjs', import.meta.url).href,
    });
    api.registerCheck({
      name: 'properties-described',
      description: 'Every model property has a description.',
      run: (ctx) =>
        undescribedProperties(ctx.root, ctx.models).map((u) => ({
          severity: api.config.severity ?? 'warning',
          file: u.file,
          pointer: u.pointer,
          message: `${u.model}: property "${u.property}" has no description`,
        })),
    });
    // A page of the docs site (`metarepo docs build`): the undocumented properties of every model, as a table.
    api.registerPages({
      name: 'undocumented-properties',
      pages: (ctx) => {
        const found = undescribedProperties(ctx.root, modelFiles(ctx.root));
        const rows = found.map((u) => `| ${u.model} | \`${u.pointer}\` |`);
        const table = found.length ? ['| Model | Property |', '| --- | --- |', ...rows].join('\n') : 'Every property is described.';
        return [{ path: 'undocumented', title: 'Undocumented properties', markdown: `# Undocumented properties\n\n${table}\n` }];
      },
    });
    api.registerCommand({
      name: 'undocumented',
      description: 'List model properties without a description',
      options: [{ flags: '--model <name>', description: 'only this model' }],
      run(ctx) {
        const models = modelFiles(ctx.root).filter((m) => !ctx.options.model || m.name === ctx.options.model);
        const found = undescribedProperties(ctx.root, models);
        for (const u of found) ctx.print(`${u.model} ${u.pointer}`);
        ctx.print(`${found.length} undocumented properties`);
        return 0;
      },
    });
  },
};
