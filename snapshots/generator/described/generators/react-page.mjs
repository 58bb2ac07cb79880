/**
 * Scaffold generator "react-page": A page with its route and test.
 *
 * metarepo loads every generators/*.mjs file as a plopfile, so `metarepo new react-page`
 * runs this. Paths of templates are relative to this file; output paths to the workspace root.
 * Edit the actions and template.yaml; the files it writes are in templates/react-page/files/,
 * and `metarepo template test react-page` checks them against snapshots/react-page/.
 */
export default function (plop) {
  plop.setGenerator('react-page', {
    description: "A page with its route and test.",
    // No prompts of its own: metarepo asks for the variables of templates/react-page/template.yaml
    // (their types, defaults, enums and descriptions). Questions listed here would take over.
    prompts: [],
    actions: [
      {
        type: 'addMany',
        destination: '{{kebabCase name}}',
        base: '../templates/react-page/files',
        templateFiles: '../templates/react-page/files/**',
      },
    ],
  });
}
