import { type Actor, type Content, appRoleOf, can } from '@envdesk/domain';
import type { ContentRecord } from './content-store.js';

/**
 * Content in Connect's shape. Runtime fields are null for those without rights to them
 * (Connect: "insufficient rights"); `id` and `bundle_id` are strings.
 */
export function presentContent(record: ContentRecord, actor: Actor, baseUrl: string): Content {
  const { owner } = record;
  const privileged = can(actor, 'content:read-runtime', { owner_guid: owner.guid });
  const runtime = <T>(value: T): T | null => (privileged ? value : null);
  return {
    guid: record.guid,
    id: String(record.id),
    name: record.name,
    title: record.title,
    description: record.description,
    access_type: 'acl',
    locked: false,
    locked_message: '',
    created_time: record.created_time,
    last_deployed_time: record.last_deployed_time,
    bundle_id: record.bundle_id === null ? null : String(record.bundle_id),
    app_mode: record.app_mode,
    content_category: record.content_category,
    parameterized: record.parameterized,
    cluster_name: record.image_name === null ? null : 'Kubernetes',
    default_image_name: runtime(record.default_image_name),
    default_environment_guid: runtime(record.default_environment_guid),
    default_r_environment_management: runtime(record.default_r_environment_management),
    default_py_environment_management: runtime(record.default_py_environment_management),
    environment_guid: runtime(record.environment_guid),
    image_name: runtime(record.image_name),
    r_version: runtime(record.r_version),
    py_version: runtime(record.py_version),
    quarto_version: runtime(record.quarto_version),
    r_environment_management: runtime(record.r_environment_management),
    py_environment_management: runtime(record.py_environment_management),
    needs_rebuild: record.needs_rebuild,
    owner_guid: owner.guid,
    owner: { guid: owner.guid, username: owner.username, first_name: owner.first_name, last_name: owner.last_name },
    content_url: `${baseUrl}/content/${record.guid}/`,
    dashboard_url: `${baseUrl}/connect/#/apps/${record.guid}`,
    app_role: appRoleOf(actor, { owner_guid: owner.guid }),
  };
}
