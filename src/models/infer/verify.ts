/** The guard `model infer` runs before writing: the inferred schema accepts every sample it was inferred from. */
import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';
import { MetarepoError, EXIT_FAILURE } from '../../core/errors.js';
import type { Draft } from '../meta-schema.js';
import type { Sample } from './samples.js';
import type { Schema } from './shape.js';

const require = createRequire(import.meta.url);

/**
 * Validates every sample against `schema` (a document of `draft`) with ajv and ajv-formats (formats asserted, full
 * mode), all errors collected.
 * @throws MetarepoError with exit 1 naming the first sample that fails and ajv's errors for it (a bug in the
 *   inference, or a refinement that could not widen enough); nothing has been written then.
 */
export function verifySamples(schema: Schema, draft: Draft, samples: Sample[]): void {
  const ajv = instanceAjv(draft);
  const { $schema: _omit, ...body } = schema;
  const validate = ajv.compile(body);
  for (const sample of samples) {
    if (validate(sample.value)) continue;
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} (schema ${e.schemaPath})`);
    throw new MetarepoError(`The inferred schema rejects sample ${sample.file}: ${errors[0]}.`, {
      location: { file: sample.file },
      exitCode: EXIT_FAILURE,
      details: errors.slice(1),
      hint: 'Nothing was written. This is a bug in `metarepo model infer`: please report it with the samples.',
    });
  }
}

/** An ajv instance of the draft's class that asserts formats (ajv-formats, full mode). */
export function instanceAjv(draft: Draft): Ajv {
  const options: Options = { strict: false, allErrors: true, logger: false, validateSchema: false };
  let ajv: Ajv;
  if (draft === '2020-12') ajv = new (require('ajv/dist/2020') as typeof import('ajv/dist/2020.js')).Ajv2020(options);
  else if (draft === '2019-09') ajv = new (require('ajv/dist/2019') as typeof import('ajv/dist/2019.js')).Ajv2019(options);
  else if (draft === 'draft-04') ajv = new (require('ajv-draft-04') as typeof import('ajv-draft-04').default)(options);
  else ajv = new (require('ajv') as typeof import('ajv')).Ajv(options);
  (require('ajv-formats') as typeof import('ajv-formats').default)(ajv);
  return ajv;
}
