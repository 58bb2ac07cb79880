import type { Document, LineCounter, Node } from 'yaml';
import type * as Yaml from 'yaml';
import { createRequire } from 'node:module';

/** A 1-based line and column in a text file. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * Where the value at a JSON pointer (`/targets/0/model`, RFC 6901 segments already unescaped) stands in a
 * document parsed by the `yaml` package (YAML, or JSON, which is YAML 1.2). Falls back to the nearest existing
 * parent. With `key`, an object member's position is that of its key (so errors point at the keyword); else
 * that of its value. Duplicate keys: the last wins, as in `JSON.parse`. A path through an alias (`*base`) goes on
 * in the node its anchor marks, so a value reached through an alias is shown where it is written.
 * @param yaml - the `yaml` module (passed in so callers can load it lazily).
 */
export function locateSegments(
  yaml: Pick<typeof Yaml, 'isMap' | 'isSeq' | 'isScalar' | 'isAlias'>,
  doc: Document.Parsed,
  lines: LineCounter,
  segments: string[],
  key: boolean,
): TextPosition {
  let node: unknown = doc.contents;
  let offset = start(node) ?? 0;
  for (const seg of segments) {
    // An alias resolves to an earlier node, so following aliases ends (at most one hop per segment).
    if (yaml.isAlias(node)) node = node.resolve(doc) ?? node;
    if (yaml.isMap(node)) {
      const pair = [...node.items].reverse().find((p) => yaml.isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      node = pair.value;
      offset = (key ? start(pair.key) : start(pair.value) ?? start(pair.key)) ?? offset;
    } else if (yaml.isSeq(node)) {
      const item = /^(0|[1-9][0-9]*)$/.test(seg) ? node.items[Number(seg)] : undefined;
      if (item === undefined) break;
      offset = start(item) ?? offset;
      node = item;
    } else break;
  }
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function start(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

const require = createRequire(import.meta.url);

/**
 * The `yaml` package, loaded synchronously on first use: positions are needed only to report errors, and most
 * runs report none, so they never pay for loading the parser.
 */
export function loadYaml(): typeof Yaml {
  return require('yaml') as typeof Yaml;
}
