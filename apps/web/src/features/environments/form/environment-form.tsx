import { ApiError, type Environment } from '@envdesk/domain';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { Link, useBlocker } from '@tanstack/react-router';
import { listSearch } from '../environments-view';
import { AccessControlFields } from './access-control-fields';
import { AdvancedFields } from './advanced-fields';
import { type EnvironmentDraft, clearDraft, hasUnsavedChanges, writeDraft } from './environment-draft';
import { type EnvironmentFormValues, type FieldErrors, type FormMode, fieldErrorsFrom, validateForm } from './environment-form-values';
import { FormField, fieldId } from '../../../components/form-field';
import { ImageInspection } from './image-inspection';
import type { GrantRow } from './grants';
import { InstallationsFields } from './installations-fields';
import { VolumeMountsFields } from './volume-mounts-fields';

export interface EnvironmentFormProps {
  readonly mode: FormMode;
  readonly initialValues: EnvironmentFormValues;
  readonly initialGrants: readonly GrantRow[];
  /** The environment's own fields cannot change (file-managed, or a publisher looking). */
  readonly detailsLocked: boolean;
  /** Administrators only; on a file-managed environment this is all that can change. */
  readonly canManageAccess: boolean;
  readonly saving: boolean;
  readonly submitLabel: string;
  /** Saves; a thrown ApiError is shown on the fields it names. */
  readonly onSubmit: (values: EnvironmentFormValues, grants: readonly GrantRow[]) => Promise<void>;
  /** Extra actions for the footer (Delete). */
  readonly footer?: ReactNode;
  /** Where unsaved changes are kept (sessionStorage) while the form is edited; see environment-draft. */
  readonly draftKey: string;
  /** The version being edited, kept with the draft (its ETag goes with the save); null when creating. */
  readonly draftBase: Environment | null;
  /** A draft found when the page opened: the form starts from it instead of `initialValues`. */
  readonly restoredDraft?: EnvironmentDraft | null;
  /** "Discard them" on the restored-draft notice: the page starts again from the saved version. */
  readonly onDiscardDraft?: () => void;
  /** Administrators: *Inspect image* (add) or *Re-inspect* (a hand-made environment) reads the image's installations. */
  readonly canInspect?: boolean;
}

export const LEAVE_QUESTION = 'Leave this page? Your unsaved changes to this environment will be lost.';

/**
 * Title, description, image, installations, volume mounts, access control and the Advanced section.
 * Each field is checked with the server's schema as it is edited; after a first Save every field is.
 */
