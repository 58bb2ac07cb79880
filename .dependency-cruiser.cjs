/**
 * The layers of DESIGN.md ("Layers: the rules of the house"), enforced by tests/unit/architecture/layers.test.ts
 * and by hand with `npx depcruise src plugins generators`. Arrows point down: a module may import its own layer,
 * a layer below it, and `core` (a leaf that imports nothing of ours); never a layer above. `src/api` is the
 * package's public surface (`metarepo/plugin`): it sits above everything and nothing in `src/` imports it.
 */
const LAYERS = [
  ['core', 'generated'],
  ['events'],
  ['models'],
  ['plugins'],
  ['workspace'],
  ['engine'],
  ['docs', 'patterns', 'templates'],
  ['coord', 'integrations'],
  ['dashboard', 'mcp'],
  ['cli'],
];

const folders = (list) => `^src/(${list.join('|')})/`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('-')}`,
  comment: `${layer.join(', ')} must not import a higher layer (${LAYERS.slice(i + 1).flat().join(', ')}).`,
  severity: 'error',
  from: { path: folders(layer) },
  to: { path: folders(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'core-is-a-leaf',
      comment: 'src/core imports nothing of ours but src/core (and the generated meta-model types).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src|plugins|generators)/', pathNot: '^src/(core|generated)/' },
    },
    {
      name: 'nothing-imports-the-facade',
      comment: 'src/api/plugin.ts re-exports the layers for plugins; the layers never import it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/api/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'plugins-and-generators-use-the-public-api',
      comment: 'Built-in plugins and generators import only metarepo/plugin (src/api/plugin.ts) and their own files.',
      severity: 'error',
      from: { path: '^(plugins|generators)/' },
      to: { path: '^src/', pathNot: '^src/api/plugin\\.ts$' },
    },
    {
      name: 'src-imports-no-plugin-or-generator',
      comment: 'The engine (and every layer) knows no concrete generator: plugins/ and generators/ are found at run time.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(plugins|generators)/' },
    },
    {
      name: 'no-circular-between-layers',
      comment: 'Two layers never import each other, not even in a loop through a third.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|tests)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
