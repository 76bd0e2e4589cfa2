import { type ReactNode, createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';

/**
 * Tells people what just happened ("Environment saved."), visibly as a toast and to screen readers
 * through a polite live region that exists before anything is announced (a region added together
 * with its text is often not read). One message at a time: a new one replaces the last, so a
 * burst of them (deploying, then deployed) never stacks over the page.
 */

export type Tone = 'success' | 'error' | 'info';

interface Announcement {
  readonly id: number;
  readonly message: string;
  readonly tone: Tone;
}

type Announce = (message: string, tone?: Tone) => void;

const AnnouncerContext = createContext<Announce>(() => {});

export const useAnnounce = (): Announce => useContext(AnnouncerContext);

/** Long enough to read a two-line message; a failure stays until dismissed, as it asks for action. */
export const SHOWN_FOR_MS = 7_000;

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<Announcement | null>(null);
  // While the pointer or focus is on the toast, it stays (WCAG 2.2.2: people read at their own pace).
  const [held, setHeld] = useState(false);
  const nextId = useRef(0);

  // The button that held focus goes with the toast, and a blur is not reported for it: let go here.
  const dismiss = useCallback(() => {
    setCurrent(null);
    setHeld(false);
  }, []);
  const announce = useCallback<Announce>((message, tone = 'success') => {
    setCurrent({ id: ++nextId.current, message, tone });
    setHeld(false);
  }, []);

  useEffect(() => {
    if (!current || current.tone === 'error' || held) return;
    const timer = setTimeout(dismiss, SHOWN_FOR_MS);
    return () => clearTimeout(timer);
  }, [current, held, dismiss]);

  useEffect(() => {
    if (!current) return;
    const onKeyDown = (event: KeyboardEvent) => {
      // Escape belongs to an open dialog or menu first; the toast goes only when nothing else took it.
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      dismiss();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [current, dismiss]);

  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      {/*
        Top centre of the window: on a wide screen that is the empty middle of the header bar, clear of
        the page's actions (Delete, Add at the right of the title; Deploy at the right of each bundle;
        the sticky form footer and the deploy log below), which the old bottom-right corner covered.
      */}
      <div
        className={current ? `toast toast-${current.tone}` : 'toast toast-idle'}
        onMouseEnter={() => setHeld(true)}
        onMouseLeave={() => setHeld(false)}
        onFocus={() => setHeld(true)}
        onBlur={() => setHeld(false)}
      >
        <div role="status" className="toast-message">
          {current && <p key={current.id}>{current.message}</p>}
        </div>
        {current && (
          <button type="button" className="toast-close" aria-label="Dismiss message" title="Dismiss (Escape)" onClick={dismiss}>
            ×
          </button>
        )}
      </div>
    </AnnouncerContext.Provider>
  );
}
