import { type Candidate, type Environment, LOCAL_NAME, type SelectionResult, isLocal } from '@envdesk/domain';

/**
 * What the build step hands to Kubernetes. envdesk starts no container: it records this plan on
 * the bundle, so an operator can see exactly what would run.
 */
export function buildPlan(environment: Environment, selected: Candidate, selection: SelectionResult) {
  return {
    cluster_name: environment.cluster_name,
    image: environment.name,
    environment_guid: isLocal(environment) ? null : environment.guid,
    supervisor: environment.supervisor,
    installations: selected.installations,
    volume_mounts: environment.volume_mounts,
    restore_packages: { r: selection.environmentManagement.r, python: selection.environmentManagement.python },
  };
}

/** The log lines that describe the plan, after the selection's own lines. */
export function buildPlanLog(plan: ReturnType<typeof buildPlan>): string[] {
  const mounts = plan.volume_mounts.map((mount) => {
    const source = mount.source.volume_type === 'nfs' ? `nfs ${mount.source.nfs_host}:${mount.source.nfs_export_path}` : `pvc ${mount.source.pvc_name}`;
    return `${source} at ${mount.target.path}${mount.target.read_only ? ' (read-only)' : ''}`;
  });
  if (plan.cluster_name === LOCAL_NAME) {
    return ["Building content with the server's own installations (local execution).", 'envdesk starts no process: the build plan is recorded on the bundle.'];
  }
  return [
    `Building content in image ${plan.image}${plan.supervisor ? ` with the supervisor ${plan.supervisor}` : ''}.`,
    mounts.length > 0 ? `Mounting ${mounts.join('; ')}.` : 'No volumes are mounted.',
    'envdesk starts no container: the build plan is recorded on the bundle.',
  ];
}

const APP_MODE_LABELS: Record<string, string> = {
  shiny: 'Shiny application',
  'rmd-shiny': 'Shiny document',
  'quarto-shiny': 'Shiny document',
  'python-shiny': 'Shiny application',
  'python-dash': 'Dash application',
  'python-streamlit': 'Streamlit application',
  'python-bokeh': 'Bokeh application',
  'python-panel': 'Panel application',
  'python-gradio': 'Gradio application',
  'python-fastapi': 'FastAPI application',
  'python-api': 'Flask API',
  api: 'Plumber API',
  'rmd-static': 'R Markdown document',
  'quarto-static': 'Quarto document',
  'jupyter-static': 'Jupyter notebook',
  'jupyter-voila': 'Voila application',
  static: 'static content',
};

/** Connect's last deploy line, e.g. "Launching Shiny application...". */
export const launchLine = (appMode: string | undefined) => `Launching ${APP_MODE_LABELS[appMode ?? ''] ?? 'content'}...`;
