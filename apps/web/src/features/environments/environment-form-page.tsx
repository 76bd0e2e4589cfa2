import { ApiError, type EditConflictPayload, type Environment, ErrorCode, type User, environmentEtag } from '@envdesk/domain';
import { useQueryClient } from '@tanstack/react-query';
import { LoadError } from '../../components/load-error';
import { Suspense, lazy, useState } from 'react';
import { useAnnounce } from '../../components/announcer';
import { Page } from '../../components/page';
import { offers } from '../../lib/access';
import { errorMessage } from '../../lib/api-client';
import { useLastChange } from '../../lib/live-events';
import { Link, useNavigate } from '@tanstack/react-router';
import { useDeleteEnvironment } from './api/delete-environment';
import { useEnvironmentPermissions } from './api/environment-permissions';
import { environmentQueryOptions, useEnvironment } from './api/get-environment';
import { useSyncStatus } from './api/sync-status';
import { Dialog } from '../../components/dialog';
import { DeleteEnvironmentDialog } from './components/delete-environment-dialog';
import { EditConflictDialog } from './components/edit-conflict-dialog';
import { editConflictFrom } from './api/edit-conflict-error';
import { conflictRows } from './form/edit-conflict';
import { displayTitle } from '../../components/environment-columns';
import { ManagedBadge } from './components/managed-badge';
import { listSearch, markJustAdded } from './environments-view';
import { type EnvironmentDraft, clearDraft, draftKey, readDraft } from './form/environment-draft';
import { EnvironmentForm } from './form/environment-form';
import { type EnvironmentFormValues, cloneFormValuesFrom, emptyFormValues, formValuesFrom } from './form/environment-form-values';
import { EnvironmentDetails } from './details/environment-details';
import { EnvironmentFacts } from './details/environment-facts';
import { type GrantRow, grantRowsFrom } from './form/grants';
import { AccessControlNotSaved, useSaveEnvironment } from './form/save-environment';

// Administrators only, and below the form: it loads in its own chunk after the form has shown.
const EnvironmentHistoryPanel = lazy(() =>
  import('./history/environment-history-panel').then((module) => ({ default: module.EnvironmentHistoryPanel })),
);

export interface EnvironmentFormPageProps {
  readonly user: User;
  /** The environment to show; null for a new one. */
  readonly guid: string | null;
  /** A new one: the environment it starts as a copy of (*Clone*). */
  readonly cloneOf?: string | undefined;
}

/** `/environments/new` and `/environments/{guid}`: add, edit, or (file-managed, publishers) view. */
export function EnvironmentFormPage({ user, guid, cloneOf }: EnvironmentFormPageProps) {
  if (!offers(user, 'environments:read') || (guid === null && !offers(user, 'environments:write'))) {
    return (
      <Page title={guid === null ? 'Add environment' : 'Environment'}>
        <div className="notice">
          <p>This page is not available to your role.</p>
          <p>
            <Link to="/environments" search={listSearch()}>
              Back to environments
            </Link>
          </p>
        </div>
      </Page>
    );
  }
  if (guid === null) return cloneOf ? <CloneEnvironment user={user} guid={cloneOf} /> : <NewEnvironment user={user} original={null} />;
  return <ExistingEnvironment user={user} guid={guid} />;
}

function BackLink() {
  return (
    <Link to="/environments" search={listSearch()} className="back-link">
      <span aria-hidden="true">← </span>Environments
    </Link>
  );
}

/** *Clone*: the add form, once the environment it copies is loaded. */
function CloneEnvironment({ user, guid }: { user: User; guid: string }) {
  const original = useEnvironment(guid);
  if (original.data) return <NewEnvironment user={user} original={original.data} />;
  return (
    <>
      <BackLink />
      <Page title="Add environment">
        {original.isError ? (
          <LoadError what="The environment to copy" error={original.error} onRetry={() => void original.refetch()} panel />
        ) : (
          <p role="status" className="muted">
            Loading the environment to copy…
          </p>
        )}
      </Page>
    </>
  );
}

