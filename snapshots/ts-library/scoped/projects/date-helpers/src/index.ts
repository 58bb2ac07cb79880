/**
 * Helpers for dates and times.
 */

/** Name of this package. */
export const DATE_HELPERS_PACKAGE = '@acme/date-helpers';

/** Returns a greeting for `who` from DateHelpers. */
export function dateHelpers(who: string): string {
  return `Hello ${who}, from ${DATE_HELPERS_PACKAGE}.`;
}
