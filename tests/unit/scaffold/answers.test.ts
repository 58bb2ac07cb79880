import { describe, expect, it } from 'vitest';
import { resolveAnswers, type PlopQuestion, type PromptFunction } from '../../../src/templates/scaffold/answers.js';

describe('resolveAnswers', () => {
  it('skips questions whose when is false, and calls function defaults with the answers so far', async () => {
    const questions: PlopQuestion[] = [
      { name: 'name', type: 'input', message: 'n' },
      { name: 'extra', type: 'input', message: 'e', when: (a: Record<string, unknown>) => a.name === 'yes' },
      { name: 'title', type: 'input', message: 't', default: (a: Record<string, unknown>) => `T-${String(a.name)}` },
    ];
    const { answers } = await resolveAnswers(questions, { generator: 'g', given: { name: 'no' }, interactive: false });
    expect(answers).toEqual({ name: 'no', title: 'T-no' });
  });

  it('coerces checkbox and number answers, and applies filter before validate', async () => {
    const questions: PlopQuestion[] = [
      { name: 'parts', type: 'checkbox', message: 'p', choices: ['api', { name: 'Web UI', value: 'web' }] },
      { name: 'n', type: 'number', message: 'n' },
      { name: 's', type: 'input', message: 's', filter: (v) => String(v).trim(), validate: (v) => (v === 'ok' ? true : 'not ok') },
    ];
    const { answers } = await resolveAnswers(questions, {
      generator: 'g',
      given: { parts: 'web ui,api', n: '-2.5', s: '  ok ' },
      interactive: false,
    });
    expect(answers).toEqual({ parts: ['web', 'api'], n: -2.5, s: 'ok' });
  });

  it('interactive: asks the rest through prompt with the given answers, patterns turned into validate', async () => {
    let seen: { questions: PlopQuestion[]; answers: Record<string, unknown> } | undefined;
    const prompt: PromptFunction = async (questions, answers) => {
      seen = { questions, answers };
      return { ...answers, name: 'asked' };
    };
    const questions: PlopQuestion[] = [
      { name: 'name', type: 'input', message: 'n', pattern: '^[a-z]+$', validateMessage: 'lower case only' },
      { name: 'ok', type: 'confirm', message: 'o' },
    ];
    const result = await resolveAnswers(questions, { generator: 'g', given: { ok: 'n' }, interactive: true, prompt });
    expect(result.answers).toEqual({ ok: false, name: 'asked' });
    expect(seen!.answers).toEqual({ ok: false });
    const validate = seen!.questions[0].validate!;
    expect(await validate('Bad', {})).toBe('lower case only');
    expect(await validate('good', {})).toBe(true);
  });

  it('notes --set keys that no question asks, and keeps them for the templates', async () => {
    const result = await resolveAnswers([], { generator: 'g', given: { stray: 'x' }, interactive: false });
    expect(result.answers).toEqual({ stray: 'x' });
    expect(result.messages).toEqual(['--set stray: generator "g" asks no question "stray"; the value is passed to its templates as is.']);
  });
});
