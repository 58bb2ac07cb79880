import { describe, expect, it } from 'vitest';
import { detectIn, renderMembers, service } from './helpers.js';

const theme = (name: string, color: string, contrast: string) =>
  `export const ${name}Theme = {\n  name: "${name}",\n  color: "${color}",\n  contrast: ${contrast},\n};\nexport default ${name}Theme;\n`;

const routes = (paths: string[]) =>
  [
    'import { Router } from "./router";',
    'import { a, b, c, d } from "./handlers";',
    '',
    'export const routes: Router[] = [',
    ...paths.map((p) => `  { path: "/${p}", handler: ${p} },`),
    '];',
    '',
    'export default routes;',
    '',
  ].join('\n');

/** A command built by a call chain; `filters` adds the `.f(…)` link that only some commands have. */
const builder = (name: string, filters: boolean) =>
  [
    'import { Command as $Command } from "../command";',
    `import { de_${name}Command, se_${name}Command } from "../protocols";`,
    '',
    `export class ${name}Command extends $Command`,
    '    .classBuilder()',
    `    .s("AmazonSQS", "${name}", {})`,
    `    .n("SQSClient", "${name}Command")`,
    ...(filters ? [`    .f(${name}RequestFilterSensitiveLog, ${name}ResultFilterSensitiveLog)`] : []),
    `    .ser(se_${name}Command)`,
    `    .de(de_${name}Command)`,
    '    .build() {',
    '}',
    '',
  ].join('\n');

/** Routes registered by one chain of `.get(…)` links, as many as the module has. */
const routeTable = (name: string, routes: string[]) =>
  [
    'import { router } from "../router";',
    `import * as h from "../handlers/${name}";`,
    '',
    `export const ${name}Routes = router`,
    `${routes.map((r) => `  .get("/${name}/${r}", h.${r})`).join('\n')};`,
    '',
    `export default ${name}Routes;`,
    '',
  ].join('\n');

