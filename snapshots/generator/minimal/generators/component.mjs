/**
 * Scaffold generator "component": A new component.
 *
 * metarepo loads every generators/*.mjs file as a plopfile, so `metarepo new component`
 * runs this. Paths of templates are relative to this file; output paths to the workspace root.
 * Edit the actions and template.yaml; the files it writes are in templates/component/files/,
 * and `metarepo template test component` checks them against snapshots/component/.
 */
export default function (plop) {
  plop.setGenerator('component', {
    description: "A new component.",
    // No prompts of its own: metarepo asks for the variables of templates/component/template.yaml
    // (their types, defaults, enums and descriptions). Questions listed here would take over.
    prompts: [],
    actions: [
      {
        type: 'addMany',
        destination: '{{kebabCase name}}',
        base: '../templates/component/files',
        templateFiles: '../templates/component/files/**',
      },
    ],
  });
}
