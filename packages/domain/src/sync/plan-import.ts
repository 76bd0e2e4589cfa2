import * as z from 'zod/mini';
import type { Environment, EnvironmentDefinition } from '../environments/environment-schemas.js';
import type { FileEntry, FileProblem } from './environments-file.js';
import { changedFields } from './plan-sync.js';

/**
 * Importing a declarative file into the hand-made environments (the Environments tab's Import):
 * unlike a sync, which makes the file-managed environments exactly the file's entries, an import
 * only adds and changes. Nothing absent from the file is deleted, and nothing the environments
 * file owns is touched: such an entry is a problem, and a plan with problems is not applied.
 */
export type ImportAction =
  /** `guid` is the file's, when it gives one (an export of another server keeps its GUIDs). */
  | { readonly kind: 'create'; readonly entry: number; readonly guid: string | null; readonly definition: EnvironmentDefinition }
  | { readonly kind: 'update'; readonly entry: number; readonly guid: string; readonly name: string; readonly changes: Partial<EnvironmentDefinition> };

export interface ImportPlan {
  readonly actions: readonly ImportAction[];
  /** Entries that describe a hand-made environment exactly. */
  readonly unchanged: number;
  readonly problems: readonly FileProblem[];
}

/**
 * Matches each entry to a current environment by GUID when it gives one, else by image name (one
 * environment of that image; several need the entry to name a GUID), and plans its creation or
 * the fields that change.
 */
export function planImport(entries: readonly FileEntry[], current: readonly Environment[]): ImportPlan {
  const byGuid = new Map(current.map((environment) => [environment.guid, environment]));
  const byName = new Map<string, Environment[]>();
  for (const environment of current) {
    const named = byName.get(environment.name);
    if (named) named.push(environment);
    else byName.set(environment.name, [environment]);
  }
  const actions: ImportAction[] = [];
  const problems: FileProblem[] = [];
  const claimedBy = new Map<string, number>();
  const createdNames = new Map<string, number>();
  let unchanged = 0;

  entries.forEach((entry, index) => {
    const { definition } = entry;
    const problem = (field: string | null, message: string) => problems.push({ entry: index, name: definition.name, field, message });
    let target: Environment | undefined;
    if (entry.guid) {
      target = byGuid.get(entry.guid);
      if (target && target.name !== definition.name) {
        problem('name', `the environment ${entry.guid} runs ${target.name}; an environment's image cannot change`);
        return;
      }
    } else {
      const named = byName.get(definition.name) ?? [];
      if (named.length > 1) {
        problem('guid', `${named.length} environments use this image; give the entry the guid of the one to change`);
        return;
      }
      target = named[0];
    }
    if (!target) {
      const key = entry.guid ?? `name:${definition.name}`;
      const earlier = createdNames.get(key);
      if (earlier !== undefined && !entry.guid) {
        problem('name', `entry ${earlier + 1} creates this image too; entries that share a name each need a guid`);
        return;
      }
      if (earlier !== undefined) {
        problem('guid', `${entry.guid} is also the GUID of entry ${earlier + 1}`);
        return;
      }
      createdNames.set(key, index);
      actions.push({ kind: 'create', entry: index, guid: entry.guid, definition });
      return;
    }
    if (target.managed_by !== null) {
      problem(null, `${target.name} (${target.guid}) is managed by the environments file; change it there`);
      return;
    }
    const earlier = claimedBy.get(target.guid);
    if (earlier !== undefined) {
      problem(entry.guid ? 'guid' : 'name', `entry ${earlier + 1} changes the same environment`);
      return;
    }
    claimedBy.set(target.guid, index);
    const changes = changedFields(target, definition);
    if (Object.keys(changes).length === 0) unchanged++;
    else actions.push({ kind: 'update', entry: index, guid: target.guid, name: target.name, changes });
  });
  return { actions, unchanged, problems };
}

/** The body of the import routes: the file's text, as uploaded. */
export const ImportDocumentInputSchema = z.object({ document: z.string() });

/** The body of the export route: which environments (all when absent). */
export const ExportEnvironmentsInputSchema = z.object({
  guids: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(100_000))),
});

/** What the Import dialog shows of a plan: one line per change, problems counted from one. */
export const ImportPlanSummarySchema = z.object({
  entries: z.number(),
  creates: z.array(z.object({ entry: z.number(), name: z.string(), title: z.nullable(z.string()) })),
  updates: z.array(z.object({ entry: z.number(), guid: z.string(), name: z.string(), fields: z.array(z.string()) })),
  unchanged: z.number(),
  problems: z.array(z.string()),
});
export type ImportPlanSummary = z.infer<typeof ImportPlanSummarySchema>;
