import { type EnvironmentQuery, toggleQueryTerm } from '@envdesk/domain';
import './search-filters.css';

interface Chip {
  readonly key: 'has' | 'matching' | 'managed';
  readonly value: string;
  readonly label: string;
}

const LANGUAGE_CHIPS: readonly Chip[] = [
  { key: 'has', value: 'python', label: 'Python' },
  { key: 'has', value: 'r', label: 'R' },
  { key: 'has', value: 'quarto', label: 'Quarto' },
];
const MATCHING_CHIPS: readonly Chip[] = [
  { key: 'matching', value: 'any', label: 'Any' },
  { key: 'matching', value: 'exact', label: 'Exact' },
  { key: 'matching', value: 'none', label: 'None' },
];
const MANAGED_CHIPS: readonly Chip[] = [
  { key: 'managed', value: 'file', label: 'From the file' },
  { key: 'managed', value: 'hand', label: 'Hand-made' },
];

function isOn(query: EnvironmentQuery, chip: Chip): boolean {
  if (chip.key === 'has') return (query.has as readonly string[]).includes(chip.value);
  if (chip.key === 'matching') return (query.matching as readonly string[]).includes(chip.value);
  return (query.managed as readonly string[]).includes(chip.value);
}

export interface SearchFiltersProps {
  /** The search box's text; chips add and remove their terms in it. */
  readonly text: string;
  readonly query: EnvironmentQuery;
  readonly onChoose: (text: string) => void;
  /** The managed chips only where an environments file is configured, as the column. */
  readonly showManaged: boolean;
}

/**
 * Filter chips beside the search box. They are the same state as the typed terms (`has:python`,
 * `matching:exact`, `managed:file`): pressing one writes its term into the box, so what is shown is
 * always what is typed, and the address keeps both.
 */
export function SearchFilters({ text, query, onChoose, showManaged }: SearchFiltersProps) {
  const group = (label: string, chips: readonly Chip[]) => (
    <div role="group" aria-label={label} className="filter-group">
      <span className="filter-group-label" aria-hidden="true">
        {label}
      </span>
      {chips.map((chip) => (
        <button
          key={chip.value}
          type="button"
          className="filter-chip"
          aria-pressed={isOn(query, chip)}
          title={`${chip.key}:${chip.value}`}
          onClick={() => onChoose(toggleQueryTerm(text, chip.key, chip.value))}
        >
          {chip.label}
        </button>
      ))}
    </div>
  );
  return (
    <div className="search-filters">
      {group('Has', LANGUAGE_CHIPS)}
      {group('Matching', MATCHING_CHIPS)}
      {showManaged && group('Managed', MANAGED_CHIPS)}
    </div>
  );
}

/** What the box could not use, said next to it (linked by aria-describedby). */
export function SearchHints({ id, hints }: { id: string; hints: readonly string[] }) {
  if (hints.length === 0) return null;
  return (
    <ul id={id} className="search-hints">
      {hints.map((hint) => (
        <li key={hint}>{hint}</li>
      ))}
    </ul>
  );
}
