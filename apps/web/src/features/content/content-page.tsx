import { ApiError, type Content, ErrorCode, type User } from '@envdesk/domain';
import { LoadError } from '../../components/load-error';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/dialog';
import { Page } from '../../components/page';
import { contentSubjectFor, offers } from '../../lib/access';
import { errorMessage } from '../../lib/api-client';
import { useDeleteContent } from './api/delete-content';
import { useContent } from './api/get-content';
import { BundlesSection } from './components/bundles-section';
import { DateTime } from '../../components/date-time';
import { DeployHistory } from './components/deploy-history';
import { RebuildBadge } from './components/rebuild-badge';
import { RuntimeSection } from './components/runtime-section';
import { contentTitle, ownerName } from './content-list';
import { useDeploy } from './use-deploy';
import './content.css';

function BackLink() {
  return (
    <Link to="/content" className="back-link">
      <span aria-hidden="true">← </span>Content
    </Link>
  );
}

/** `/content/{guid}`: one content item, its Runtime settings, bundles and deploys. */
export function ContentPage({ user, guid }: { user: User; guid: string }) {
  const content = useContent(guid);

  if (content.error instanceof ApiError && (content.error.code === ErrorCode.ObjectDoesNotExist || content.error.status === 404)) {
    return (
      <>
        <BackLink />
        <Page title="Content not found">
          <p>There is no content with this GUID. It may have been deleted.</p>
        </Page>
      </>
    );
  }
  if (content.isError && !content.data) {
    return (
      <>
        <BackLink />
        <Page title="Content">
          <LoadError what="The content" error={content.error} onRetry={() => void content.refetch()} panel />
        </Page>
      </>
    );
  }
  if (!content.data) {
    return (
      <>
        <BackLink />
        <Page title="Content">
          <p role="status" className="muted">
            Loading the content…
          </p>
        </Page>
      </>
    );
  }
  // Owners, collaborators and administrators may change it (PRODUCT.md §2), as its `app_role` tells.
  const manages = offers(user, 'content:update', contentSubjectFor(user, content.data));
  return manages ? <ManagedContent content={content.data} user={user} /> : <ReadOnlyContent content={content.data} />;
}

function Summary({ content }: { content: Content }) {
  const running = [content.py_version && `Python ${content.py_version}`, content.r_version && `R ${content.r_version}`, content.quarto_version && `Quarto ${content.quarto_version}`]
    .filter(Boolean)
    .join(', ');
  return (
    <dl className="summary">
      <div>
        <dt>Name</dt>
        <dd className="mono">{content.name}</dd>
      </div>
      <div>
        <dt>Owner</dt>
        <dd>
          {ownerName(content.owner)} <span className="muted">({content.owner.username})</span>
        </dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd>{content.app_mode === 'unknown' ? <span className="muted">Known after the first deploy</span> : content.app_mode}</dd>
      </div>
      <div>
        <dt>Last deployed</dt>
        <dd>
          {content.last_deployed_time ? (
            <DateTime value={content.last_deployed_time} />
          ) : (
            <span className="muted">Never</span>
          )}
        </dd>
      </div>
      {content.image_name && (
        <div className="summary-wide">
          <dt>Last built in</dt>
          <dd>
            <span className="mono">{content.image_name}</span>
            {running && <span className="muted"> with {running}</span>}
          </dd>
        </div>
      )}
    </dl>
  );
}

function ReadOnlyContent({ content }: { content: Content }) {
  return (
    <>
      <BackLink />
      <Page title={contentTitle(content)} lead={content.description || undefined}>
        <Summary content={content} />
        <p className="notice">Only the content&rsquo;s owner, its collaborators and administrators can see and change its runtime, bundles and deploys.</p>
      </Page>
    </>
  );
}

function ManagedContent({ content, user }: { content: Content; user: User }) {
  const deploy = useDeploy(content);
  const deletion = useDeleteContent();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const title = contentTitle(content);

  return (
    <>
      <BackLink />
      <Page
        title={title}
        lead={
          content.needs_rebuild || content.description ? (
            <span className="content-lead">
              {content.description && <span>{content.description}</span>}
              {content.needs_rebuild && <RebuildBadge />}
            </span>
          ) : undefined
        }
        actions={
          <button type="button" className="button button-quiet-danger" onClick={() => setConfirmingDelete(true)}>
            Delete content…
          </button>
        }
      >
        <div className="content-sections">
          <Summary content={content} />
          <RuntimeSection content={content} />
          <BundlesSection content={content} deploy={deploy} />
          <DeployHistory content={content} deploy={deploy} user={user} />
        </div>
      </Page>
      {confirmingDelete && (
        <ConfirmDialog
          title={`Delete “${title}”?`}
          confirmLabel="Delete content"
          busyLabel="Deleting…"
          busy={deletion.isPending}
          error={deletion.isError ? `Not deleted. ${errorMessage(deletion.error)}` : null}
          onCancel={() => {
            deletion.reset();
            setConfirmingDelete(false);
          }}
          onConfirm={() =>
            deletion.mutate(content.guid, {
              onSuccess: () => {
                setConfirmingDelete(false);
                announce(`Deleted “${title}”.`);
                void navigate({ to: '/content' });
              },
            })
          }
        >
          <p>
            <span className="mono">{content.name}</span> is deleted with its bundles and deploy history. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