function NewEnvironment({ user, original }: { user: User; original: Environment | null }) {
  const save = useSaveEnvironment();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const key = draftKey(user.guid, null);
  // A copy starts from the original, not from an unsaved add form left earlier.
  const [restoredDraft, setRestoredDraft] = useState(() => (original ? null : readDraft(key)));
  const [generation, setGeneration] = useState(0);
  const [initialValues] = useState(() => (original ? cloneFormValuesFrom(original) : emptyFormValues()));
  return (
    <>
      <BackLink />
      <Page
        title="Add environment"
        lead={
          original
            ? `A copy of “${displayTitle(original)}”: give it its own image, then check what differs.`
            : 'Describe a container image so content can be built and run in it.'
        }
      >
        <EnvironmentForm
          key={generation}
          mode="create"
          canInspect={offers(user, 'environments:inspect')}
          initialValues={initialValues}
          initialGrants={[]}
          detailsLocked={false}
          canManageAccess
          saving={save.isPending}
          submitLabel="Add environment"
          draftKey={key}
          draftBase={null}
          restoredDraft={restoredDraft}
          onDiscardDraft={() => {
            clearDraft(key);
            setRestoredDraft(null);
            setGeneration((count) => count + 1);
          }}
          onSubmit={async (values, grants) => {
            try {
              const saved = await save.mutateAsync({ mode: 'create', environment: null, values, accessOnly: false, initialGrants: [], grants });
              clearDraft(key);
              markJustAdded(saved.guid);
              announce(`Added “${displayTitle(saved)}”.`);
              void navigate({ to: '/environments', search: listSearch(), ignoreBlocker: true });
            } catch (error) {
              if (!(error instanceof AccessControlNotSaved)) throw error;
              clearDraft(key);
              // Saved already: carry on from the real record, so a second Save cannot create a duplicate.
              announce(`Added “${displayTitle(error.environment)}”, but its access control was not saved. ${errorMessage(error.cause)}`, 'error');
              void navigate({ to: '/environments/$guid', params: { guid: error.environment.guid }, replace: true, ignoreBlocker: true });
            }
          }}
        />
      </Page>
    </>
  );
}

function ExistingEnvironment({ user, guid }: { user: User; guid: string }) {
  const canWrite = offers(user, 'environments:write');
  const canManageAccess = offers(user, 'environment-permissions:manage');
  const environment = useEnvironment(guid);
  const permissions = useEnvironmentPermissions(canManageAccess ? guid : null);
  const syncStatus = useSyncStatus({ enabled: canWrite });

  const notFound = environment.error instanceof ApiError && environment.error.code === ErrorCode.ObjectDoesNotExist;
  if (notFound) {
    return (
      <>
        <BackLink />
        <Page title="Environment not found">
          <p>There is no environment with this GUID, or it is not available to you. It may have been deleted.</p>
        </Page>
      </>
    );
  }
  const failed = environment.error ?? permissions.error;
  if (failed && (!environment.data || (canManageAccess && !permissions.data))) {
    return (
      <>
        <BackLink />
        <Page title="Environment">
          <LoadError
            what="The environment"
            error={failed}
            onRetry={() => {
              void environment.refetch();
              if (canManageAccess) void permissions.refetch();
            }}
            panel
          />
        </Page>
      </>
    );
  }
  if (!environment.data || (canManageAccess && !permissions.data)) {
    return (
      <>
        <BackLink />
        <Page title="Environment">
          <p role="status" className="muted">
            Loading the environment…
          </p>
        </Page>
      </>
    );
  }
  // Publishers read: what the environment holds and which of their content uses it.
  if (!canWrite) {
    return (
      <>
        <BackLink />
        <EnvironmentDetails environment={environment.data} />
      </>
    );
  }
  return (
    <EditEnvironment
      user={user}
      environment={environment.data}
      initialGrants={grantRowsFrom(permissions.data ?? [])}
      canWrite={canWrite}
      canManageAccess={canManageAccess}
      managedFile={syncStatus.data?.file ?? null}
    />
  );
}

interface EditEnvironmentProps {
  readonly user: User;
  readonly environment: Environment;
  readonly initialGrants: readonly GrantRow[];
  readonly canWrite: boolean;
  readonly canManageAccess: boolean;
  readonly managedFile: string | null;
}

/** A save refused because someone else saved first: their version, and what this form held. */
interface PendingConflict {
  readonly payload: EditConflictPayload;
  readonly values: EnvironmentFormValues;
  readonly grants: readonly GrantRow[];
}

