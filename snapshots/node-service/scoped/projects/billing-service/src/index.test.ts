import { describe, expect, it } from 'vitest';
import { billingService } from './index.js';

describe('billingService', () => {
  it('greets by name', () => {
    expect(billingService('world')).toBe('Hello world, from @acme/billing-service.');
  });
});
