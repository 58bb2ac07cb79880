// A model whose root allows any value: quicktype's Go declares `type X interface{}` and a method on `*X`, which Go
// forbids ("invalid receiver type X (pointer or interface type)"). 12 of the 506 corpus schemas are like that.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../plugins/codegen-quicktype/generate.js';

const hasGo = spawnSync('sh', ['-c', 'command -v go']).status === 0;

async function goFor(schema: Record<string, unknown>): Promise<string> {
  const [file] = await generate({ model: { name: 'any-value', version: '1.0.0', schema }, options: { lang: 'go', package: 'anyvalue' }, output: 'gen/any.go' });
  return file!.content;
}

describe('quicktype Go for a root that allows any value', () => {
  it('marshals through a function, not a method on the interface type', async () => {
    const go = await goFor({ description: 'Any JSON value.' });
    expect(go).toContain('type AnyValue interface{}');
    expect(go).not.toMatch(/func \(r \*AnyValue\)/);
    expect(go).toContain('func MarshalAnyValue(r AnyValue) ([]byte, error) {\n\treturn json.Marshal(r)\n}');
  });

  it('keeps the Marshal method of a struct root', async () => {
    expect(await goFor({ type: 'object', properties: { a: { type: 'string' } } })).toContain('func (r *AnyValue) Marshal() ([]byte, error) {');
  });

  it.skipIf(!hasGo)('passes go vet', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-go-any-'));
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module anyvalue\n\ngo 1.19\n');
    fs.writeFileSync(path.join(dir, 'any.go'), await goFor({ oneOf: [{ $ref: '#/definitions/a' }, { $ref: '#/definitions/b' }], definitions: { a: {}, b: { type: 'object' } } }));
    const vet = spawnSync('go', ['vet', './...'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off' } });
    expect(vet.stderr).toBe('');
    expect(vet.status).toBe(0);
  });
});
