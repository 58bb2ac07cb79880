/**
 * The module metarepo and node-plop (see `scaffold/plopfiles.ts`) load Handlebars from: the package's single-file
 * build of the same release, compiler included. The package's main module (`lib/index.js`) requires 33 CommonJS
 * files and, for source maps, 11 of the source-map package, and adds a `require('.hbs')` hook: metarepo uses
 * neither, and loading that tree was about a tenth of `metarepo new`'s own work (issue 12). A module of its own so
 * that naming it loads nothing.
 */
export const HANDLEBARS_MODULE = 'handlebars/dist/handlebars.js';
