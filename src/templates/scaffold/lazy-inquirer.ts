/**
 * inquirer as node-plop holds it, loaded on first use. node-plop imports inquirer when it loads (to register prompt
 * types and pass it to plopfiles as `plop.inquirer`), and inquirer with its dependencies (rxjs, ora, …) is most of
 * what loading node-plop costs; yet a run answered on the command line (`metarepo new <generator> --set …`) asks
 * nothing. This stands in for inquirer's default export in the node-plop that `loadNodePlop` (plopfiles.ts) builds:
 * prompt types registered on it are kept and handed to the real inquirer when the first question is asked.
 */
import { createRequire } from 'node:module';

type Inquirer = (typeof import('inquirer'))['default'];
type PromptFn = Inquirer['prompt'];

let real: Inquirer | undefined;
const registered: Array<[string, unknown]> = [];

/** The real inquirer, with the prompt types registered so far. */
async function load(): Promise<Inquirer> {
  if (!real) adopt((await import('inquirer')).default);
  return real!;
}

/** Synchronously, where Node can `require` an ES module (20.19 and later); else an error saying what to do. */
function loadNow(): Inquirer {
  if (!real) {
    try {
      const mod = createRequire(import.meta.url)('inquirer') as { default?: Inquirer } & Inquirer;
      adopt(mod.default ?? mod);
    } catch (e) {
      throw new Error(`inquirer is loaded on first use and this Node.js cannot load it synchronously here: ${(e as Error).message}`, { cause: e });
    }
  }
  return real!;
}

function adopt(inquirer: Inquirer): void {
  real = inquirer;
  for (const [name, prompt] of registered) inquirer.registerPrompt(name, prompt as never);
}

/** `inquirer.prompt`: asks through the real inquirer; `prompt.prompts` (the registered types) loads it at once. */
const prompt = Object.defineProperty((questions: unknown, answers?: unknown) => load().then((i) => (i.prompt as (q: unknown, a?: unknown) => unknown)(questions, answers)), 'prompts', {
  get: () => loadNow().prompt.prompts,
  enumerable: true,
}) as unknown as PromptFn;

/** The stand-in for inquirer's default export (the members node-plop and plopfiles use). */
const lazyInquirer = {
  prompt,
  registerPrompt(name: string, promptType: unknown): void {
    registered.push([name, promptType]);
    real?.registerPrompt(name, promptType as never);
  },
  restoreDefaultPrompts(): void {
    registered.length = 0;
    real?.restoreDefaultPrompts();
  },
  createPromptModule(opt?: unknown) {
    return (questions: unknown, answers?: unknown) => load().then((i) => (i.createPromptModule(opt as never) as (q: unknown, a?: unknown) => unknown)(questions, answers));
  },
  get ui() {
    return loadNow().ui;
  },
  get Separator() {
    return loadNow().Separator;
  },
};

export default lazyInquirer;
