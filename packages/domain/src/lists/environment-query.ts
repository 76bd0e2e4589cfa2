import type { Matching } from '../environments/environment-schemas.js';
import { type SpecifierSet, parseSpecifierSet } from '../versions/version-constraints.js';

/**
 * The Environments tab's search box, read as terms (`?q=` keeps the text as typed): free words
 * match titles, images, GUIDs and versions as before, and `key:value` terms filter:
 * - `python:3.11`, `r:4`, `quarto:1.5` — an installation whose version starts with it;
 * - `r:>=4.3`, `python:~=3.10,<3.13` — an installation satisfying a PEP 440 constraint;
 * - `has:python` / `no:python` — some / no installation of the language;
 * - `image:ghcr.io/org` — the image name contains it;
 * - `managed:file` / `managed:hand`, `matching:any|exact|none` — several of one key mean "either".
 * A value may be quoted (`image:"a b"`). A key this grammar does not know is a free word, because
 * image names are full of colons (`runtime:r4.4`). A known key with a value it cannot read is left
 * out of the filter and explained in `hints`, so a half-typed term never empties the list.
 */
export const QUERY_LANGUAGES = ['python', 'r', 'quarto'] as const;
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];
export const MANAGED_FILTERS = ['file', 'hand'] as const;
export type ManagedFilter = (typeof MANAGED_FILTERS)[number];
const MATCHINGS: readonly Matching[] = ['any', 'exact', 'none'];

export interface VersionFilter {
  readonly language: QueryLanguage;
  /** `3.11` — some installation's version is `3.11` or starts with `3.11.`/`3.11` as typed. */
  readonly prefix: string | null;
  /** `>=4.3` — some installation satisfies it. */
  readonly constraint: SpecifierSet | null;
}

export interface EnvironmentQuery {
  /** Lower-cased free words; every one must match. */
  readonly words: readonly string[];
  readonly versions: readonly VersionFilter[];
  /** Languages with at least one installation (`has:`) and with none (`no:`). */
  readonly has: readonly QueryLanguage[];
  readonly lacks: readonly QueryLanguage[];
  /** Lower-cased; every one must be contained in the image name. */
  readonly images: readonly string[];
  /** Empty: any. Otherwise the environment's value must be one of these. */
  readonly matching: readonly Matching[];
  readonly managed: readonly ManagedFilter[];
  /** Why a term was left out, one sentence each. */
  readonly hints: readonly string[];
}

/** Past this, the rest of the box is ignored (and said so): a pasted novel must not stall typing. */
export const MAX_QUERY_LENGTH = 1000;
export const MAX_QUERY_TERMS = 32;

export interface QueryToken {
  /** The token as typed, quotes included. */
  readonly raw: string;
  /** Lower-cased key before the first colon, or null for a plain word. */
  readonly key: string | null;
  /** The value with quotes removed (the whole token for a plain word). */
  readonly value: string;
  /** A quote was opened and never closed. */
  readonly unclosed: boolean;
}

const KEY_PATTERN = /^([a-z]+):/i;

/** Splits on whitespace outside double quotes. An unclosed quote runs to the end of the text. */
export function tokenizeQuery(text: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let index = 0;
  const length = text.length;
  while (index < length) {
    while (index < length && /\s/.test(text[index]!)) index++;
    if (index >= length) break;
    const start = index;
    let inQuote = false;
    let value = '';
    while (index < length && (inQuote || !/\s/.test(text[index]!))) {
      const char = text[index]!;
      if (char === '"') inQuote = !inQuote;
      else value += char;
      index++;
    }
    const raw = text.slice(start, index);
    const key = KEY_PATTERN.exec(value);
    tokens.push(
      key
        ? { raw, key: key[1]!.toLowerCase(), value: value.slice(key[0].length), unclosed: inQuote }
        : { raw, key: null, value, unclosed: inQuote },
    );
  }
  return tokens;
}

const isLanguage = (key: string): key is QueryLanguage => (QUERY_LANGUAGES as readonly string[]).includes(key);
const VERSION_PREFIX = /^\d+(\.\d+)*\.?$/;
const KNOWN_KEYS = new Set<string>([...QUERY_LANGUAGES, 'has', 'no', 'image', 'managed', 'matching']);

