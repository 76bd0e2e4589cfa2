import {
  type FoundInstallation,
  type FoundInstallations,
  INSPECTED_LANGUAGES,
  type InspectedLanguage,
  type Installations,
  type Language,
} from '@envdesk/domain';
import { type InstallationRow, newRowKey } from './environment-form-values';

/**
 * What an inspection's findings do to the form's installation rows: the add form's checklist adds
 * the ticked ones, *Re-inspect* makes the inspected languages' rows match the image.
 */

/** One installation the image holds, with its language: a line of the checklist. */
export interface FoundEntry {
  /** Stable within one result: the checklist's ticks are kept by it. */
  readonly id: string;
  readonly language: InspectedLanguage;
  readonly installation: FoundInstallation;
}

export function foundEntries(found: FoundInstallations): FoundEntry[] {
  return INSPECTED_LANGUAGES.flatMap((language) =>
    found[language].map((installation) => ({ id: `${language}:${installation.path}`, language, installation })),
  );
}

const isInspected = (language: Language | ''): language is InspectedLanguage => (INSPECTED_LANGUAGES as readonly string[]).includes(language);

/** A row nothing was typed into: the add form starts with one, and a finding replaces it. */
export const isBlankRow = (row: InstallationRow): boolean => row.version.trim() === '' && row.path.trim() === '';

/** The row that already names this installation: the same language, and its canonical path or one of its aliases. */
function rowFor(rows: readonly InstallationRow[], entry: Pick<FoundEntry, 'language' | 'installation'>): InstallationRow | undefined {
  const paths = new Set([entry.installation.path, ...entry.installation.aliases]);
  return rows.find((row) => row.language === entry.language && paths.has(row.path.trim()));
}

export const isInForm = (rows: readonly InstallationRow[], entry: FoundEntry): boolean => rowFor(rows, entry) !== undefined;

const rowFrom = (language: InspectedLanguage, installation: FoundInstallation): InstallationRow => ({
  key: newRowKey(),
  language,
  version: installation.version ?? '',
  path: installation.path,
});

/**
 * The add form's checklist: each chosen installation becomes a row, in place of the blank rows; one
 * the form already names is not added again (a blank version there is filled in).
 */
export function addFoundInstallations(rows: readonly InstallationRow[], chosen: readonly FoundEntry[]): { rows: InstallationRow[]; applied: number } {
  let kept = rows.filter((row) => !isBlankRow(row));
  let changed = 0;
  for (const entry of chosen) {
    const existing = rowFor(kept, entry);
    if (existing === undefined) {
      kept = [...kept, rowFrom(entry.language, entry.installation)];
      changed += 1;
    } else if (existing.version.trim() === '' && entry.installation.version !== null) {
      const version = entry.installation.version;
      kept = kept.map((row) => (row === existing ? { ...row, version } : row));
      changed += 1;
    }
  }
  // Nothing to add: the form stays as it was, blank rows and all.
  return changed > 0 ? { rows: kept, applied: changed } : { rows: [...rows], applied: 0 };
}

/** The form's rows of the inspected languages, as the domain's diff reads an environment. */
export function installationsByLanguage(rows: readonly InstallationRow[]): Record<InspectedLanguage, Installations> {
  const of = (language: InspectedLanguage): Installations => ({
    installations: rows.filter((row) => row.language === language && !isBlankRow(row)).map((row) => ({ version: row.version, path: row.path.trim() })),
  });
  return { python: of('python'), quarto: of('quarto'), r: of('r') };
}

/**
 * *Re-inspect*'s "Use the image's installations": the Python, R and Quarto rows become what the
 * image holds. A row that names a found installation keeps its path (an alias such as
 * `bin/python3` is as good) and takes the image's version; rows the image does not hold go; rows
 * of languages the inspection does not look for stay as they are.
 */
export function rowsMatchingImage(rows: readonly InstallationRow[], found: FoundInstallations): InstallationRow[] {
  const others = rows.filter((row) => !isInspected(row.language) && !isBlankRow(row));
  const inspected = rows.filter((row) => isInspected(row.language) && !isBlankRow(row));
  const matching = foundEntries(found).map((entry) => {
    const existing = rowFor(inspected, entry);
    if (existing === undefined) return rowFrom(entry.language, entry.installation);
    return { ...existing, version: entry.installation.version ?? existing.version };
  });
  return [...matching, ...others];
}
