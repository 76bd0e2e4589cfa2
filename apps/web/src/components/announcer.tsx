import { type ReactNode, createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';

/**
 * Tells people what just happened ("Environment saved."), visibly as a toast and to screen readers
 * through live regions that exist before anything is announced (a region added together with its
 * text is often not read). Failures go to an assertive region, everything else to a polite one.
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

const SHOWN_FOR_MS = 7_000;

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const nextId = useRef(0);

  const dismiss = useCallback((id: number) => setAnnouncements((list) => list.filter((item) => item.id !== id)), []);
  const announce = useCallback<Announce>(
    (message, tone = 'success') => {
      const id = ++nextId.current;
      setAnnouncements((list) => [...list.slice(-2), { id, message, tone }]);
      setTimeout(() => dismiss(id), SHOWN_FOR_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => announce, [announce]);

  const region = (tones: readonly Tone[]) =>
    announcements
      .filter((item) => tones.includes(item.tone))
      .map((item) => (
        <div key={item.id} className={`toast toast-${item.tone}`}>
          <p>{item.message}</p>
          <button type="button" className="toast-close" aria-label="Dismiss message" onClick={() => dismiss(item.id)}>
            ×
          </button>
        </div>
      ));

  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div className="toasts">
        <div role="status" aria-live="polite">
          {region(['success', 'info'])}
        </div>
        {/* Not role="alert": an always-present, empty alert would count as one on every page. */}
        <div aria-live="assertive">{region(['error'])}</div>
      </div>
    </AnnouncerContext.Provider>
  );
}