/** Reads the search box. Never throws; anything it cannot use is a free word or a hint. */
export function parseEnvironmentQuery(text: string): EnvironmentQuery {
  const words: string[] = [];
  const versions: VersionFilter[] = [];
  const has: QueryLanguage[] = [];
  const lacks: QueryLanguage[] = [];
  const images: string[] = [];
  const matching: Matching[] = [];
  const managed: ManagedFilter[] = [];
  const hints: string[] = [];

  let tokens = tokenizeQuery(text.length > MAX_QUERY_LENGTH ? text.slice(0, MAX_QUERY_LENGTH) : text);
  if (text.length > MAX_QUERY_LENGTH || tokens.length > MAX_QUERY_TERMS) {
    hints.push(`Only the first ${tokens.length > MAX_QUERY_TERMS ? `${MAX_QUERY_TERMS} terms` : `${MAX_QUERY_LENGTH} characters`} are searched.`);
    tokens = tokens.slice(0, MAX_QUERY_TERMS);
  }

  for (const token of tokens) {
    if (token.unclosed) hints.push(`${token.raw}: the quote is not closed; searching as if it were.`);
    const key = token.key;
    if (key === null || !KNOWN_KEYS.has(key)) {
      const word = (key === null ? token.value : token.raw.replaceAll('"', '')).toLowerCase();
      if (word) words.push(word);
      continue;
    }
    const value = token.value.trim();
    // `python:` while typing: wait for the value rather than complain.
    if (value === '') continue;
    const lower = value.toLowerCase();
    if (isLanguage(key)) {
      if (/^[<>=!~]/.test(value)) {
        const parsed = parseSpecifierSet(value);
        if (parsed.ok) versions.push({ language: key, prefix: null, constraint: parsed.value });
        else hints.push(`${key}:${value} — ${parsed.error}.`);
      } else if (VERSION_PREFIX.test(value)) {
        versions.push({ language: key, prefix: value, constraint: null });
      } else {
        hints.push(`${key}:${value} — write a version (${key}:${exampleVersion(key)}) or a constraint (${key}:>=${exampleVersion(key)}).`);
      }
    } else if (key === 'has' || key === 'no') {
      if (isLanguage(lower)) (key === 'has' ? has : lacks).push(lower);
      else hints.push(`${key}:${value} — the language is one of ${QUERY_LANGUAGES.join(', ')}.`);
    } else if (key === 'image') {
      images.push(lower);
    } else if (key === 'managed') {
      if ((MANAGED_FILTERS as readonly string[]).includes(lower)) managed.push(lower as ManagedFilter);
      else hints.push(`managed:${value} — write managed:file or managed:hand.`);
    } else {
      if ((MATCHINGS as readonly string[]).includes(lower)) matching.push(lower as Matching);
      else hints.push(`matching:${value} — write matching:any, matching:exact or matching:none.`);
    }
  }
  return { words, versions, has, lacks, images, matching, managed, hints };
}

const exampleVersion = (language: QueryLanguage): string => ({ python: '3.11', r: '4.3', quarto: '1.5' })[language];

/** Nothing filters: every environment is shown. */
export const isEmptyQuery = (query: EnvironmentQuery): boolean =>
  query.words.length === 0 &&
  query.versions.length === 0 &&
  query.has.length === 0 &&
  query.lacks.length === 0 &&
  query.images.length === 0 &&
  query.matching.length === 0 &&
  query.managed.length === 0;

/** Keys where one value excludes the others, so a chip replaces its siblings. */
const EXCLUSIVE_KEYS = new Set(['matching', 'managed']);

/**
 * The search text with the chip `key:value` switched: removed if present, otherwise added at the
 * end (replacing another value of `matching`/`managed`, which a chip group offers one of).
 * Everything else typed stays as it was.
 */
export function toggleQueryTerm(text: string, key: string, value: string): string {
  const tokens = tokenizeQuery(text);
  const wanted = value.toLowerCase();
  const isWanted = (token: QueryToken) => token.key === key && token.value.toLowerCase() === wanted;
  if (tokens.some(isWanted)) return tokens.filter((token) => !isWanted(token)).map((token) => token.raw).join(' ');
  const kept = EXCLUSIVE_KEYS.has(key) ? tokens.filter((token) => token.key !== key) : tokens;
  return [...kept.map((token) => token.raw), `${key}:${value}`].join(' ');
}
