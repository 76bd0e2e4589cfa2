import { type Environment, LANGUAGE_LABELS, type Language } from '@envdesk/domain';
import { createDataColumnHelper } from './data-table';
import { Highlighted } from '../lib/environments/search-highlight';
import { MiddleTruncate } from './middle-truncate';

/**
 * The columns every table of environments shares (the Environments tab, the content page's
 * picker). Their ids are the sort columns of lib/environments/environment-sort.ts, so the
 * tables sort the same way.
 */

export const environmentColumnHelper = createDataColumnHelper<Environment>();
const helper = environmentColumnHelper;

export const displayTitle = (environment: Pick<Environment, 'title' | 'name'>): string => environment.title ?? environment.name;

/** Every installed version of one language, in the environment's order: `3.11.9, 3.12.4`. */
export const versionsOf = (environment: Pick<Environment, Language>, language: Language): string =>
  environment[language].installations.map((installation) => installation.version).join(', ');

const MATCHING_LABELS = { any: 'Any', exact: 'Exact', none: 'None' } as const;

/**
 * Installed versions of one language, or a dash that screen readers hear as "none". Versions wrap
 * after their commas (two fit a row) rather than being cut after the first, which would read as if
 * there were only one.
 */
export function Versions({ text, language }: { text: string; language: Language }) {
  if (!text) {
    return (
      <span className="muted empty-value">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">none</span>
      </span>
    );
  }
  return (
    <span className="versions" title={text}>
      {language === 'python' || language === 'r' || language === 'quarto' ? <Highlighted text={text} field={language} /> : text}
    </span>
  );
}

export const imageColumn = () =>
  helper.accessor('name', {
    id: 'name',
    header: 'Image',
    cell: (info) => <MiddleTruncate value={info.getValue()} className="mono" renderPart={(part) => <Highlighted text={part} field="image" />} />,
    meta: { card: 'full' },
  });

export const versionColumn = (language: Language) =>
  helper.accessor((environment) => versionsOf(environment, language), {
    id: language,
    header: LANGUAGE_LABELS[language],
    cell: (info) => <Versions text={info.getValue()} language={language} />,
    meta: { width: '5.75rem' },
  });

export const matchingColumn = () =>
  helper.accessor('matching', {
    id: 'matching',
    header: 'Matching',
    cell: (info) => <span className={`pill pill-${info.getValue()}`}>{MATCHING_LABELS[info.getValue()]}</span>,
    meta: { width: '6.5rem' },
  });
