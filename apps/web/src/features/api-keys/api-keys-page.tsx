import { CreateApiKeyInputSchema, type User, issueMessage } from '@envdesk/domain';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useAnnounce } from '../../components/announcer';
import { DateTime } from '../../components/date-time';
import { ConfirmDialog } from '../../components/dialog';
import { FormField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { Page } from '../../components/page';
import { errorMessage } from '../../lib/api-client';
import { type CreatedApiKey, useCreateApiKey } from './api/create-api-key';
import { useDeleteApiKey } from './api/delete-api-key';
import { type ApiKey, useApiKeyList } from './api/list-api-keys';
import './api-keys.css';


/**
 * `/keys`: the signed-in person's API keys, for rsconnect, the Connect SDKs and scripts. Everyone
 * may manage their own (policy `session:own`), viewers included: a viewer's key reads what they can.
 */
export function ApiKeysPage({ user }: { user: User }) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <Page
      title="API keys"
      lead={`A key lets rsconnect, the Connect SDKs and your scripts act as you, with your role (${user.user_role}). Keep each one secret, and delete those you no longer use.`}
    >
      <div className="api-keys">
        <CreateKeyForm onCreated={setCreated} />
        {created && <NewKeyPanel key={created.id} created={created} onDone={() => setCreated(null)} />}
        <KeyList />
      </div>
    </Page>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const id = useId().replace(/:/g, '');
  const create = useCreateApiKey();
  const nameInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const input = { name };
    const parsed = CreateApiKeyInputSchema.safeParse(input);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      setProblem(`The name ${issue ? issueMessage(issue, input) : 'is not valid'}.`);
      nameInput.current?.focus();
      return;
    }
    try {
      onCreated(await create.mutateAsync(parsed.data.name));
      setName('');
      setProblem(null);
    } catch (error) {
      setProblem(`The key was not created. ${errorMessage(error)}`);
      nameInput.current?.focus();
    }
  };

  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        Create a key
      </h2>
      <form className="api-key-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={create.isPending}>
        <FormField id={`${id}-name`} label="Name" error={problem ?? undefined} hint="Say where the key is used, e.g. “laptop rsconnect” or “CI deploys”.">
          {(control) => (
            <input
              {...control}
              ref={nameInput}
              type="text"
              autoComplete="off"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                setProblem(null);
              }}
            />
          )}
        </FormField>
        {/* aria-disabled, not disabled: focus stays on the button while the key is made. */}
        <button type="submit" className="button button-primary" aria-disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
    </section>
  );
}

type CopyState = 'idle' | 'copied' | 'failed';

/** The secret, shown this once: the server keeps only its hash. */
function NewKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const id = useId().replace(/:/g, '');
  const heading = useRef<HTMLHeadingElement>(null);
  const secret = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');

  // The panel replaces the form's moment: focus goes to it so the warning is read first.
  useEffect(() => heading.current?.focus(), []);

  const copyKey = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it for Ctrl+C instead.
      secret.current?.select();
      setCopy('failed');
    }
  };

  return (
    <section className="section new-key" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1} className="section-title">
        Your new key “{created.name}”
      </h2>
      <p className="alert alert-warning" id={`${id}-warning`}>
        <strong>Copy it now: you will not see it again.</strong> envdesk keeps only a fingerprint of the key, so it cannot show it later. If you lose it,
        delete it and create another.
      </p>
      <div className="new-key-secret">
        <label htmlFor={`${id}-secret`}>API key</label>
        <input
          id={`${id}-secret`}
          ref={secret}
          className="mono"
          type="text"
          readOnly
          value={created.key}
          aria-describedby={`${id}-warning`}
          spellCheck={false}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={() => void copyKey()}>
          Copy key
        </button>
      </div>
      <p role="status" className="muted new-key-copy">
        {copy === 'copied' ? 'Copied to the clipboard.' : copy === 'failed' ? 'Copying is not allowed here: the key is selected, press Ctrl+C (⌘C) to copy it.' : ''}
      </p>
      <button type="button" className="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}

function KeyList() {
  const id = useId().replace(/:/g, '');
  const keys = useApiKeyList();
  const deletion = useDeleteApiKey();
  const announce = useAnnounce();
  const heading = useRef<HTMLHeadingElement>(null);
  const [deleting, setDeleting] = useState<ApiKey | null>(null);
  const focusListAfterDialog = useRef(false);

  // The deleted key's row (and the button that opened the dialog) is gone: focus goes to the list,
  // once the dialog has closed (while it is open, the rest of the page cannot take focus).
  useEffect(() => {
    if (deleting || !focusListAfterDialog.current) return;
    focusListAfterDialog.current = false;
    heading.current?.focus();
  }, [deleting]);

  const cancel = () => {
    deletion.reset();
    setDeleting(null);
  };

  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1} className="section-title">
        Your keys
      </h2>
      {keys.isPending ? (
        <p role="status" className="muted">
          Loading your keys…
        </p>
      ) : keys.isError ? (
        <LoadError what="Your keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <p className="section-empty">You have no API keys yet.</p>
      ) : (
        <div className="api-key-table">
          <table className="card-table" aria-labelledby={`${id}-title`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id}>
                  <th scope="row" className="api-key-name">
                    {key.name}
                  </th>
                  <td data-label="Created">
                    <DateTime value={key.created_time} />
                  </td>
                  <td data-label="Last used">{key.last_used_time ? <DateTime value={key.last_used_time} /> : <span className="muted">Never</span>}</td>
                  <td className="cell-actions">
                    <button type="button" className="button button-small button-quiet-danger" onClick={() => setDeleting(key)}>
                      Delete<span className="visually-hidden"> key “{key.name}”</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the key “${deleting.name}”?`}
          confirmLabel="Delete key"
          busyLabel="Deleting…"
          busy={deletion.isPending}
          error={deletion.isError ? `Not deleted. ${errorMessage(deletion.error)}` : null}
          onCancel={cancel}
          onConfirm={() =>
            deletion.mutate(deleting.id, {
              onSuccess: () => {
                focusListAfterDialog.current = true;
                setDeleting(null);
                announce(`Deleted the key “${deleting.name}”.`);
              },
            })
          }
        >
          <p>Clients that use it are refused from now on. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
