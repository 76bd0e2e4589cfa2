import { type Language, LANGUAGES } from './environment-schemas.js';
import { parseLanguageVersion } from '../versions/version-constraints.js';

/** A version each language really has, the shape a form asks for ("must be a version like 4.4.1"). */
export const VERSION_EXAMPLES: Record<Language, string> = {
  python: '3.11.9',
  r: '4.4.1',
  quarto: '1.5.57',
  tensorflow: '2.16.1',
  nodejs: '20.11.1',
};

/** Why `text` is not a version of `language`, in words that show a valid one; null when it is one. */
export function versionProblem(language: Language, text: string): string | null {
  if (parseLanguageVersion(text) !== null) return null;
  return text.trim() === '' ? 'is required' : `must be a version like ${VERSION_EXAMPLES[language]}`;
}

/**
 * Which languages a directory or file name stands for. R is matched on its exact names only (`R`,
 * `Rscript`, `R-4.4.2`): a bare "r" is too common a letter in paths to mean the language.
 */
const SEGMENT_RULES: readonly (readonly [Language, RegExp])[] = [
  ['python', /^(?:c?python|pypy)(?:\d+(?:\.\d+)*)?(?:[-_].*)?$/i],
  ['r', /^(?:R|Rscript|R[-_]\d.*)$/],
  ['quarto', /^quarto(?:[-_].*)?$/i],
  ['tensorflow', /^tensorflow.*$/i],
  ['nodejs', /^node(?:js)?(?:\d+)?(?:[-_].*)?$/i],
];

/** The languages an installation path names in any of its segments (`/opt/R/4.4.1/bin/R` → R), in LANGUAGES order. */
export function languagesNamedBy(path: string): Language[] {
  const segments = path.split('/').filter(Boolean);
  const named = new Set(SEGMENT_RULES.filter(([, pattern]) => segments.some((segment) => pattern.test(segment))).map(([language]) => language));
  return LANGUAGES.filter((language) => named.has(language));
}

/**
 * The language a path names when it is not `language` (a Python interpreter saved on an R row),
 * or null: a path that names none, or names this one among others, is taken at its word.
 */
export function otherLanguageNamedBy(language: Language, path: string): Language | null {
  const named = languagesNamedBy(path);
  if (named.length === 0 || named.includes(language)) return null;
  return named[0] ?? null;
}
