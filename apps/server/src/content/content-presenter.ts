import { type Actor, type Content, appRoleOf, can } from '@envdesk/domain';
import type { ContentRecord } from './content-store.js';

const bool = (value: number | null) => (value === null ? null : value === 1);

/**
 * Content in Connect's shape. Runtime fields are null for those without rights to them
 * (Connect: "insufficient rights"); `id` and `bundle_id` are strings.
 */
export function presentContent(record: ContentRecord, actor: Actor, baseUrl: string): Content {
  const { row, owner } = record;
  const privileged = can(actor, 'content:read-runtime', { owner_guid: owner.guid });
  const runtime = <T>(value: T): T | null => (privileged ? value : null);
  return {
    guid: row.guid,
    id: String(row.id),
    name: row.name,
    title: row.title,
    description: row.description,
    access_type: 'acl',
    locked: false,
    locked_message: '',
    created_time: row.created_time,
    last_deployed_time: row.last_deployed_time,
    bundle_id: row.bundle_id === null ? null : String(row.bundle_id),
    app_mode: row.app_mode,
    content_category: row.content_category,
    parameterized: row.parameterized === 1,
    cluster_name: row.image_name === null ? null : 'Kubernetes',
    default_image_name: runtime(row.default_image_name),
    default_environment_guid: runtime(row.default_environment_guid),
    default_r_environment_management: runtime(bool(row.default_r_environment_management)),
    default_py_environment_management: runtime(bool(row.default_py_environment_management)),
    environment_guid: runtime(row.environment_guid),
    image_name: runtime(row.image_name),
    r_version: runtime(row.r_version),
    py_version: runtime(row.py_version),
    quarto_version: runtime(row.quarto_version),
    r_environment_management: runtime(bool(row.r_environment_management)),
    py_environment_management: runtime(bool(row.py_environment_management)),
    needs_rebuild: row.needs_rebuild === 1,
    owner_guid: owner.guid,
    owner: { guid: owner.guid, username: owner.username, first_name: owner.first_name, last_name: owner.last_name },
    content_url: `${baseUrl}/content/${row.guid}/`,
    dashboard_url: `${baseUrl}/connect/#/apps/${row.guid}`,
    app_role: appRoleOf(actor, { owner_guid: owner.guid }),
  };
}
