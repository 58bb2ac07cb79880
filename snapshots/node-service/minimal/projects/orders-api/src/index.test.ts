import { describe, expect, it } from 'vitest';
import { ordersApi } from './index.js';

describe('ordersApi', () => {
  it('greets by name', () => {
    expect(ordersApi('world')).toBe('Hello world, from orders-api.');
  });
});
