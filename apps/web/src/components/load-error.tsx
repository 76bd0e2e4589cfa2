import { errorMessage } from '../lib/api-client';

export interface LoadErrorProps {
  /** What failed to load, as the sentence's subject: "The bundles". */
  readonly what: string;
  readonly error: unknown;
  readonly onRetry: () => void;
  /** A whole page's state (more room) rather than one section's. */
  readonly panel?: boolean;
}

/** The error state every query shows: what failed, the server's reason, and a way to try again. */
export function LoadError({ what, error, onRetry, panel = false }: LoadErrorProps) {
  return (
    <div role="alert" className={panel ? 'alert alert-error state-panel' : 'alert alert-error'}>
      <p>
        {what} could not be loaded. {errorMessage(error)}
      </p>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
