/**
 * Makes quicktype's Go compile when a top-level type is an interface: for a schema that allows any value (or a union
 * quicktype renders as `interface{}`) it declares `type X interface{}` and then `func (r *X) Marshal()`, which the Go
 * specification forbids ("the receiver base type cannot be a pointer or interface type"; `go vet`: invalid receiver
 * type). Such a method becomes the function `func MarshalX(r X) ([]byte, error)`, the twin of quicktype's own
 * `UnmarshalX`.
 */

/**
 * `source` with every method on an interface type rewritten as a function, as described above.
 * @param source - Go source as quicktype renders it.
 */
export function fixInterfaceReceivers(source: string): string {
  const interfaces = new Set([...source.matchAll(/^type (\w+) interface\{\}$/gm)].map((m) => m[1]!));
  if (interfaces.size === 0) return source;
  return source.replace(/^func \(r \*(\w+)\) (\w+)\(\) /gm, (line, type: string, method: string) =>
    interfaces.has(type) ? `func ${method}${type}(r ${type}) ` : line,
  );
}
