import {
  type Actor,
  ApiError,
  type Environment,
  ErrorCode,
  type FileProblem,
  type ImportPlan,
  type ImportPlanSummary,
  authorOf,
  describeProblemForPeople,
  environmentChange,
  listedEntries,
  planImport,
  readEnvironmentsFile,
  toFileEntries,
} from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import { parseDocument, toYaml } from '../sync/environments-file-reader.js';

export interface EnvironmentsTransferDeps {
  readonly store: Pick<Store, 'environments' | 'audit' | 'transaction'>;
  readonly clock: Clock;
}

/** Problems listed one by one in a plan; past these a count says how many more. */
const MAX_PROBLEMS_LISTED = 200;

/** An import that cannot be read or planned: nothing is changed, and the problems say why. */
function refused(message: string, problems: readonly string[] = []): ApiError {
  return new ApiError(ErrorCode.BadRequest, message, { field: 'document', problems: [...problems] }, 400);
}

function problemLines(problems: readonly FileProblem[]): string[] {
  const lines = problems.slice(0, MAX_PROBLEMS_LISTED).map(describeProblemForPeople);
  const more = problems.length - lines.length;
  if (more > 0) lines.push(`and ${more.toLocaleString('en')} more problem${more === 1 ? '' : 's'}`);
  return lines;
}

/** The uploaded text as entries, or a 400 naming what is wrong with it (not YAML, a bomb, bad entries). */
function entriesOf(document: string) {
  const parsed = parseDocument(document);
  if (!parsed.ok) throw refused(`The file is ${parsed.message}`);
  const listed = listedEntries(parsed.document);
  const total = listed.ok ? listed.value.length : 0;
  const read = readEnvironmentsFile(parsed.document);
  return read.ok ? { total, entries: read.value, problems: [] } : { total, entries: [], problems: read.error };
}

function summarize(plan: ImportPlan, entries: number, current: readonly Environment[], readProblems: readonly FileProblem[]): ImportPlanSummary {
  const byGuid = new Map(current.map((environment) => [environment.guid, environment]));
  return {
    entries,
    creates: plan.actions.flatMap((action) =>
      action.kind === 'create' ? [{ entry: action.entry + 1, name: action.definition.name, title: action.definition.title }] : [],
    ),
    updates: plan.actions.flatMap((action) =>
      action.kind === 'update'
        ? [{ entry: action.entry + 1, guid: action.guid, name: byGuid.get(action.guid)?.name ?? action.name, fields: Object.keys(action.changes) }]
        : [],
    ),
    unchanged: plan.unchanged,
    problems: problemLines([...readProblems, ...plan.problems]),
  };
}

/**
 * The Environments tab's export and import: the declarative file's format both ways, as
 * `envdesk environments export` writes it and `envdesk environments plan` reads it. An import
 * changes hand-made environments only, all of the plan or none of it, each change in the audit log.
 */
export function createEnvironmentsTransferService({ store, clock }: EnvironmentsTransferDeps) {
  async function plan(document: string) {
    const read = entriesOf(document);
    const current = await store.environments.list();
    return summarize(planImport(read.entries, current), read.total, current, read.problems);
  }

  return {
    /** The environments named (every one when `guids` is absent) as the declarative YAML. */
    async exportYaml(actor: Actor, guids?: readonly string[]): Promise<string> {
      authorize(actor, 'environments:export');
      const all = await store.environments.list();
      const wanted = guids ? new Set(guids) : null;
      const chosen = wanted ? all.filter((environment) => wanted.has(environment.guid)) : all;
      return toYaml({ executionEnvironments: toFileEntries(chosen) });
    },

    /** What importing `document` would do; nothing is changed. */
    async planImport(actor: Actor, document: string): Promise<ImportPlanSummary> {
      authorize(actor, 'environments:import');
      return plan(document);
    },

    /**
     * Plans again inside one transaction and applies it: a plan with problems changes nothing
     * (400, the problems in the payload), so a half-imported file never happens.
     */
    async applyImport(actor: Actor, document: string): Promise<ImportPlanSummary> {
      authorize(actor, 'environments:import');
      const read = entriesOf(document);
      return store.transaction(async (tx) => {
        const current = await tx.environments.list();
        const planned = planImport(read.entries, current);
        const summary = summarize(planned, read.total, current, read.problems);
        if (summary.problems.length > 0) throw refused('The file was not imported: it has problems.', summary.problems);
        const now = timestamp(clock);
        const changes = [];
        for (const action of planned.actions) {
          if (action.kind === 'create') {
            const created = await tx.environments.insert(action.guid ?? newGuid(), { ...action.definition, managed_by: null }, now, actor.guid);
            changes.push(environmentChange('add', null, created));
          } else {
            const before = await tx.environments.findForWrite(action.guid);
            // Planned from this transaction's own read; a row that went or became file-managed since is refused.
            if (!before || before.managed_by !== null) throw refused('The environments changed while importing; plan the file again.');
            const updated = await tx.environments.update(action.guid, action.changes, now, actor.guid);
            if (!updated) throw refused('The environments changed while importing; plan the file again.');
            changes.push(environmentChange('update', before, updated));
          }
        }
        if (changes.length > 0) await tx.audit.append(authorOf(actor), changes, now);
        return summary;
      });
    },
  };
}

export type EnvironmentsTransferService = ReturnType<typeof createEnvironmentsTransferService>;