export function EnvironmentForm(props: EnvironmentFormProps) {
  const { mode, initialValues, initialGrants, detailsLocked, canManageAccess, saving, submitLabel, onSubmit, footer } = props;
  const { draftKey, draftBase, restoredDraft = null, onDiscardDraft, canInspect = false } = props;
  const formId = useId().replace(/:/g, '');
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(restoredDraft?.values ?? initialValues);
  const [grants, setGrants] = useState<readonly GrantRow[]>(restoredDraft?.grants ?? initialGrants);
  const editable = !detailsLocked || canManageAccess;
  const unsaved = editable && hasUnsavedChanges({ values: initialValues, grants: initialGrants }, { values, grants });

  // Every edit is kept at once: a session can end at any moment, and the sign-in page brings the
  // person back here. Back to the saved state, the draft goes.
  useEffect(() => {
    if (unsaved) writeDraft(draftKey, { savedAt: new Date().toISOString(), base: draftBase, values, grants });
    else clearDraft(draftKey);
  }, [unsaved, draftKey, draftBase, values, grants]);
  // Leaving with unsaved changes asks first (the browser's own confirm: modal, and read by screen
  // readers): links, Back and Forward, and closing or reloading the tab (the browser's beforeunload
  // prompt, in its own words). Saving and the app's own redirects leave without asking.
  useBlocker({
    disabled: !unsaved,
    enableBeforeUnload: unsaved,
    shouldBlockFn: () => {
      if (!window.confirm(LEAVE_QUESTION)) return true;
      clearDraft(draftKey);
      return false;
    },
  });
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const clientErrors = detailsLocked ? {} : validateForm(values, mode);
  const errorOf = (field: string): string | undefined =>
    serverErrors[field] ?? (submitted || edited.has(field) ? clientErrors[field] : undefined);

  // A version is checked when its field is left: `3.` is on its way to `3.11`, not a mistake.
  const setChecked = (field: string, checked: boolean) =>
    setEdited((current) => {
      if (current.has(field) === checked) return current;
      const next = new Set(current);
      if (checked) next.add(field);
      else next.delete(field);
      return next;
    });

  const edit = (change: Partial<EnvironmentFormValues>, field: string | null) => {
    setValues((current) => ({ ...current, ...change }));
    if (field === null) return;
    setEdited((current) => (current.has(field) ? current : new Set(current).add(field)));
    if (serverErrors[field]) setServerErrors(({ [field]: _dropped, ...rest }) => rest);
  };

  // After a failed Save, focus goes to the first field with a problem (or the message) once it is on screen.
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest === 0) return;
    const field = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (field ?? form.current?.querySelector<HTMLElement>('.form-alert'))?.focus();
  }, [focusRequest]);
  const focusFirstProblem = () => setFocusRequest((count) => count + 1);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    setSubmitted(true);
    setFormError(null);
    setServerErrors({});
    const problems = Object.keys(clientErrors).length;
    if (problems > 0) {
      setFormError(problems === 1 ? 'One field needs attention before saving.' : `${problems} fields need attention before saving.`);
      focusFirstProblem();
      return;
    }
    try {
      await onSubmit(values, grants);
    } catch (error) {
      if (error instanceof ApiError) {
        const { '': general, ...byField } = fieldErrorsFrom(error, values);
        setServerErrors(byField);
        setFormError(general ?? 'Not saved: the server found problems with the fields marked below.');
      } else {
        setFormError(`Not saved. ${errorMessage(error)}`);
      }
      focusFirstProblem();
    }
  };

  const text = (field: 'title' | 'name', label: string, options: { hint?: string; placeholder?: string; mono?: boolean; readOnly?: boolean }) => (
    <FormField id={fieldId(formId, field)} label={label} error={errorOf(field)} hint={options.hint}>
      {(control) => (
        <input
          {...control}
          className={options.mono ? 'mono' : undefined}
          value={values[field]}
          readOnly={detailsLocked || options.readOnly}
          placeholder={options.placeholder}
          autoComplete="off"
          spellCheck={field === 'title'}
          onChange={(event) => edit({ [field]: event.target.value }, field)}
        />
      )}
    </FormField>
  );

  const imageNameField = text('name', 'Image name', {
    hint: mode === 'create' ? 'The container image reference; it cannot change once the environment exists.' : 'The image of an environment cannot change; add a new environment for another image.',
    placeholder: 'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
    mono: true,
    readOnly: mode === 'edit',
  });

  return (
    <form ref={form} className="environment-form" noValidate onSubmit={(event) => void handleSubmit(event)} aria-busy={saving}>
      {restoredDraft && (
        <div role="status" className="alert draft-notice">
          <p>
            Your unsaved changes from {new Date(restoredDraft.savedAt).toLocaleTimeString()} were restored. Save them, or{' '}
            <button type="button" className="link-button" onClick={onDiscardDraft}>
              discard them
            </button>
            .
          </p>
        </div>
      )}
      {formError && (
        <div role="alert" tabIndex={-1} className="alert alert-error form-alert">
          <p>{formError}</p>
        </div>
      )}
      <fieldset className="section">
        <legend className="section-title">Details</legend>
        {text('title', 'Title', { hint: 'A name publishers recognise when they pick an environment for their content.', placeholder: 'R 4.4 / Python 3.11' })}
        <FormField id={fieldId(formId, 'description')} label="Description (optional)" error={errorOf('description')}>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={values.description}
              readOnly={detailsLocked}
              onChange={(event) => edit({ description: event.target.value }, 'description')}
            />
          )}
        </FormField>
        {canInspect && !detailsLocked ? (
          <ImageInspection
            mode={mode}
            imageName={values.name}
            field={imageNameField}
            rows={values.installations}
            onApply={(installations) => edit({ installations }, null)}
          />
        ) : (
          imageNameField
        )}
      </fieldset>
      <InstallationsFields
        formId={formId}
        rows={values.installations}
        readOnly={detailsLocked}
        errorOf={errorOf}
        onChange={(installations, field) => edit({ installations }, field)}
        onTypeVersion={(field) => setChecked(field, false)}
        onLeaveVersion={(field) => setChecked(field, true)}
      />
      <VolumeMountsFields
        formId={formId}
        rows={values.volumeMounts}
        readOnly={detailsLocked}
        errorOf={errorOf}
        onChange={(volumeMounts, field) => edit({ volumeMounts }, field)}
      />
      {canManageAccess && <AccessControlFields grants={grants} onChange={setGrants} readOnly={false} />}
      <AdvancedFields
        formId={formId}
        matching={values.matching}
        supervisor={values.supervisor}
        readOnly={detailsLocked}
        errorOf={errorOf}
        onChange={(change, field) => edit(change, field)}
      />
      <div className="form-footer">
        {editable && (
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : submitLabel}
          </button>
        )}
        <Link to="/environments" search={listSearch()} className="button">
          {editable ? 'Cancel' : 'Back to environments'}
        </Link>
        {footer && <div className="form-footer-end">{footer}</div>}
      </div>
    </form>
  );
}
