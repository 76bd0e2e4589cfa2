import type { Environment } from '@envdesk/domain';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { displayTitle } from '../../../components/environment-columns';

/**
 * Environments picked by hand for an export: a checkbox per row and one for every row the search
 * shows. The picks outlive the search, so several searches can gather one export; an environment
 * deleted meanwhile (here or elsewhere) drops out of them.
 */
export interface RowSelection {
  /** Picked environments that still exist, by GUID. */
  readonly selected: ReadonlySet<string>;
  toggle(guid: string): void;
  /** Picks every row shown, or, when all of them already are, lets them go. */
  toggleShown(): void;
  clear(): void;
  /** Whether none, some or all of the rows shown are picked. */
  readonly shownState: 'none' | 'some' | 'all';
}

const RowSelectionContext = createContext<RowSelection | null>(null);
export const RowSelectionProvider = RowSelectionContext.Provider;

const NOTHING: ReadonlySet<string> = new Set();

/** Selection state over `data` (every environment loaded), for the `rows` the search shows. */
export function useRowSelection(data: readonly Environment[], rows: readonly Environment[]): RowSelection {
  const [picked, setPicked] = useState<ReadonlySet<string>>(NOTHING);
  // Worked out only while something is picked: the list's first paint and keystrokes pay nothing.
  const selected = useMemo(() => {
    if (picked.size === 0) return NOTHING;
    const kept = new Set<string>();
    for (const environment of data) if (picked.has(environment.guid)) kept.add(environment.guid);
    return kept.size === picked.size ? picked : kept;
  }, [picked, data]);
  // Nothing picked is the usual case: a keystroke then pays no scan of the rows shown.
  const shownState = useMemo(() => {
    if (selected.size === 0) return 'none';
    let count = 0;
    for (const environment of rows) if (selected.has(environment.guid)) count += 1;
    return count === 0 ? 'none' : count === rows.length ? 'all' : 'some';
  }, [selected, rows]);
  const toggle = useCallback((guid: string) => {
    setPicked((current) => {
      const next = new Set(current);
      if (!next.delete(guid)) next.add(guid);
      return next;
    });
  }, []);
  const toggleShown = useCallback(() => {
    setPicked((current) => {
      const next = new Set(current);
      if (shownState === 'all') for (const environment of rows) next.delete(environment.guid);
      else for (const environment of rows) next.add(environment.guid);
      return next;
    });
  }, [rows, shownState]);
  const clear = useCallback(() => setPicked(NOTHING), []);
  return useMemo(() => ({ selected, toggle, toggleShown, clear, shownState }), [selected, toggle, toggleShown, clear, shownState]);
}

function useSelection(): RowSelection {
  const selection = useContext(RowSelectionContext);
  if (!selection) throw new Error('a selection column outside RowSelectionProvider');
  return selection;
}

/** The box in the Title column's header: picks every row shown, or lets them go. */
export function SelectShown() {
  const { shownState, toggleShown } = useSelection();
  const box = useRef<HTMLInputElement>(null);
  // "Some of them" has no attribute: only the property shows it (and screen readers say "mixed").
  useEffect(() => {
    if (box.current) box.current.indeterminate = shownState === 'some';
  }, [shownState]);
  return <input ref={box} type="checkbox" className="row-select" aria-label="Select every environment shown" checked={shownState === 'all'} onChange={toggleShown} />;
}

/** A row's box, beside its title. */
export function SelectRow({ environment }: { environment: Environment }) {
  const { selected, toggle } = useSelection();
  return (
    <input
      type="checkbox"
      className="row-select"
      aria-label={`Select ${displayTitle(environment)}`}
      checked={selected.has(environment.guid)}
      onChange={() => toggle(environment.guid)}
    />
  );
}
