import { ApiError, type Environment, ErrorCode } from '@envdesk/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createEnvironment } from '../api/create-environment';
import { addEnvironmentPermission, removeEnvironmentPermission } from '../api/environment-permissions';
import { environmentQueryOptions } from '../api/get-environment';
import { environmentKeys, environmentListQueryOptions } from '../../../lib/environments/list-environments';
import { updateEnvironment } from '../api/update-environment';
import { type EnvironmentFormValues, type FormMode, requestBodyFrom } from './environment-form-values';
import { type GrantRow, grantChanges } from './grants';

export interface SaveEnvironmentInput {
  readonly mode: FormMode;
  /** The environment being edited, as the form was opened from it (its version goes in If-Match); null when creating. */
  readonly environment: Environment | null;
  readonly values: EnvironmentFormValues;
  /** File-managed: only access control is saved. */
  readonly accessOnly: boolean;
  readonly initialGrants: readonly GrantRow[];
  readonly grants: readonly GrantRow[];
}

/** The environment was saved but a permission was not; the form reopens on the saved record. */
export class AccessControlNotSaved extends Error {
  override readonly name = 'AccessControlNotSaved';
  constructor(
    readonly environment: Environment,
    override readonly cause: unknown,
  ) {
    super('The environment was saved, but its access control was not.');
  }
}

async function saveGrants(guid: string, initial: readonly GrantRow[], current: readonly GrantRow[]): Promise<void> {
  const { added, removed } = grantChanges(initial, current);
  for (const permissionGuid of removed) await removeEnvironmentPermission(guid, permissionGuid);
  for (const grant of added) {
    try {
      await addEnvironmentPermission(guid, grant.kind === 'user' ? { user_guid: grant.guid } : { group_guid: grant.guid });
    } catch (error) {
      // Granted meanwhile (another tab): the outcome wanted is there.
      if (!(error instanceof ApiError && error.code === ErrorCode.DuplicateEnvironmentPermission)) throw error;
    }
  }
}

/** Create or update, then access control; the list shows the saved record at once. */
export function useSaveEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ mode, environment, values, accessOnly, initialGrants, grants }: SaveEnvironmentInput): Promise<Environment> => {
      let saved: Environment;
      if (mode === 'create') saved = await createEnvironment(requestBodyFrom(values, 'create'));
      else if (!environment) throw new Error('An edit needs the environment being edited.');
      else saved = accessOnly ? environment : await updateEnvironment(environment, requestBodyFrom(values, 'edit'));
      try {
        await saveGrants(saved.guid, initialGrants, grants);
      } catch (error) {
        throw new AccessControlNotSaved(saved, error);
      }
      return saved;
    },
    onSettled: (saved, error) => {
      const environment = saved ?? (error instanceof AccessControlNotSaved ? error.environment : undefined);
      if (environment) {
        queryClient.setQueryData(environmentQueryOptions(environment.guid).queryKey, environment);
        queryClient.setQueryData(environmentListQueryOptions().queryKey, (list) =>
          list && (list.some((item) => item.guid === environment.guid) ? list.map((item) => (item.guid === environment.guid ? environment : item)) : [...list, environment]),
        );
        // Dropped, not just marked stale: the form starts from the permissions it loads, so reopening must wait for fresh ones.
        queryClient.removeQueries({ queryKey: environmentKeys.permissions(environment.guid) });
      }
      // Who changed it last is in the summary, not in the list.
      void queryClient.invalidateQueries({ queryKey: environmentKeys.summary() });
      return queryClient.invalidateQueries({ queryKey: environmentKeys.list() });
    },
  });
}