describe('anti-unification', () => {
  it('generalises members of one shape position by position: equal text stays, the rest becomes variables', async () => {
    const r = await detectIn({ 'red.ts': theme('red', '#f00', '4.5'), 'green.ts': theme('green', '#0f0', '3.1'), 'blue.ts': theme('blue', '#00f', '8.6') });
    expect(r.proposals).toHaveLength(1);
    const [p] = r.proposals;
    expect(p.members.map((m) => m.key)).toEqual(['blue', 'green', 'red']);
    expect(p.coverage).toBe(1);
    expect(p.sections).toEqual({ optional: 0, repeated: 0 });
    expect(p.template).toBe('export const {{name}}Theme = {\n  name: "{{name}}",\n  color: "{{color}}",\n  contrast: {{contrast}},\n};\nexport default {{name}}Theme;\n');
    expect(p.pathTemplate).toBe('{{name}}.ts');
    expect(p.variables.map((v) => [v.name, v.kind])).toEqual([['name', 'name'], ['color', 'data'], ['contrast', 'data']]);
    expect(p.answers[0]).toEqual({ name: 'blue', color: '#00f', contrast: '8.6' });
  });

  it('makes a child that only some members have an optional section', async () => {
    const r = await detectIn({ 'users.ts': service('Users', false), 'orders.ts': service('Orders', true), 'items.ts': service('Items', false), 'carts.ts': service('Carts', true) });
    const [p] = r.proposals;
    expect(p.members).toHaveLength(4);
    expect(p.coverage).toBe(1);
    expect(p.sections.optional).toBeGreaterThanOrEqual(2);
    expect(p.sections.repeated).toBe(0);
    const flags = p.variables.filter((v) => v.kind === 'flag');
    expect(flags).toHaveLength(1); // the import and the cache lines come and go together: one flag
    expect(p.template).toContain(`{{#if ${flags[0].name}}}import { cache } from "../cache";\n`);
    expect(p.template).toContain(`{{#if ${flags[0].name}}}  if (hit) return hit;\n{{/if}}`);
    expect(p.answers.map((a) => a[flags[0].name])).toEqual([true, false, true, false]); // carts, items, orders, users
  });

  it('makes a list whose length varies and whose items all differ one repeated section over every item', async () => {
    const r = await detectIn({
      'one.ts': routes(['a']),
      'two.ts': routes(['a', 'b']),
      'two-more.ts': routes(['c', 'd']),
      'three.ts': routes(['a', 'b', 'c']),
      'four.ts': routes(['a', 'b', 'c', 'd']),
    });
    const [p] = r.proposals;
    expect(p.members).toHaveLength(5);
    expect(p.coverage).toBe(1);
    expect(p.sections).toEqual({ optional: 0, repeated: 1 });
    const list = p.variables.find((v) => v.kind === 'list')!;
    expect(list.stringItems).toBe(true);
    expect(p.template).toContain(`export const routes: Router[] = [\n{{#each ${list.name}}}  { path: "{{this}}", handler: {{camelCase this}} },\n{{/each}}];\n`);
    expect(p.answers[p.members.findIndex((m) => m.key === 'four')][list.name]).toEqual(['/a', '/b', '/c', '/d']);
  });

  it('keeps items every member shares literal and makes the others a repeated section', async () => {
    const plugins = (extra: string[]) => routes(['a', ...extra]).replace('{ path: "/a", handler: a },', '{ path: "/", handler: home },');
    const r = await detectIn({ 'p1.ts': plugins([]), 'p2.ts': plugins(['b']), 'p3.ts': plugins(['b', 'c']), 'p4.ts': plugins(['c', 'd', 'b']) });
    const [p] = r.proposals;
    expect(p.coverage).toBe(1);
    expect(p.template).toContain('export const routes: Router[] = [\n  { path: "/", handler: home },\n{{#each');
  });

  it('ejects nothing and proposes nothing for files without a common structure', async () => {
    const r = await detectIn({ 'a.ts': theme('red', '#f00', '1'), 'b.ts': routes(['a', 'b']), 'c.ts': service('Users', true) });
    expect(r.proposals).toEqual([]);
  });

  it('aligns the links of a call chain, so a link only some members have becomes one optional section', async () => {
    const files = Object.fromEntries(
      [['SendMessage', true], ['ReceiveMessage', true], ['DeleteQueue', false], ['ListQueues', false], ['PurgeQueue', false]].map(([n, f]) => [`commands/${n}Command.js`, builder(n as string, f as boolean)]),
    );
    const r = await detectIn(files);
    expect(r.proposals).toHaveLength(1);
    const [p] = r.proposals;
    expect(p.members).toHaveLength(5);
    expect(p.coverage).toBe(1);
    expect(p.sections).toEqual({ optional: 1, repeated: 0 });
    // The member's name and the link's flag: nothing of the chain is left to a data variable holding code.
    expect(p.variables.map((v) => [v.name, v.kind])).toEqual([['name', 'name'], ['hasF', 'flag']]);
    expect(p.template).toContain('    .n("SQSClient", "{{name}}Command")\n{{#if hasF}}    .f({{name}}RequestFilterSensitiveLog, {{name}}ResultFilterSensitiveLog)\n{{/if}}    .ser(se_{{name}}Command)\n');
    expect(p.answers.map((a) => [a.name, a.hasF])).toEqual([['DeleteQueue', false], ['ListQueues', false], ['PurgeQueue', false], ['ReceiveMessage', true], ['SendMessage', true]]);
    for (const [rendered, original] of renderMembers(p, files)) expect(rendered).toBe(original);
  });

  it('makes chain links that vary in number, none shared by all members, one repeated section', async () => {
    const files = {
      'routes/shop.ts': routeTable('shop', ['cart']),
      'routes/admin.ts': routeTable('admin', ['users', 'roles', 'audit']),
      'routes/blog.ts': routeTable('blog', ['posts', 'tags']),
      'routes/docs.ts': routeTable('docs', ['pages', 'search']),
    };
    const [p] = (await detectIn(files)).proposals;
    expect(p.coverage).toBe(1);
    expect(p.sections).toEqual({ optional: 0, repeated: 1 });
    const list = p.variables.find((v) => v.kind === 'list')!;
    expect(p.template).toContain(`export const {{name}}Routes = router\n{{#each ${list.name}}}  .get("`);
    expect((p.answers[p.members.findIndex((m) => m.key === 'admin')][list.name] as unknown[]).length).toBe(3);
    for (const [rendered, original] of renderMembers(p, files)) expect(rendered).toBe(original);
  });
});
