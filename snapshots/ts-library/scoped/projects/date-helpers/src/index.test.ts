import { describe, expect, it } from 'vitest';
import { dateHelpers } from './index.js';

describe('dateHelpers', () => {
  it('greets by name', () => {
    expect(dateHelpers('world')).toBe('Hello world, from @acme/date-helpers.');
  });
});
