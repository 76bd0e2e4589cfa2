import { type LoginInput, LoginInputSchema } from '@envdesk/domain';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useId, useState } from 'react';
import { useDocumentTitle } from '../../components/page';
import { Redirect } from '../../components/redirect';
import { errorMessage } from '../../lib/api-client';
import { useCurrentUser } from './api/current-user';
import { useLogin } from './api/login';
import { returnPathFrom } from './return-path';

type FieldErrors = Partial<Record<keyof LoginInput, string>>;

const fieldLabels: Record<keyof LoginInput, string> = { username: 'Username', password: 'Password' };

/** Checks the form with the same schema the server uses, so both say the same thing. */
function validate(input: LoginInput): FieldErrors {
  const parsed = LoginInputSchema.safeParse(input);
  if (parsed.success) return {};
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof LoginInput;
    errors[field] ??= `${fieldLabels[field]} ${issue.message}.`;
  }
  return errors;
}

export function SignInPage() {
  useDocumentTitle('Sign in');
  const returnPath = returnPathFrom(useSearch({ from: '/signin' }).next);
  const currentUser = useCurrentUser();
  const navigate = useNavigate();

  if (currentUser.data) return <Redirect href={returnPath} />;
  return (
    <main id="main" className="signin">
      <div className="signin-card">
        <p className="brand signin-brand">envdesk</p>
        <h1>Sign in</h1>
        <SignInForm onSignedIn={() => void navigate({ href: returnPath, replace: true })} />
      </div>
    </main>
  );
}

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const id = useId();
  const login = useLogin();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = { username: String(data.get('username') ?? ''), password: String(data.get('password') ?? '') };
    const errors = validate(input);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    login.mutate(input, { onSuccess: onSignedIn });
  };

  const field = (name: keyof LoginInput, type: string, autoComplete: string) => {
    const error = fieldErrors[name];
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{fieldLabels[name]}</label>
        <input
          id={`${id}-${name}`}
          name={name}
          type={type}
          autoComplete={autoComplete}
          autoCapitalize="none"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${name}-error` : undefined}
        />
        {error && (
          <p id={`${id}-${name}-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={login.isPending}>
      {field('username', 'text', 'username')}
      {field('password', 'password', 'current-password')}
      {login.isError && (
        <p role="alert" className="alert alert-error">
          {errorMessage(login.error)}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={login.isPending}>
        Sign in
      </button>
    </form>
  );
}
