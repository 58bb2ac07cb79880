/** The shape of every chat-completions request pattern detection makes (naming in `llm.ts`, templates in `llm-template.ts`). */

/**
 * A deterministic chat-completions request (its hash is the cache key): temperature 0, a system and a user message
 * (the user message is `user` as JSON), and strict JSON-schema structured output named `name`.
 */
export function structuredRequest(model: string, system: string, user: unknown, name: string, schema: unknown): Record<string, unknown> {
  return {
    model,
    temperature: 0,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: JSON.stringify(user) },
    ],
    response_format: { type: 'json_schema', json_schema: { name, strict: true, schema } },
  };
}
