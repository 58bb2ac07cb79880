import type { z } from 'zod';
import type { WorkspaceSession } from './session.js';

/** What a running tool may do besides its work: report progress, notice a cancellation. */
export interface ToolContext {
  session: WorkspaceSession;
  /** Reports progress (a `notifications/progress` when the client asked for it with a progress token). */
  progress(done: number, total: number, message?: string): void;
  /** Aborted when the client cancels the request (`notifications/cancelled`). */
  signal: AbortSignal;
}

/** MCP tool annotations (hints to clients; see the MCP specification, "Tool annotations"). */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
}

/**
 * One tool of the server: its name, description, zod input and output shapes (the SDK turns them into the JSON
 * Schemas clients see, and checks each call's arguments and structured result against them), its annotations, and
 * what it does. `write` tools are left out in read-only mode.
 */
export interface ToolSpec<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  hints: ToolHints;
  write?: boolean;
  /**
   * Does the work. `data` must satisfy `output` (the SDK checks it at run time: engine types with more fields than
   * the schema names pass, as the schemas are open); `summary` is the short text beside it.
   */
  run(args: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<{ data: object; summary: string }>;
}

/** Builds a {@link ToolSpec} with its argument and result types inferred from its shapes. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(spec: ToolSpec<I, O>): ToolSpec {
  return spec as unknown as ToolSpec;
}

/** Annotations of a tool that only reads. */
export const READ: ToolHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
