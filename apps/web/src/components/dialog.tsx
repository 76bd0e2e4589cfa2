import { type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';

/**
 * Shows a native `<dialog>` as a modal while the component is mounted: `showModal()` makes the
 * rest of the page inert, so focus stays inside; `initialFocus` gets the first focus; focus goes
 * back where it was when the dialog closes.
 */
function useModal(dialog: RefObject<HTMLDialogElement | null>, initialFocus: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    initialFocus.current?.focus();
    return () => {
      if (element.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
    // Runs once per dialog: the refs are stable.
  }, [dialog, initialFocus]);
}

export interface DialogProps {
  readonly title: string;
  readonly children: ReactNode;
  /** Escape, or the caller's own Cancel button. */
  readonly onCancel: () => void;
  /** While busy, Escape does nothing. */
  readonly busy?: boolean;
  /** What gets the first focus (the first field of a form); the dialog's title when absent. */
  readonly initialFocus?: RefObject<HTMLElement | null>;
}

/** A modal with a title and any content (a small form); the caller renders its own actions. */
export function Dialog({ title, children, onCancel, busy = false, initialFocus }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useModal(dialog, initialFocus ?? heading);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly busyLabel?: string;
  readonly busy?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  /** Shown inside the dialog when confirming failed. */
  readonly error?: string | null;
}

/**
 * A modal confirmation (see useModal): Escape cancels. Cancel gets the first focus, so Enter on a
 * destructive question does no harm.
 */
export function ConfirmDialog({ title, children, confirmLabel, busyLabel, busy = false, onConfirm, onCancel, error }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();

  useModal(dialog, cancel);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`} className="dialog-title">
        {title}
      </h2>
      <div id={`${id}-body`} className="dialog-body">
        {children}
      </div>
      {error && (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
          {busy ? (busyLabel ?? confirmLabel) : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
