import { describe, expect, it } from 'vitest';
import { commonAffixes, findHelper, segments, variableAffixes, words } from '../../../src/patterns/words.js';
import { detectIn, renderMembers } from './helpers.js';

const command = (name: string) =>
  [
    `import { de_${name}Command, se_${name}Command } from "../protocols";`,
    'import { Command } from "../command";',
    '',
    `export class ${name}Command extends Command {`,
    `  readonly operation = "${name}";`,
    `  serialize(input) { return se_${name}Command(input); }`,
    `  deserialize(output) { return de_${name}Command(output); }`,
    '}',
    '',
  ].join('\n');

/** A command spelling its name three ways: PascalCase (class), camelCase (method, export), kebab-case (route, file). */
const spelled = (pascal: string, camel: string, kebab: string) =>
  [
    'import type { Client } from "../client";',
    '',
    `export class ${pascal}Command {`,
    `  static readonly route = "/${kebab}";`,
    '',
    '  run(client: Client) {',
    `    return client.${camel}(this);`,
    '  }',
    '}',
    '',
    `export const ${camel}Command = new ${pascal}Command();`,
    '',
  ].join('\n');

const locale = (tag: string, id: string, week: number) =>
  [
    'import type { Locale } from "../types";',
    '',
    `export const ${id}: Locale = {`,
    `  code: "${tag}",`,
    `  weekStartsOn: ${week},`,
    '  firstWeekContainsDate: 1,',
    '};',
    '',
    `export default ${id};`,
    '',
  ].join('\n');

describe('words', () => {
  it('splits at case transitions, digits and separators, keeping acronyms whole', () => {
    expect(segments('EnableVolumeIO')).toEqual(['Enable', 'Volume', 'IO']);
    expect(segments('HTMLParser2x')).toEqual(['HTML', 'Parser', '2', 'x']);
    expect(words('en-US')).toEqual(['en', 'us']);
    expect(words('enUS')).toEqual(words('en-US'));
  });

  it('shares prefixes and suffixes on word boundaries only', () => {
    expect(commonAffixes(['deserializeAws_querySendMessageCommand', 'deserializeAws_queryDeleteQueueCommand'])).toEqual({ prefix: 'deserializeAws_query', suffix: 'Command' });
    expect(commonAffixes(['getSsecPlugin', 'getSsecPlugin2'])).toEqual({ prefix: 'getSsecPlugin', suffix: '' });
    expect(variableAffixes(['"/invoices"', '"/invoices/:id"'])).toEqual({ prefix: '"', suffix: '"' });
    expect(variableAffixes(['"' + 'M'.repeat(300) + '"', '"L1"'])).toEqual({ prefix: '"', suffix: '"' });
  });

  it('finds the first case helper that maps one spelling to another for every member', () => {
    expect(findHelper(['SendMessage', 'DeleteQueue'], ['SendMessage', 'DeleteQueue'])).toBeNull();
    expect(findHelper(['SendMessage', 'DeleteQueue'], ['send-message', 'delete-queue'])).toBe('kebabCase');
    expect(findHelper(['EnableVolumeIO'], ['enableVolumeIO'])).toBeUndefined(); // camelCase gives enableVolumeIo
  });
});

