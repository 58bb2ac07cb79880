/**
 * Bills customers.
 */

/** Name of this package. */
export const BILLING_SERVICE_PACKAGE = '@acme/billing-service';

/** Returns a greeting for `who` from BillingService. */
export function billingService(who: string): string {
  return `Hello ${who}, from ${BILLING_SERVICE_PACKAGE}.`;
}
