/**
 * A schema from a TypeScript type (`--from src/types.ts#Order`), by ts-json-schema-generator (loaded lazily, only
 * here). Chosen over walking the types with ts-morph ourselves: it already maps what a hand-written walker would
 * have to (optional and readonly members, literal unions to `enum`, `Date` to `format: date-time`, index
 * signatures, generics, utility types, JSDoc descriptions and `@format`-style annotations) on the real TypeScript
 * checker, works offline, and is well maintained. Pinned to ~2.4: later releases require Node 22, metarepo supports
 * Node 20.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../../core/errors.js';
import { fromDocument, type Shape } from './shape.js';

/**
 * The JSON Schema of type `type` exported from `file`, with named types it uses as definitions.
 * @param cwd - what a relative `file` is resolved against; a `tsconfig.json` there is used when present.
 * @throws MetarepoError (exit 2) when the file is missing, does not type-check, or has no type of that name
 *   (the library's message says which).
 */
export async function schemaFromTypescript(cwd: string, file: string, type: string): Promise<Shape> {
  const full = path.resolve(cwd, file);
  if (!fs.existsSync(full)) throw new MetarepoError(`Cannot read ${file}.`, { location: { file }, hint: 'Pass --from <file.ts>#<Type> naming an existing TypeScript file.' });
  const { createGenerator } = (await import('ts-json-schema-generator')).default;
  const tsconfig = path.join(cwd, 'tsconfig.json');
  try {
    const generator = createGenerator({
      path: full,
      type,
      expose: 'export',
      topRef: false,
      jsDoc: 'extended',
      skipTypeCheck: false,
      additionalProperties: false,
      ...(fs.existsSync(tsconfig) ? { tsconfig } : {}),
    });
    return fromDocument(generator.createSchema(type) as Record<string, unknown>, type);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const problems = typeErrors(cwd, error);
    throw new MetarepoError(`Cannot make a schema of ${type} in ${file}: ${message}${problems.length ? `: ${problems[0].text}` : ''}`, {
      location: problems[0]?.location ?? { file },
      details: problems.slice(1).map((p) => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.text}`),
      hint: `Export a type or interface named ${type} from ${file}, and make the file type-check (\`npx tsc --noEmit ${file}\`).`,
      cause: error,
    });
  }
}

/** The shape of a TypeScript diagnostic the library attaches to its "Type check error" (as `relatedInformation`). */
interface Diagnostic {
  file?: { fileName: string; getLineAndCharacterOfPosition(pos: number): { line: number; character: number } };
  start?: number;
  messageText: string | { messageText: string };
}

/** The located type errors the library's error carries, if any (file relative to `cwd`, 1-based line and column). */
function typeErrors(cwd: string, error: unknown): Array<{ text: string; location: { file: string; line: number; column: number } }> {
  const related = (error as { diagnostic?: { relatedInformation?: Diagnostic[] } })?.diagnostic?.relatedInformation ?? [];
  return related.flatMap((d) => {
    if (!d.file || d.start === undefined) return [];
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const text = typeof d.messageText === 'string' ? d.messageText : d.messageText.messageText;
    return [{ text, location: { file: path.relative(cwd, d.file.fileName), line: line + 1, column: character + 1 } }];
  });
}
