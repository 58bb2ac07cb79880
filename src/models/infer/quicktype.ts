/** The first draft of an inferred schema, by quicktype-core's JSON inference (loaded lazily, only here). */
import type { Sample } from './samples.js';
import { fromDocument, type Shape } from './shape.js';

/**
 * Infers a JSON Schema from sample documents with quicktype-core (`jsonInputForTargetLanguage('schema')`): objects
 * with the properties seen, `required` where every sample of that object has the property, unions as `anyOf`,
 * nested object types as definitions named after their property. quicktype's own string inferences (dates,
 * UUIDs, integer and boolean strings, enums) are off: {@link applyRules} decides formats and enums, by rules
 * checked against every value.
 * @param title - the root type's name (quicktype's top-level name).
 * @returns the schema in the neutral {@link Shape} (root plus definitions).
 */
export async function inferWithQuicktype(title: string, samples: Sample[]): Promise<Shape> {
  const { InputData, jsonInputForTargetLanguage, quicktype } = await import('quicktype-core');
  const input = jsonInputForTargetLanguage('schema');
  await input.addSource({ name: title, samples: samples.map((s) => JSON.stringify(s.value, hideProto)) });
  const inputData = new InputData();
  inputData.addInput(input);
  const result = await quicktype({
    inputData,
    lang: 'schema',
    inferMaps: true,
    inferEnums: false,
    inferUuids: false,
    inferDateTimes: false,
    inferIntegerStrings: false,
    inferBooleanStrings: false,
    combineClasses: true,
    alphabetizeProperties: false,
  });
  return fromDocument(restoreProto(JSON.parse(result.lines.join('\n'))) as Record<string, unknown>, title);
}

/**
 * quicktype loses a property named `__proto__` (it lists it in `required` but writes no schema for it), so such keys
 * go to quicktype under a stand-in name no JSON key has (with a NUL) and come back in {@link restoreProto}.
 */
const PROTO = '__proto__';
const STAND_IN = '\u0000__proto__';

function hideProto(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, PROTO)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === PROTO ? STAND_IN : k, v]));
}

function restoreProto(node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => (n === STAND_IN ? PROTO : restoreProto(n)));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k === STAND_IN ? PROTO : k, restoreProto(v)]));
}
