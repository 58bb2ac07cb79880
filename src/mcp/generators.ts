import type { PlopQuestion } from '../templates/scaffold/answers.js';
import { inspectGenerator, listScaffoldGenerators, templateOf, type ScaffoldGeneratorEntry } from '../templates/scaffold/run.js';
import type { Workspace } from '../workspace/workspace.js';

/** A scaffold generator as the MCP `generators_list` tool and the prompts describe it. */
export interface GeneratorInfo {
  name: string;
  description: string;
  source: 'builtin' | 'workspace';
  /** JSON Schema (draft-07) of its answers. */
  variables: Record<string, unknown>;
}

/**
 * Every scaffold generator with the JSON Schema of its answers: its template.yaml's `variables` when it has one
 * (the schema `new` validates answers against), else a schema read off its questions.
 * @throws MetarepoError as `listScaffoldGenerators` (an unloadable plopfile) and `templateOf` (a bad template.yaml).
 */
export async function generatorVariables(ws: Workspace): Promise<GeneratorInfo[]> {
  const entries = await listScaffoldGenerators(ws.root, await (await ws.plugins()).scaffolds());
  return Promise.all(entries.map(async (e) => ({ name: e.name, description: e.description, source: e.source, variables: await variablesOf(ws.root, e) })));
}

async function variablesOf(root: string, e: ScaffoldGeneratorEntry): Promise<Record<string, unknown>> {
  const template = await templateOf(root, e.generator);
  if (template) return template.variables;
  const prompts = 'prompts' in e.generator ? e.generator.prompts : (await inspectGenerator(root, e.generator)).prompts;
  // Prompts written as a function of the answers cannot be listed: any object is taken.
  return Array.isArray(prompts) ? questionsSchema(prompts as PlopQuestion[]) : { type: 'object' };
}

/**
 * A JSON Schema of inquirer-style questions: `confirm` → boolean, `number` → number, `list` → the choices' values,
 * anything else → string; the question's message as description, its default when it is a plain value.
 */
export function questionsSchema(questions: PlopQuestion[]): Record<string, unknown> {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const q of questions) {
    const p: Record<string, unknown> = q.type === 'confirm' ? { type: 'boolean' } : q.type === 'number' ? { type: 'number' } : { type: 'string' };
    if (q.type === 'list' && Array.isArray(q.choices)) p.enum = q.choices.map((c) => (c !== null && typeof c === 'object' && 'value' in c ? (c as { value: unknown }).value : c));
    if (typeof q.message === 'string') p.description = q.message;
    if (q.default !== undefined && typeof q.default !== 'function') p.default = q.default;
    properties[q.name] = p;
  }
  return { type: 'object', properties };
}
