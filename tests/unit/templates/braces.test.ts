import { describe, expect, it } from 'vitest';
import { createHandlebars, renderTemplate } from '../../../src/templates/handlebars.js';
import { testTemplate } from '../../../src/templates/snapshot-test.js';
import { catalogOf, diskState, templateWorkspace } from './helpers.js';

const hb = createHandlebars();

describe('braces that are not Handlebars', () => {
  it('\\{{ outputs a mustache as is (JSX objects, templates that emit Handlebars)', () => {
    expect(renderTemplate(hb, "<div style=\\{{ color: 'red' }}>{{name}}</div>", { name: 'x' })).toBe("<div style={{ color: 'red' }}>x</div>");
    expect(renderTemplate(hb, '# \\{{titleCase name}} for {{name}}', { name: 'n' })).toBe('# {{titleCase name}} for n');
  });

  it('a raw block {{{{raw}}}}…{{{{/raw}}}} outputs everything inside unrendered, strict mode included', () => {
    const src = "{{{{raw}}}}<p style={{ margin: 0 }}>{{#if x}}{{y}}{{/if}}</p>{{{{/raw}}}} {{name}}";
    expect(renderTemplate(hb, src, { name: 'after' })).toBe("<p style={{ margin: 0 }}>{{#if x}}{{y}}{{/if}}</p> after");
  });

  it('a TSX template with both forms renders through a generator into its snapshot', async () => {
    const root = templateWorkspace('card', {
      '{{pascalCase name}}.tsx.hbs': "export const {{pascalCase name}} = () => <b style=\\{{ fontWeight: 700 }}>{{name}}</b>;\n{{{{raw}}}}export const raw = <i style={{ a: 1 }} />;{{{{/raw}}}}\n",
    });
    const { catalog, template } = catalogOf(root, 'card');
    await testTemplate(template, catalog, { fixture: 'two' });
    expect(diskState(`${root}/snapshots/card/two`)).toEqual({
      'out/second/Second.tsx': 'export const Second = () => <b style={{ fontWeight: 700 }}>Second</b>;\nexport const raw = <i style={{ a: 1 }} />;\n',
    });
  });
});
