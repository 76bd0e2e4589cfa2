import { type Content, type Deployment, type User, defaultContentSettings } from '@envdesk/domain';
import { aGuid } from '@envdesk/domain/testing';
import type { SelectionCandidate, SelectionExplanation } from './api/explain-selection';
import type { Bundle } from './api/list-bundles';

/**
 * Builders for the content feature's tests, in the domain builders' style (the domain has none for
 * content records, bundles or the selection explainer's answer yet).
 */

const FIXED_TIME = '2026-01-15T10:00:00Z';

export function aContent(owner: User, overrides: Partial<Content> = {}): Content {
  const guid = overrides.guid ?? aGuid();
  return {
    guid,
    id: '1',
    name: 'sales-forecast',
    title: 'Sales forecast',
    description: '',
    ...defaultContentSettings,
    created_time: FIXED_TIME,
    last_deployed_time: null,
    bundle_id: null,
    app_mode: 'unknown',
    content_category: '',
    parameterized: false,
    cluster_name: null,
    default_image_name: null,
    default_environment_guid: null,
    default_r_environment_management: null,
    default_py_environment_management: null,
    environment_guid: null,
    image_name: null,
    r_version: null,
    py_version: null,
    quarto_version: null,
    r_environment_management: null,
    py_environment_management: null,
    needs_rebuild: false,
    owner_guid: owner.guid,
    owner: { guid: owner.guid, username: owner.username, first_name: owner.first_name, last_name: owner.last_name },
    content_url: `http://envdesk.test/content/${guid}/`,
    dashboard_url: `http://envdesk.test/connect/#/apps/${guid}`,
    app_role: 'owner',
    ...overrides,
  };
}

export function aBundle(contentGuid: string, overrides: Partial<Bundle> = {}): Bundle {
  return {
    id: '1',
    content_guid: contentGuid,
    created_time: FIXED_TIME,
    created_by: null,
    environment_guid: null,
    cluster_name: null,
    active: false,
    size: 2048,
    image_name: null,
    r_version: null,
    r_environment_management: null,
    py_version: null,
    py_environment_management: null,
    quarto_version: null,
    metadata: { source: null, source_repo: null, source_branch: null, source_commit: null, archive_md5: '0'.repeat(32), archive_sha1: '0'.repeat(40) },
    build_plan: null,
    manifest_summary: null,
    ...overrides,
  };
}

export function aDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    task_id: 'task-1',
    created_time: FIXED_TIME,
    finished_time: '2026-01-15T10:00:02Z',
    finished: true,
    code: 0,
    error: '',
    output: ['Deploying bundle 1 of "Sales forecast".'],
    ...overrides,
  };
}

const FITS = { in_request: true, matching: true, permitted: true, compatible: true };

/** A candidate as the explainer answers; `checks` and `incompatibilities` follow from the parts given. */
export function aCandidate(
  overrides: Partial<Omit<SelectionCandidate, 'checks'>> & Pick<SelectionCandidate, 'guid'> & { checks?: Partial<SelectionCandidate['checks']> },
): SelectionCandidate {
  const { checks, ...rest } = overrides;
  return {
    name: 'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
    title: null,
    matching: 'any',
    accepted: true,
    rank: 1,
    reasons: [],
    incompatibilities: [],
    installations: [],
    ...rest,
    checks: { ...FITS, ...checks },
  };
}

export function aSelection(candidates: SelectionCandidate[], overrides: Partial<SelectionExplanation> = {}): SelectionExplanation {
  const selected = candidates.find((candidate) => candidate.accepted) ?? null;
  return {
    request: { kind: 'automatic', description: 'automatic selection considers every environment with matching any' },
    bundle: { r: null, python: '3.11.4', quarto: null, rRequires: null, pythonRequires: null },
    environment_management: { r: true, python: true },
    log: [],
    selected_guid: selected?.guid ?? null,
    failure: selected ? null : 'Automatic selection considers every environment with matching any, but none qualifies.',
    candidates,
    ...overrides,
  };
}
