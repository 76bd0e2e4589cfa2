import { type ReactNode, useEffect } from 'react';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · envdesk`;
  }, [title]);
}

/** A page of the signed-in app: its title in the tab and as the one level-1 heading. */
export function Page({ title, children }: { title: string; children?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <>
      <h1>{title}</h1>
      {children}
    </>
  );
}
