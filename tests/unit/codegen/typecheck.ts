// Type-checks in-memory TypeScript modules with the compiler API (strict mode, ES2022 lib) and
// returns the error messages per file. One program for many files: creating one costs ~1 s.
import ts from 'typescript';

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
};

/** @param files - file name (e.g. `case1/check.ts`) → source. @returns file name → error messages. */
export function typeErrors(files: Record<string, string>): Map<string, string[]> {
  const host = ts.createCompilerHost(options);
  const own = (name: string) => Object.hasOwn(files, name);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, version) =>
    own(name) ? ts.createSourceFile(name, files[name]!, version) : getSourceFile(name, version);
  host.fileExists = (name) => own(name) || fileExists(name);
  host.readFile = (name) => (own(name) ? files[name] : readFile(name));
  const program = ts.createProgram(Object.keys(files), options, host);
  const errors = new Map<string, string[]>(Object.keys(files).map((name) => [name, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file?.fileName ?? '(global)';
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    errors.set(name, [...(errors.get(name) ?? []), `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`]);
  }
  return errors;
}
