import { type Environment, type FileEntry, type SyncPlan, entryLabel } from '@envdesk/domain';

/** A plan as a person reads it: one line per change, then a count. */
export function describePlan(plan: SyncPlan, entries: readonly FileEntry[], current: readonly Environment[]): string {
  const nameOf = new Map(current.map((environment) => [environment.guid, environment.name]));
  const lines = plan.actions.map((action) => {
    switch (action.kind) {
      case 'create':
        return `+ create  ${action.definition.name}${action.guid ? ` (guid ${action.guid})` : ''}  [${entryLabel(action.entry)}]`;
      case 'update':
        return `~ update  ${nameOf.get(action.guid)} (${action.guid}): ${Object.keys(action.changes).join(', ')}  [${entryLabel(action.entry)}]`;
      case 'adopt': {
        const fields = Object.keys(action.changes);
        return `> adopt   ${nameOf.get(action.guid)} (${action.guid})${fields.length ? `: ${fields.join(', ')}` : ''}  [${entryLabel(action.entry)}]`;
      }
      case 'delete':
        return `- delete  ${action.name} (${action.guid})`;
      case 'restore':
        return `* restore ${action.definition.name} (${action.guid}), removed ${action.removed_time}, with its GUID and permissions  [${entryLabel(action.entry)}]`;
    }
  });
  const count = (kind: string) => plan.actions.filter((action) => action.kind === kind).length;
  lines.push(
    '',
    `${entries.length} entries: ${count('create')} to create, ${count('update')} to update, ${count('adopt')} to adopt, ` +
      `${count('restore')} to restore, ${count('delete')} to delete, ${plan.unchanged} unchanged.`,
    plan.actions.length === 0 ? 'Nothing to do.' : 'Nothing was changed: this is a plan.',
  );
  return `${lines.join('\n')}\n`;
}
