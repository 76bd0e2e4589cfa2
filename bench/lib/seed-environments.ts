import { type CreateEnvironmentInput, CreateEnvironmentInputSchema } from '@envdesk/domain';
import { newGuid, systemClock, timestamp } from '../../apps/server/src/clock.js';
import type { DatabaseConnection } from '../../apps/server/src/db/database.js';
import { createStore } from '../../apps/server/src/db/store.js';
import { fieldsForCreate } from '../../apps/server/src/environments/environments-service.js';

const registries = ['ghcr.io/acme', 'registry.example.com/data-science', 'quay.io/analytics', 'docker.io/rstudio'];
const families = ['runtime', 'notebook', 'shiny', 'api', 'batch', 'gpu-runtime'];
const teams = ['Finance', 'Clinical', 'Marketing', 'Research', 'Platform', 'Risk', 'Supply Chain'];
const purposes = ['reporting', 'modelling', 'dashboards', 'ETL', 'notebooks', 'APIs'];
const pythonVersions = ['3.8.18', '3.9.19', '3.10.14', '3.11.9', '3.12.4', '3.13.0'];
const rVersions = ['4.1.3', '4.2.3', '4.3.3', '4.4.1'];
const quartoVersions = ['1.3.450', '1.4.557', '1.5.57'];

/** The `n`th item of `list`, wrapping around; deterministic so every run seeds the same store. */
function pick<T>(list: readonly T[], n: number): T {
  const item = list[n % list.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** `count` consecutive versions from `versions`, starting at the `n`th. */
const installations = (versions: readonly string[], n: number, count: number, path: (version: string) => string) => ({
  installations: Array.from({ length: count }, (_, offset) => pick(versions, n + offset)).map((version) => ({
    version,
    path: path(version),
  })),
});

/** A create body like the ones a site with many images would hold: varied languages, matching and mounts. */
export function environmentInput(n: number): CreateEnvironmentInput {
  const python = pick(pythonVersions, n);
  const r = pick(rVersions, n >> 1);
  const input: CreateEnvironmentInput = {
    name: `${pick(registries, n)}/${pick(families, n >> 2)}-${n}:r${r.slice(0, 3)}-py${python.split('.').slice(0, 2).join('.')}`,
    title: `${pick(teams, n)} ${pick(purposes, n >> 3)} #${n}`,
    description: n % 3 === 0 ? null : `Rebuilt nightly for the ${pick(teams, n)} team.`,
    matching: n % 11 === 0 ? 'none' : n % 7 === 0 ? 'exact' : 'any',
    supervisor: n % 5 === 0 ? '/opt/supervisors/run-with-proxy.sh' : null,
    python: installations(pythonVersions, n, n % 4, (version) => `/opt/python/${version}/bin/python3`),
    r: installations(rVersions, n >> 1, (n >> 2) % 3, (version) => `/opt/R/${version}/bin/R`),
    quarto: installations(quartoVersions, n, n % 2, (version) => `/opt/quarto/${version}/bin/quarto`),
  };
  if (n % 4 === 0) {
    input.volume_mounts = [
      n % 8 === 0
        ? { source: { volume_type: 'nfs', nfs_host: 'files.example.com', nfs_export_path: `/exports/team-${n % 13}` }, target: { path: '/mnt/shared', read_only: true } }
        : { source: { volume_type: 'pvc', pvc_name: `cache-${n % 17}` }, target: { path: '/mnt/cache', read_only: false } },
    ];
  }
  return input;
}

/** Inserts `count` environments in one transaction, each body validated as the API would. */
export async function seedEnvironments(connection: DatabaseConnection, count: number): Promise<void> {
  const store = createStore(connection);
  const now = timestamp(systemClock);
  await store.transaction(async (tx) => {
    for (let n = 1; n <= count; n += 1) {
      const input = CreateEnvironmentInputSchema.parse(environmentInput(n));
      await tx.environments.insert(newGuid(), fieldsForCreate(input), now);
    }
  });
}
