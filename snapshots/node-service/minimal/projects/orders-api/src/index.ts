/**
 * A Node.js HTTP service.
 */

/** Name of this package. */
export const ORDERS_API_PACKAGE = 'orders-api';

/** Returns a greeting for `who` from OrdersApi. */
export function ordersApi(who: string): string {
  return `Hello ${who}, from ${ORDERS_API_PACKAGE}.`;
}
