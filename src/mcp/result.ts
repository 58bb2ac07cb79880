import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MetarepoError, formatLocation } from '../core/errors.js';

/**
 * A tool's successful answer: the structured content (checked by the SDK against the tool's output schema) and a
 * short text summary for clients that show text only.
 */
export function toolResult(structured: Record<string, unknown>, summary: string): CallToolResult {
  return { structuredContent: structured, content: [{ type: 'text', text: summary }] };
}

/**
 * A failure as an MCP tool error (`isError: true`), never a protocol error or a crashed server: a
 * {@link MetarepoError} says its message, location (file:line:column), details and hint, as the CLI prints them;
 * anything else is an internal error with its message (no stack: the server's stderr gets it with --verbose).
 */
export function toolError(e: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: describeError(e) }] };
}

/** The text of {@link toolError}. */
export function describeError(e: unknown): string {
  if (!(e instanceof MetarepoError)) return `internal error: ${e instanceof Error ? e.message : String(e)}`;
  const where = e.location ? `${formatLocation(e.location)}: ` : '';
  return [`${where}${e.message}`, ...e.details.slice(0, 20).map((d) => `  ${d}`), ...(e.hint ? [`hint: ${e.hint}`] : [])].join('\n');
}
