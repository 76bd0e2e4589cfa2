import type { Actor } from '../access/can.js';
import type { CreateEnvironmentInput, Environment } from '../environments/environment-schemas.js';
import type { User } from '../users/user-schemas.js';

const FIXED_TIME = '2026-01-15T10:00:00Z';
let counter = 0;
const nextId = () => ++counter;
/** Deterministic v4-shaped GUIDs, so failures read the same on every run. */
export const aGuid = (n = nextId()): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function aCreateEnvironmentInput(overrides: Partial<CreateEnvironmentInput> = {}): CreateEnvironmentInput {
  return {
    name: 'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
    cluster_name: 'Kubernetes',
    title: 'R 4.4 / Python 3.11',
    description: null,
    matching: 'any',
    supervisor: null,
    python: { installations: [{ version: '3.11.3', path: '/opt/python/3.11.3/bin/python3' }] },
    r: { installations: [{ version: '4.4.2', path: '/opt/R/4.4.2/bin/R' }] },
    quarto: { installations: [] },
    volume_mounts: [],
    ...overrides,
  };
}

export function anEnvironment(overrides: Partial<Environment> = {}): Environment {
  const n = nextId();
  return {
    id: String(n),
    guid: aGuid(n),
    created_time: FIXED_TIME,
    updated_time: FIXED_TIME,
    title: 'R 4.4 / Python 3.11',
    description: null,
    cluster_name: 'Kubernetes',
    name: 'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
    environment_type: 'Kubernetes',
    matching: 'any',
    supervisor: null,
    managed_by: null,
    python: { installations: [{ version: '3.11.3', path: '/opt/python/3.11.3/bin/python3' }] },
    quarto: { installations: [] },
    r: { installations: [{ version: '4.4.2', path: '/opt/R/4.4.2/bin/R' }] },
    tensorflow: { installations: [] },
    nodejs: { installations: [] },
    volume_mounts: [],
    ...overrides,
  };
}

export function aUser(overrides: Partial<User> = {}): User {
  const n = nextId();
  return {
    guid: aGuid(n),
    username: `user${n}`,
    email: `user${n}@example.org`,
    first_name: 'Test',
    last_name: `User ${n}`,
    user_role: 'publisher',
    created_time: FIXED_TIME,
    updated_time: FIXED_TIME,
    active_time: null,
    confirmed: true,
    locked: false,
    ...overrides,
  };
}

export function anActor(overrides: Partial<Actor> = {}): Actor {
  return { guid: aGuid(), role: 'publisher', groupGuids: [], ...overrides };
}

// Imported here, not at the top, so that builders for selection stay one appended block.
import type { Manifest } from '../selection/manifest-schema.js';

/**
 * A bundle's manifest.json as rsconnect-python writes it for a Python app; override `platform`,
 * `python`, `quarto` or `environment` for other bundles (`python: null` for an R-only bundle).
 */
export function aManifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    version: 1,
    locale: 'en_US.UTF-8',
    metadata: { appmode: 'python-shiny', entrypoint: 'app' },
    python: {
      version: '3.11.3',
      package_manager: { name: 'pip', version: '23.0.1', package_file: 'requirements.txt' },
    },
    files: { 'app.py': { checksum: 'f7e4b3b7ff0ada525ec388d037ff6c6a' }, 'requirements.txt': { checksum: 'c82f1a9894e5510b2f0c16fa63aaa004' } },
    ...overrides,
  };
}
export * from './image-trees.js';
