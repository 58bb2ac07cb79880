import { describe, expect, it } from 'vitest';
import { commonAffixes, findHelper, segments, variableAffixes, words } from '../../../src/patterns/words.js';
import { detectIn } from './helpers.js';

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
  it('folds every spelling of a command name into one variable, acronyms kept as written', async () => {
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
