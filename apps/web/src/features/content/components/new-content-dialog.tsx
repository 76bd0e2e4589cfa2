import { ApiError } from '@envdesk/domain';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useAnnounce } from '../../../components/announcer';
import { Dialog } from '../../../components/dialog';
import { FormField } from '../../../components/form-field';
import { errorMessage } from '../../../lib/api-client';
import { useNavigate } from '@tanstack/react-router';
import { useCreateContent } from '../api/create-content';
import { contentTitle } from '../content-list';
import { type NewContentErrors, type NewContentValues, errorsFrom, requestBodyFrom, validateNewContent } from '../new-content-values';

/** "New content": a name and a title, then the new item's page, where its bundle and runtime are set. */
export function NewContentDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateContent();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const id = useId().replace(/:/g, '');
  const nameInput = useRef<HTMLInputElement>(null);
  const [values, setValues] = useState<NewContentValues>({ name: '', title: '' });
  const [errors, setErrors] = useState<NewContentErrors>({});
  const form = useRef<HTMLFormElement>(null);

  // After a refused Create, focus goes to the first field with a problem (or the message).
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"], .form-alert')?.focus();
  }, [focusRequest]);
  const showProblems = (problems: NewContentErrors) => {
    setErrors(problems);
    setFocusRequest((count) => count + 1);
  };

  const edit = (field: keyof NewContentValues, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (errors[field] || errors['']) setErrors(({ [field]: _field, '': _general, ...rest }) => rest);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const problems = validateNewContent(values);
    if (Object.keys(problems).length > 0) {
      showProblems(problems);
      return;
    }
    try {
      const content = await create.mutateAsync(requestBodyFrom(values));
      announce(`Created “${contentTitle(content)}”.`);
      onClose();
      void navigate({ to: '/content/$guid', params: { guid: content.guid } });
    } catch (error) {
      showProblems(error instanceof ApiError ? errorsFrom(error) : { '': `Not created. ${errorMessage(error)}` });
    }
  };

  const control = (field: keyof NewContentValues) => `${id}-${field}`;
  return (
    <Dialog title="New content" onCancel={onClose} busy={create.isPending} initialFocus={nameInput}>
      <form ref={form} className="dialog-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={create.isPending}>
        {errors[''] && (
          <p role="alert" tabIndex={-1} className="alert alert-error form-alert">
            {errors['']}
          </p>
        )}
        <FormField
          id={control('name')}
          label="Name"
          error={errors.name}
          hint="3–64 letters, digits, “.”, “_” or “-”, unique among your content. Publishing clients find the content by it."
        >
          {(props) => (
            <input
              {...props}
              ref={nameInput}
              className="mono"
              value={values.name}
              required
              autoComplete="off"
              spellCheck={false}
              placeholder="sales-forecast-api"
              onChange={(event) => edit('name', event.target.value)}
            />
          )}
        </FormField>
        <FormField id={control('title')} label="Title (optional)" error={errors.title} hint="What people see in lists; the name is shown when there is none.">
          {(props) => (
            <input {...props} value={values.title} autoComplete="off" placeholder="Sales forecast API" onChange={(event) => edit('title', event.target.value)} />
          )}
        </FormField>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose} disabled={create.isPending}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create content'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
