import { type Actor, type Content, appRoleOf, can, clusterNameOf } from '@envdesk/domain';
import { contentSubject } from './content-service.js';
import type { ContentRecord } from './content-store.js';

/**
 * Content in Connect's shape. Runtime fields are null for those without rights to them
 * (Connect: "insufficient rights"); `id` and `bundle_id` are strings.
 */
export function presentContent(record: ContentRecord, actor: Actor, baseUrl: string): Content {
  const { owner } = record;
  const subject = contentSubject(record);
  const privileged = can(actor, 'content:read-runtime', subject);
  const runtime = <T>(value: T): T | null => (privileged ? value : null);
  return {
    guid: record.guid,
    id: String(record.id),
    name: record.name,
    title: record.title,
    description: record.description,
    // With the access list, decides who sees the content: `acl` only those on the list.
    access_type: record.access_type,
    locked: record.locked,
    locked_message: record.locked_message,
    connection_timeout: record.connection_timeout,
    read_timeout: record.read_timeout,
    init_timeout: record.init_timeout,
    idle_timeout: record.idle_timeout,
    max_processes: record.max_processes,
    min_processes: record.min_processes,
    max_conns_per_process: record.max_conns_per_process,
    load_factor: record.load_factor,
    memory_request: record.memory_request,
    memory_limit: record.memory_limit,
    cpu_request: record.cpu_request,
    cpu_limit: record.cpu_limit,
    amd_gpu_limit: record.amd_gpu_limit,
    nvidia_gpu_limit: record.nvidia_gpu_limit,
    // Connect: "Only administrators and publishers can view this value"; the scheduler settings
    // above carry no such rule in its reference, so viewers see them.
    service_account_name: runtime(record.service_account_name),
    run_as: record.run_as,
    run_as_current_user: record.run_as_current_user,
    metrics_collection_enabled: record.metrics_collection_enabled,
    notify_on_share: record.notify_on_share,
    otel_enabled: record.otel_enabled,
    created_time: record.created_time,
    last_deployed_time: record.last_deployed_time,
    bundle_id: record.bundle_id === null ? null : String(record.bundle_id),
    app_mode: record.app_mode,
    content_category: record.content_category,
    parameterized: record.parameterized,
    cluster_name: clusterNameOf(record.image_name),
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
    app_role: appRoleOf(actor, subject),
  };
}
