/**
 * A TypeScript library.
 */

/** Name of this package. */
export const STRING_UTILS_PACKAGE = 'string-utils';

/** Returns a greeting for `who` from StringUtils. */
export function stringUtils(who: string): string {
  return `Hello ${who}, from ${STRING_UTILS_PACKAGE}.`;
}
