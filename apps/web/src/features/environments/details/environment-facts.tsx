import type { Environment } from '@envdesk/domain';
import { CopyButton } from './copy-button';

const timeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** The environment's GUID (with a copy button: the API, rsconnect and the file name it) and when it was made and changed. */
export function EnvironmentFacts({ environment }: { environment: Environment }) {
  return (
    <dl className="environment-facts">
      <div>
        <dt>GUID</dt>
        <dd>
          <span className="mono">{environment.guid}</span> <CopyButton text={environment.guid} what="GUID" />
        </dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>
          <time dateTime={environment.created_time}>{timeFormat.format(new Date(environment.created_time))}</time>
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>
          <time dateTime={environment.updated_time}>{timeFormat.format(new Date(environment.updated_time))}</time>
        </dd>
      </div>
    </dl>
  );
}
