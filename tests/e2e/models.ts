// Small model schemas the e2e tests share.

/** A draft-07 `User` model: required `id`, optional `name` with the given description, plus `extra` properties. */
export function userSchema(nameDescription: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'User',
    description: 'A user.',
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string' }, name: { type: 'string', description: nameDescription }, ...extra },
  };
}
