/**
 * Messages between the codegen pool (main thread) and its workers. Kept small on purpose: one job
 * is the generator's module address and the input, nothing else, so the structured clone per job
 * costs about as much as the schema itself.
 */
import type { CodegenInput, GeneratedFile } from '../../plugins/api.js';

/** Main → worker: run one generate function. */
export interface JobRequest {
  /** Job number, echoed back so a late reply can never be taken for another job's. */
  id: number;
  /** File URL or absolute path of the module exporting the function. */
  module: string;
  /** Name of the export; the worker uses `generate` when absent. */
  exportName?: string;
  /**
   * The {@link CodegenInput} as JSON. A string, not the object: one flat copy instead of a structured
   * clone walking every node (faster for schemas), and a model nested too deep for the stack fails
   * here, in `JSON.stringify`, instead of crashing the clone inside `postMessage`.
   */
  input: string;
  /**
   * A warm-up job instead: import these modules and call their optional `warm()` export (which loads the
   * heavy library the generator uses), so the first real job does not pay for it. `input` is empty then.
   */
  warm?: string[];
}

/**
 * Why a job failed inside the worker: the module or export could not be loaded (`load`), the
 * function threw (`error`), it overflowed the stack (`stack`) or returned something that is not a
 * list of files (`output`).
 */
export type FailureKind = 'load' | 'error' | 'stack' | 'output';

/** Worker → main: the outcome of one job. */
export type JobReply =
  | { id: number; ok: true; files: GeneratedFile[] }
  | {
      id: number;
      ok: false;
      kind: FailureKind;
      message: string;
      hint?: string;
      /** What the job printed (console, stdout, stderr) as one line of at most 300 characters, if anything. */
      output?: string;
    };