function EditEnvironment({ user, environment: loaded, initialGrants, canWrite, canManageAccess, managedFile }: EditEnvironmentProps) {
  const save = useSaveEnvironment();
  const deletion = useDeleteEnvironment();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const key = draftKey(user.guid, loaded.guid);
  // A draft left when the session ended: the form starts from it, and from the version it was based on.
  const [restoredDraft, setRestoredDraft] = useState<EnvironmentDraft | null>(() => readDraft(key));
  // The version the form was opened from: its ETag goes with every save and delete.
  const [environment, setEnvironment] = useState(() => restoredDraft?.base ?? loaded);
  const [initialValues, setInitialValues] = useState(() => formValuesFrom(environment));
  // Bumped to start the form afresh (their version reloaded, a draft discarded).
  const [generation, setGeneration] = useState(0);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<PendingConflict | null>(null);
  const [overwriteError, setOverwriteError] = useState<string | null>(null);
  const [staleDelete, setStaleDelete] = useState<EditConflictPayload | null>(null);
  const managed = environment.managed_by !== null;
  const detailsLocked = managed || !canWrite;
  const title = displayTitle(environment);
  // Someone else saved it while this form is open: the stream reloaded it (`loaded`), the form keeps the version it opened.
  const lastChange = useLastChange('environment', loaded.guid);
  const changedElsewhere = loaded.updated_time !== environment.updated_time && lastChange !== undefined && lastChange.user_guid !== user.guid;

  /** The 412 dialog's comparison, opened before saving: their version next to what this form holds now. */
  const compareWithTheirs = () => {
    const draft = readDraft(key);
    const updatedBy = lastChange?.user_guid ? { guid: lastChange.user_guid, username: lastChange.user_description } : null;
    setOverwriteError(null);
    setConflict({
      payload: { reason: 'stale', etag: environmentEtag(loaded), environment: loaded, updated_by: updatedBy },
      values: draft?.values ?? formValuesFrom(environment),
      grants: draft?.grants ?? initialGrants,
    });
  };

  /** Saves `values` over `base`; a 412 opens the comparison instead of failing the form. */
  const saveOver = async (base: Environment, values: EnvironmentFormValues, grants: readonly GrantRow[]): Promise<void> => {
    try {
      await save.mutateAsync({ mode: 'edit', environment: base, values, accessOnly: managed, initialGrants, grants });
    } catch (error) {
      const stale = editConflictFrom(error);
      if (stale) {
        setOverwriteError(null);
        setConflict({ payload: stale, values, grants });
        return;
      }
      if (!(error instanceof AccessControlNotSaved)) throw error;
      const code = error.cause instanceof ApiError ? error.cause.code : ErrorCode.InternalFailure;
      throw new ApiError(code, `${managed ? 'Access control was not saved.' : 'The details were saved, but access control was not.'} ${errorMessage(error.cause)}`);
    }
    setConflict(null);
    clearDraft(key);
    announce(managed ? `Saved access control of “${title}”.` : `Saved “${displayTitle({ ...environment, title: values.title || null })}”.`);
    void navigate({ to: '/environments', search: listSearch(), ignoreBlocker: true });
  };

  /** Start again from `version` (their save, or the one loaded), without this form's edits. */
  const startFrom = (version: Environment) => {
    clearDraft(key);
    setRestoredDraft(null);
    setEnvironment(version);
    setInitialValues(formValuesFrom(version));
    setGeneration((count) => count + 1);
  };

  /** Continue from the version that is saved now: the form starts again from it. */
  const reloadTheirs = (theirs: Environment) => {
    queryClient.setQueryData(environmentQueryOptions(theirs.guid).queryKey, theirs);
    startFrom(theirs);
    setConflict(null);
    setStaleDelete(null);
    announce(`Showing the current version of “${displayTitle(theirs)}”.`);
  };

  const lead = managed ? (
    <span className="locked-reason" role="note">
      <ManagedBadge environment={environment} file={managedFile} />
      <span>
        This environment is defined in {managedFile ? <span className="mono">{managedFile}</span> : 'the configuration file'}, so its
        details can only change there.{canManageAccess ? ' Its access control can still be edited here.' : ''}
      </span>
    </span>
  ) : !canWrite ? (
    'Only administrators can change environments.'
  ) : undefined;

  return (
    <>
      <BackLink />
      <Page
        title={detailsLocked ? title : `Edit “${title}”`}
        lead={lead}
        actions={
          canWrite && (
            <Link to="/environments/new" search={{ from: environment.guid }} className="button">
              Clone<span className="visually-hidden"> “{title}”</span>
            </Link>
          )
        }
      >
        {changedElsewhere && (
          <div role="status" className="notice changed-elsewhere">
            <p>
              Changed by <strong>{lastChange.user_description}</strong> just now.
            </p>
            <div className="notice-actions">
              <button type="button" className="button" onClick={compareWithTheirs}>
                Compare with this form
              </button>
              <button type="button" className="button button-quiet" onClick={() => reloadTheirs(loaded)}>
                Show their version
              </button>
            </div>
          </div>
        )}
        <EnvironmentFacts environment={environment} />
        <EnvironmentForm
          key={generation}
          mode="edit"
          canInspect={offers(user, 'environments:inspect')}
          initialValues={initialValues}
          initialGrants={initialGrants}
          detailsLocked={detailsLocked}
          canManageAccess={canManageAccess}
          saving={save.isPending}
          submitLabel={managed ? 'Save access control' : 'Save changes'}
          onSubmit={(values, grants) => saveOver(environment, values, grants)}
          draftKey={key}
          draftBase={environment}
          restoredDraft={restoredDraft}
          onDiscardDraft={() => startFrom(loaded)}
          footer={
            canWrite &&
            !managed && (
              <button type="button" className="button button-quiet-danger" onClick={() => setConfirmingDelete(true)}>
                Delete environment…
              </button>
            )
          }
        />
        {offers(user, 'environments:read-history') && (
          <Suspense
            fallback={
              <p role="status" className="muted">
                Loading the history…
              </p>
            }
          >
            <EnvironmentHistoryPanel
              environment={environment}
              canRestore={canWrite}
              onRestored={(restored) => {
                queryClient.setQueryData(environmentQueryOptions(restored.guid).queryKey, restored);
                startFrom(restored);
                announce(`Restored an earlier version of “${displayTitle(restored)}”.`);
              }}
            />
          </Suspense>
        )}
      </Page>
      {conflict && (
        <EditConflictDialog
          conflict={conflict.payload}
          rows={conflictRows(environment, conflict.values, conflict.payload.environment)}
          busy={save.isPending}
          error={overwriteError}
          onCancel={() => setConflict(null)}
          onReload={() => reloadTheirs(conflict.payload.environment)}
          onOverwrite={() => {
            // On purpose: sent with their version's ETag, so it replaces exactly what was compared.
            saveOver(conflict.payload.environment, conflict.values, conflict.grants).catch((error: unknown) =>
              setOverwriteError(`Not saved. ${errorMessage(error)}`),
            );
          }}
        />
      )}
      {staleDelete && (
        <Dialog title="Not deleted: it was changed by someone else" onCancel={() => setStaleDelete(null)}>
          <div className="dialog-body">
            <p>
              <strong>{staleDelete.updated_by?.username ?? 'Someone'}</strong> saved “{displayTitle(staleDelete.environment)}” after you
              opened it, so it was not deleted. Reload their version to see what changed, then delete it again if you still mean to.
            </p>
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setStaleDelete(null)}>
              Cancel
            </button>
            <button type="button" className="button button-primary" onClick={() => reloadTheirs(staleDelete.environment)}>
              Reload their version
            </button>
          </div>
        </Dialog>
      )}
      {confirmingDelete && (
        <DeleteEnvironmentDialog
          environment={environment}
          busy={deletion.isPending}
          error={deleteError}
          onCancel={() => {
            setConfirmingDelete(false);
            setDeleteError(null);
          }}
          onConfirm={() => {
            setDeleteError(null);
            deletion.mutate(environment, {
              onSuccess: () => {
                setConfirmingDelete(false);
                clearDraft(key);
                announce(`Deleted “${title}”.`);
                void navigate({ to: '/environments', search: listSearch(), ignoreBlocker: true });
              },
              onError: (error) => {
                const stale = editConflictFrom(error);
                if (stale) {
                  setConfirmingDelete(false);
                  setStaleDelete(stale);
                } else {
                  setDeleteError(`Not deleted. ${errorMessage(error)}`);
                }
              },
            });
          }}
        />
      )}
    </>
  );
}
