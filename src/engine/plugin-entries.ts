import { isMap, parseDocument } from 'yaml';
import type { Tree } from './tree.js';
import { CONFIG_FILE } from '../core/layout.js';
import type { PluginEntry } from '../plugins/install.js';

/**
 * Changes `plugins.<name>` in metarepo.yaml through the tree (so it commits with the rest of the change),
 * keeping comments and layout (yaml Document API). `update` receives the current entry (or `undefined`) and
 * returns the new one; `undefined` (or an empty entry) removes it, and an empty `plugins` map goes too.
 */
export function updatePluginEntry(tree: Tree, name: string, update: (entry: PluginEntry | undefined) => PluginEntry | undefined): void {
  const doc = parseDocument(tree.read(CONFIG_FILE) ?? '');
  const current = doc.getIn(['plugins', name]);
  const next = update(isMap(current) ? (current.toJSON() as PluginEntry) : undefined);
  if (next === undefined || Object.keys(next).length === 0) {
    doc.deleteIn(['plugins', name]);
    const plugins = doc.get('plugins');
    if (isMap(plugins) && plugins.items.length === 0) doc.delete('plugins');
  } else {
    if (!isMap(doc.get('plugins'))) doc.set('plugins', doc.createNode({}));
    doc.setIn(['plugins', name], doc.createNode(next));
  }
  tree.write(CONFIG_FILE, doc.toString(), { overwrite: true, origin: 'plugin' });
}
