import * as z from 'zod/mini';
import {
  CreateEnvironmentInputSchema,
  type Environment,
  type EnvironmentDefinition,
  definitionFrom,
} from '../environments/environment-schemas.js';
import { type Result, err, ok } from '../errors.js';
import { formatPath, issueMessage, safeParseHostile } from '../validation.js';

/** One problem in the declarative file: which entry (0-based), which field, and why. */
export interface FileProblem {
  readonly entry: number | null;
  /** The entry's image name when it has one: what a person finds the entry by in the file. */
  readonly name?: string | null;
  readonly field: string | null;
  readonly message: string;
}

/**
 * An entry as people name it: counted from one, as they count the items of a list (issue 14); the
 * `entry` of a problem or plan action stays the index.
 */
export const entryLabel = (index: number): string => `entry ${index + 1}`;

export function describeProblem(problem: FileProblem): string {
  const where = [problem.entry === null ? null : entryLabel(problem.entry), problem.field].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** The longest image name a problem repeats: the file is hostile input, its names can be any size. */
const MAX_NAME_SHOWN = 200;

/**
 * A problem as people count: the first entry is entry 1, named by its image when it has one
 * ("Entry 2 (ghcr.io/org/py:3.12), matching: must be one of any, exact, none").
 */
export function describeProblemForPeople(problem: FileProblem): string {
  const entry = problem.entry === null ? null : `Entry ${problem.entry + 1}${problem.name ? ` (${problem.name})` : ''}`;
  const where = [entry, problem.field].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** The image name an entry gives, if it gives a text one. */
function nameOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('name' in raw)) return null;
  const { name } = raw as { name: unknown };
  if (typeof name !== 'string' || name.trim() === '') return null;
  return name.length > MAX_NAME_SHOWN ? `${name.slice(0, MAX_NAME_SHOWN)}…` : name;
}

/** A definition from the file, and the GUID it pins when it gives one. */
export interface FileEntry {
  readonly guid: string | null;
  readonly definition: EnvironmentDefinition;
}

/** RFC 4122 version 4, as the seed requires of GUIDs in the file. */
const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Fields `GET /v1/environments` answers that a file may carry (a saved response) but never sets. */
const READ_ONLY_FIELDS = ['id', 'created_time', 'updated_time', 'managed_by', 'environment_type'] as const;

const ACCESS_CONTROL_FIELDS = ['permissions', 'access_control', 'acl'] as const;

const EntrySchema = z.strictObject({
  ...CreateEnvironmentInputSchema.shape,
  guid: z.optional(
    z.pipe(
      z.string().check(z.regex(V4_UUID, 'must be an RFC 4122 version 4 UUID (generate one with uuidgen)')),
      z.transform((guid) => guid.toLowerCase()),
    ),
  ),
  ...Object.fromEntries(READ_ONLY_FIELDS.map((field) => [field, z.optional(z.unknown())])),
  ...Object.fromEntries(
    ACCESS_CONTROL_FIELDS.map((field) => [
      field,
      z.optional(
        z.unknown().check(
          z.refine((value) => value === undefined, {
            message: 'access control is not supported in the file; manage permissions through the API or the Environments tab',
          }),
        ),
      ),
    ]),
  ),
});

/**
 * The three shapes the seed accepts: a list, Helm values (`executionEnvironments`), or a saved API
 * response. Exported for callers that validate the listed entries a slice at a time.
 */
export function listedEntries(document: unknown): Result<unknown[], FileProblem[]> {
  if (document === null || document === undefined) return ok([]);
  if (Array.isArray(document)) return ok(document);
  if (typeof document === 'object' && 'executionEnvironments' in document) {
    const list = (document as { executionEnvironments: unknown }).executionEnvironments;
    if (list === null || list === undefined) return ok([]);
    if (Array.isArray(list)) return ok(list);
    return err([{ entry: null, field: 'executionEnvironments', message: 'must be a list of environments' }]);
  }
  if (typeof document === 'object' && 'images' in document) {
    return err([
      {
        entry: null,
        field: 'images',
        message:
          'this is the deprecated Launcher.ClusterDefinitions shape; convert it with `envdesk environments convert-legacy FILE`',
      },
    ]);
  }
  return err([
    { entry: null, field: null, message: 'expected a list of environments, or an object with an executionEnvironments list' },
  ]);
}

/** How many of one entry's problems are listed one by one; the rest are counted. */
export const MAX_PROBLEMS_PER_ENTRY = 50;

/** Validates one entry of the file (`index` is only for the problems' messages). */
export function readFileEntry(raw: unknown, index: number): Result<FileEntry, FileProblem[]> {
  const parsed = safeParseHostile(EntrySchema, raw);
  if (parsed.success) return ok({ guid: parsed.data.guid ?? null, definition: definitionFrom(parsed.data) });
  const problems: FileProblem[] = [];
  const name = nameOf(raw);
  for (const issue of parsed.error.issues) {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (unknownKeys.length > 0) {
      for (const key of unknownKeys) problems.push({ entry: index, name, field: key, message: 'is not an environment field' });
    } else {
      problems.push({ entry: index, name, field: formatPath(issue.path) || null, message: issueMessage(issue, raw) });
    }
  }
  if (problems.length <= MAX_PROBLEMS_PER_ENTRY) return err(problems);
  // An entry can be wrong in as many ways as it has items (a list of 200,000 bad volume mounts); past
  // a screenful nobody reads on, and the callers gather every entry's problems into one list.
  const more = problems.length - MAX_PROBLEMS_PER_ENTRY;
  return err([
    ...problems.slice(0, MAX_PROBLEMS_PER_ENTRY),
    { entry: index, name, field: null, message: `has ${more.toLocaleString('en')} more problem${more === 1 ? '' : 's'} not listed` },
  ]);
}

/**
 * Validates a parsed YAML/JSON document; returns every problem found, not just the first.
 * `readEntry` lets a caller that re-reads the same file memoise unchanged entries.
 */
export function readEnvironmentsFile(
  document: unknown,
  readEntry: (raw: unknown, index: number) => Result<FileEntry, FileProblem[]> = readFileEntry,
): Result<FileEntry[], FileProblem[]> {
  const listed = listedEntries(document);
  if (!listed.ok) return listed;
  const problems: FileProblem[] = [];
  const entries: FileEntry[] = [];
  listed.value.forEach((raw, index) => {
    const read = readEntry(raw, index);
    if (read.ok) entries.push(read.value);
    else problems.push(...read.error);
  });
  return problems.length > 0 ? err(problems) : ok(entries);
}

/** The current environments in the file format: the starting point for adopting declarative management. */
export function toFileEntries(environments: readonly Environment[]): Array<Record<string, unknown>> {
  return environments.map((environment) => {
    const { guid, name, title, description, matching, supervisor, python, r, quarto, tensorflow, nodejs, volume_mounts } =
      environment;
    const entry: Record<string, unknown> = { guid, name, title, description, matching, supervisor };
    for (const [language, installations] of Object.entries({ python, r, quarto, tensorflow, nodejs })) {
      if (installations.installations.length > 0) entry[language] = installations;
    }
    if (volume_mounts.length > 0) entry.volume_mounts = volume_mounts;
    for (const key of Object.keys(entry)) if (entry[key] === null) delete entry[key];
    return entry;
  });
}
