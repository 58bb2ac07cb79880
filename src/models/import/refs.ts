import { joinPointer } from '../../core/pointer.js';
import { isObjectSchema, isSchema, keywordKind } from '../keywords.js';
import { REF_KEYWORDS } from '../normalize.js';
import { applyId, type SchemaIndex } from '../schema-index.js';
import type { ModelRecord } from '../types.js';

/** A reference written in a model: the pointer of its keyword (`/properties/a/$ref`), its text, its base URI. */
export interface RefSite {
  pointer: string;
  ref: string;
  /** The base URI in effect where it is written (the enclosing `$id`s applied to the document's file URL). */
  base: string;
}

/**
 * Every reference (`$ref`, `$dynamicRef`, `$recursiveRef`) in a model, in document order, wherever it is written
 * (also inside definitions nothing references). Recurses once per nesting level (the registry bounds nesting).
 */
export function refSites(record: ModelRecord, index: SchemaIndex): RefSite[] {
  const sites: RefSite[] = [];
  const walk = (schema: unknown, pointer: string, outer: string): void => {
    if (!isObjectSchema(schema)) return;
    const base = applyId(schema, record, outer);
    for (const keyword in schema) {
      const value = schema[keyword];
      if (REF_KEYWORDS.has(keyword) && typeof value === 'string') {
        sites.push({ pointer: joinPointer(pointer, keyword), ref: value, base });
        continue;
      }
      const kind = keywordKind(keyword, value);
      const here = joinPointer(pointer, keyword);
      if (kind === 'single') walk(value, here, base);
      else if (kind === 'array') (value as unknown[]).forEach((v, i) => isSchema(v) && walk(v, `${here}/${i}`, base));
      else if (kind === 'map') for (const name in value as Record<string, unknown>) walk((value as Record<string, unknown>)[name], joinPointer(here, name), base);
    }
  };
  walk(record.schema, '', index.fileUri(record));
  return sites;
}
