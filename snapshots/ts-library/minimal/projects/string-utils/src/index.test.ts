import { describe, expect, it } from 'vitest';
import { stringUtils } from './index.js';

describe('stringUtils', () => {
  it('greets by name', () => {
    expect(stringUtils('world')).toBe('Hello world, from string-utils.');
  });
});
