import { type Actor, LEGACY_APP_MODE_ORDINALS, type LegacyApplication } from '@envdesk/domain';
import { presentContent } from '../content/content-presenter.js';
import type { ContentRecord } from '../content/content-store.js';

/** Content as Connect's unversioned applications API shows it (see LegacyApplicationSchema). */
export function presentLegacyApplication(record: ContentRecord, actor: Actor, baseUrl: string): LegacyApplication {
  const content = presentContent(record, actor, baseUrl);
  return {
    ...content,
    id: record.id,
    bundle_id: record.bundle_id,
    app_mode: LEGACY_APP_MODE_ORDINALS[record.app_mode] ?? 0,
    last_deployed_time: record.last_deployed_time ?? record.created_time,
    url: content.content_url,
    build_status: record.bundle_id === null ? 0 : 2,
    has_parameters: record.parameterized,
    is_scheduled: false,
    owner_username: record.owner.username,
    owner_first_name: record.owner.first_name,
    owner_last_name: record.owner.last_name,
  };
}