describe('variable factoring', () => {
  it('folds the prefixed and suffixed spellings of a command name into one variable rendered as it is, acronyms included', async () => {
    const names = ['SendMessage', 'DeleteQueue', 'EnableVolumeIO', 'GetHTTPStatus'];
    const r = await detectIn(Object.fromEntries(names.map((n) => [`commands/${n}Command.ts`, command(n)])));
    const [p] = r.proposals;
    expect(p.members).toHaveLength(4);
    expect(p.variables.map((v) => [v.name, v.kind])).toEqual([['name', 'name']]);
    expect(p.pathTemplate).toBe('commands/{{name}}Command.ts');
    expect(p.template).toContain('import { de_{{name}}Command, se_{{name}}Command } from "../protocols";');
    expect(p.template).toContain('readonly operation = "{{name}}";');
    expect(p.answers.map((a) => a.name).sort()).toEqual([...names].sort());
  });

  it('folds camelCase and kebab-case spellings into one variable by case helpers, and keeps the raw spelling where helpers lose an acronym', async () => {
    const family = (names: Array<[string, string, string]>) => Object.fromEntries(names.map(([p, c, k]) => [`commands/${k}.ts`, spelled(p, c, k)]));
    const plain: Array<[string, string, string]> = [['SendMessage', 'sendMessage', 'send-message'], ['DeleteQueue', 'deleteQueue', 'delete-queue'], ['ListQueues', 'listQueues', 'list-queues']];
    // Without acronyms every spelling is a helper of one variable.
    const plainFiles = family(plain);
    const [folded] = (await detectIn(plainFiles)).proposals;
    expect(folded.variables.map((v) => [v.name, v.kind])).toEqual([['name', 'name']]);
    expect(folded.pathTemplate).toBe('commands/{{kebabCase name}}.ts');
    expect(folded.template).toContain('  static readonly route = "/{{kebabCase name}}";\n');
    expect(folded.template).toContain('    return client.{{camelCase name}}(this);\n');
    expect(folded.template).toContain('export const {{camelCase name}}Command = new {{name}}Command();\n');
    for (const [rendered, original] of renderMembers(folded, plainFiles)) expect(rendered).toBe(original);

    // EnableVolumeIO and GetHTTPStatus: kebabCase still gives their kebab spelling (enable-volume-io), but camelCase
    // gives enableVolumeIo, not enableVolumeIO — so the camelCase spelling keeps its raw value in a second variable.
    const mixedFiles = family([...plain, ['EnableVolumeIO', 'enableVolumeIO', 'enable-volume-io'], ['GetHTTPStatus', 'getHTTPStatus', 'get-http-status']]);
    const [p] = (await detectIn(mixedFiles)).proposals;
    expect(p.members).toHaveLength(5);
    expect(p.coverage).toBe(1);
    expect(p.variables.map((v) => [v.name, v.kind])).toEqual([['name', 'name'], ['name2', 'name']]);
    expect(p.pathTemplate).toBe('commands/{{kebabCase name}}.ts');
    expect(p.template).toContain('  static readonly route = "/{{kebabCase name}}";\n');
    expect(p.template).toContain('    return client.{{name2}}(this);\n');
    expect(p.template).toContain('export const {{name2}}Command = new {{name}}Command();\n');
    const answers = (key: string) => p.answers[p.members.findIndex((m) => m.key === key)];
    expect(answers('enable-volume-io')).toEqual({ name: 'EnableVolumeIO', name2: 'enableVolumeIO' });
    expect(answers('get-http-status')).toEqual({ name: 'GetHTTPStatus', name2: 'getHTTPStatus' });
    const rendered = renderMembers(p, mixedFiles);
    expect(rendered).toHaveLength(5);
    for (const [out, original] of rendered) expect(out).toBe(original);
  });

  it('derives other spellings with case helpers when they reproduce every member', async () => {
    const handler = (name: string, route: string) => `// ${route}\nexport class ${name}Handler {\n  readonly id = "${route}";\n  handle(): string {\n    return "${name}";\n  }\n}\n`;
    const r = await detectIn({ 'send-message.ts': handler('SendMessage', 'send_message'), 'delete-queue.ts': handler('DeleteQueue', 'delete_queue'), 'list-queues.ts': handler('ListQueues', 'list_queues') });
    const [p] = r.proposals;
    expect(p.variables.map((v) => v.name)).toEqual(['name']);
    expect(p.template).toContain('// {{snakeCase name}}\nexport class {{name}}Handler {\n  readonly id = "{{snakeCase name}}";');
    expect(p.pathTemplate).toBe('{{kebabCase name}}.ts');
  });

  it('keeps two variables when no helper turns one spelling into the other (en-US and enUS)', async () => {
    const r = await detectIn({
      'locale/en-US.ts': locale('en-US', 'enUS', 0),
      'locale/fr-FR.ts': locale('fr-FR', 'frFR', 1),
      'locale/de-DE.ts': locale('de-DE', 'deDE', 1),
      'locale/pt-BR.ts': locale('pt-BR', 'ptBR', 0),
    });
    const [p] = r.proposals;
    expect(p.members).toHaveLength(4);
    const strings = p.variables.filter((v) => v.kind === 'name' || v.kind === 'data');
    expect(strings).toHaveLength(3); // the identifier, the tag (also the file name), the week start
    expect(p.pathTemplate).toMatch(/^locale\/\{\{\w+\}\}\.ts$/);
    const en = p.answers[p.members.findIndex((m) => m.key === 'en-US')];
    expect(Object.values(en)).toEqual(expect.arrayContaining(['enUS', 'en-US', '0']));
  });
});
