/**
 * Built-in plugin `checks-core`: the consistency checks every workspace gets. Uses only the public plugin API.
 * - `targets-resolve`: every target can be planned (model range resolves, generator known, output path safe).
 * - `models-documented`: every model version has a `title` and a `description`.
 * - `generated-up-to-date`: no target is stale and no generated file was edited by hand (`metarepo check` only;
 *   during a generate run the outputs are being brought up to date).
 * - `unique-outputs`: no two targets write the same path.
 * - `model-versions`: every model version says its change under the model's compatibility policy (a breaking
 *   change needs a major version, an addition a minor one).
 * - `templates-lint`: the workspace's templates pass template lint (`metarepo check` only: a generate run changes
 *   no template).
 * - `model-examples`: every example of a model (`examples`, `example`) matches its schema (`metarepo check` and the
 *   `model` commands, which write models; a generate or new run changes none and would only read them all again).
 */
import { definePlugin, invalidExampleFindings, lintWorkspaceTemplates, type Check, type Finding } from 'metarepo/plugin';

const CONFIG = 'metarepo.yaml';

const targetsResolve: Check = {
  name: 'targets-resolve',
  description: "Every target can be planned: its model range resolves, its generator exists, its output path is safe.",
  run: (ctx) =>
    ctx.targets.flatMap((t, i): Finding[] =>
      t.state === 'invalid'
        ? [{ severity: 'error', file: CONFIG, pointer: `/targets/${i}/model`, message: `target ${t.name}: ${t.reason}` }]
        : [],
    ),
};

const modelsDocumented: Check = {
  name: 'models-documented',
  description: 'Every model version has a title and a description.',
  run: (ctx) =>
    ctx.models.flatMap((m): Finding[] => {
      const missing = (['title', 'description'] as const).filter((k) => !m[k]?.trim());
      return missing.length ? [{ severity: 'warning', file: m.file, pointer: '', message: `${m.name}@${m.version} has no ${missing.join(' and no ')}` }] : [];
    }),
};

const generatedUpToDate: Check = {
  name: 'generated-up-to-date',
  description: 'Generated files are up to date and not edited by hand.',
  run: (ctx) =>
    ctx.command !== 'check'
      ? [] // a generate run reports staleness and edits itself; other commands do not touch generated files
      : ctx.targets.flatMap((t): Finding[] => [
          ...(t.state === 'stale' || t.state === 'never-generated'
            ? [{ severity: 'error' as const, file: t.output, message: `${t.output} is ${t.state === 'stale' ? 'out of date' : 'not generated yet'} (target ${t.name}); run metarepo generate` }]
            : []),
          ...t.edited.map((f) => ({ severity: 'error' as const, file: f, message: `${f} was edited by hand; move the change into the model, or run metarepo generate --force` })),
        ]),
};

const uniqueOutputs: Check = {
  name: 'unique-outputs',
  description: 'No two targets write the same path.',
  run: (ctx) => {
    const seen = new Map<string, string>();
    return ctx.targets.flatMap((t, i): Finding[] => {
      const first = seen.get(t.output);
      seen.set(t.output, first ?? t.name);
      return first ? [{ severity: 'error', file: CONFIG, pointer: `/targets/${i}/output`, message: `targets ${first} and ${t.name} both write ${t.output}` }] : [];
    });
  },
};

const modelVersions: Check = {
  name: 'model-versions',
  description: "Every model version's semver says its change under the model's compatibility policy.",
  run: (ctx) => ctx.releases.flatMap((r): Finding[] => r.problems.map((message) => ({ severity: 'error', file: r.file, message: `${r.model}@${r.version} (policy ${r.policy}): ${message}` }))),
};

const templatesLint: Check = {
  name: 'templates-lint',
  description: 'Templates use only declared variables, known helpers and partials, safe file names, valid Handlebars.',
  run: (ctx) => (ctx.command !== 'check' ? [] : lintWorkspaceTemplates(ctx.root)),
};

const modelExamples: Check = {
  name: 'model-examples',
  description: 'Every example of a model (examples, example) matches the model schema.',
  run: (ctx) => (ctx.command === 'check' || ctx.command.startsWith('model ') ? invalidExampleFindings(ctx.root, ctx.models) : []),
};

export default definePlugin({
  name: 'checks-core',
  setup(api) {
    for (const check of [targetsResolve, modelsDocumented, generatedUpToDate, uniqueOutputs, modelVersions, templatesLint, modelExamples]) api.registerCheck(check);
  },
});
