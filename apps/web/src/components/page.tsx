import { type ReactNode, useEffect } from 'react';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · envdesk`;
  }, [title]);
}

export interface PageProps {
  title: string;
  /** Shown under the title. */
  lead?: ReactNode;
  /** The page's main actions, beside the title ("Add environment"). */
  actions?: ReactNode;
  children?: ReactNode;
}

/** A page of the signed-in app: its title in the tab and as the one level-1 heading. */
export function Page({ title, lead, actions, children }: PageProps) {
  useDocumentTitle(title);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          {lead && <p className="page-lead">{lead}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
