import type { EnvironmentQuery, QueryLanguage } from '@envdesk/domain';
import { type ReactNode, createContext, useContext } from 'react';
import { versionMatches } from './environment-search';

/**
 * What the table's search box asks for, so title, image and version cells can mark what matched.
 * A context rather than a column option: the columns stay the same objects while someone types, and
 * only the visible cells read it. Tables without a provider (the picker) show plain text.
 */
export const SearchHighlightContext = createContext<EnvironmentQuery | null>(null);

export type HighlightField = 'title' | 'image' | QueryLanguage;

type Range = readonly [number, number];

/** Where any of `needles` occurs in `text` (case-insensitive), overlapping ranges merged, in order. */
export function matchRanges(text: string, needles: readonly string[]): Range[] {
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const needle of needles) {
    if (!needle) continue;
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) ranges.push([at, at + needle.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** The ranges of a "3.11.9, 3.12.4" cell that the query matched: whole versions for typed filters, the typed start for free words. */
export function versionRanges(text: string, language: QueryLanguage, query: EnvironmentQuery): Range[] {
  const ranges: Range[] = [];
  let offset = 0;
  for (const version of text.split(', ')) {
    const lower = version.toLowerCase();
    const filtered = query.versions.some((filter) => filter.language === language && versionMatches(version, filter));
    if (filtered) ranges.push([offset, offset + version.length]);
    else {
      const word = query.words.filter((candidate) => lower.startsWith(candidate)).sort((a, b) => b.length - a.length)[0];
      if (word) ranges.push([offset, offset + word.length]);
    }
    offset += version.length + 2;
  }
  return ranges;
}

function rangesFor(text: string, field: HighlightField, query: EnvironmentQuery): Range[] {
  if (field === 'title') return matchRanges(text, query.words);
  if (field === 'image') return matchRanges(text, [...query.words, ...query.images]);
  return versionRanges(text, field, query);
}

/** Text with what the search matched wrapped in <mark>. */
export function Highlighted({ text, field }: { text: string; field: HighlightField }): ReactNode {
  const query = useContext(SearchHighlightContext);
  if (!query || !text) return text;
  const ranges = rangesFor(text, field, query);
  if (ranges.length === 0) return text;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
