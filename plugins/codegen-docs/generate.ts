/**
 * The `docs` codegen function: one Markdown reference page for the target's model version at `input.output`,
 * built by `modelReferencePage` of `metarepo/plugin` from the workspace's models.
 */
import { MetarepoError, modelReferencePage, type CodegenInput, type GeneratedFile } from 'metarepo/plugin';

/**
 * Generates the reference page of `input.model`. Deterministic: the page depends on the model file, the models it
 * references, and the model's earlier versions (released versions do not change).
 * @throws MetarepoError (exit 2) when `options.links` is not a string or the generator runs outside a workspace.
 */
export async function generate(input: CodegenInput): Promise<GeneratedFile[]> {
  const links = input.options.links ?? '{name}.md';
  if (typeof links !== 'string') {
    throw new MetarepoError('Option "links" of generator docs must be a string such as "{name}.md".', { hint: 'Fix options.links of this target in metarepo.yaml.' });
  }
  if (!input.root) throw new MetarepoError('Generator docs needs the workspace root; run it through `metarepo generate`.');
  const link = (name: string, version: string) => links.replaceAll('{name}', name).replaceAll('{version}', version);
  const content = await modelReferencePage(input.root, input.model.name, input.model.version, link);
  return [{ path: input.output, content }];
}
