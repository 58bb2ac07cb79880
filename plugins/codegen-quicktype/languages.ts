/**
 * Target languages the `quicktype` generator offers: quicktype-core's language names (its
 * `LanguageName`), the eight the project promises plus a few more that need no extra handling.
 * Every one is covered by a determinism test.
 */
export const QUICKTYPE_LANGUAGES = [
  'typescript',
  'python',
  'go',
  'rust',
  'java',
  'csharp',
  'kotlin',
  'swift',
  'dart',
  'ruby',
  'cpp',
  'scala3',
  'javascript',
  'typescript-zod',
] as const;

/** One of {@link QUICKTYPE_LANGUAGES}. */
export type QuicktypeLanguage = (typeof QUICKTYPE_LANGUAGES)[number];
