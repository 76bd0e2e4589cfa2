import type { Environment } from '@envdesk/domain';
import { DateTime } from '../../../components/date-time';
import { CopyButton } from './copy-button';

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
          <DateTime value={environment.created_time} />
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>
          <DateTime value={environment.updated_time} />
        </dd>
      </div>
    </dl>
  );
}
