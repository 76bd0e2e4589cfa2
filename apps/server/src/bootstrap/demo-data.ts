import {
  type CreateEnvironmentInput,
  type UserRole,
  environmentChange,
  environmentPermissionChange,
  groupChange,
  groupMemberChange,
  userChange,
} from '@envdesk/domain';
import { hashPassword } from '../auth/secrets.js';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import { fieldsForCreate } from '../environments/environments-service.js';

const install = (language: 'python' | 'R' | 'quarto', version: string) => ({
  installations: [
    {
      version,
      path:
        language === 'python'
          ? `/opt/python/${version}/bin/python3`
          : language === 'R'
            ? `/opt/R/${version}/bin/R`
            : `/opt/quarto/${version}/bin/quarto`,
    },
  ],
});

/** Environments from the seed documents' own examples. */
export const DEMO_ENVIRONMENTS: CreateEnvironmentInput[] = [
  {
    name: 'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
    title: 'R 4.4 / Python 3.11',
    description: 'The default runtime for R and Python content.',
    matching: 'any',
    python: install('python', '3.11.3'),
    r: install('R', '4.4.2'),
    quarto: install('quarto', '1.5.57'),
  },
  {
    name: 'ghcr.io/my-org/connect-runtime:r4.3-py3.10',
    title: 'R 4.3 / Python 3.10',
    description: 'The previous runtime, kept for content that has not moved yet.',
    matching: 'any',
    python: install('python', '3.10.12'),
    r: install('R', '4.3.3'),
  },
  {
    name: 'registry.example.com/image-classifier:jammy',
    title: 'Custom image classifier',
    description: 'My custom image classifier environment',
    matching: 'exact',
    python: install('python', '3.9.14'),
    r: install('R', '4.2.3'),
  },
  {
    name: 'rstudio/content-base:r3.6.3-py3.8.8-jammy',
    title: 'Content base R 3.6.3 / Python 3.8.8',
    description: 'Posit content-base image (Ubuntu 22.04).',
    python: install('python', '3.8.8'),
    r: install('R', '3.6.3'),
    quarto: install('quarto', '1.3.450'),
  },
  {
    name: 'rstudio/content-base:r4.0.5-py3.8.8-jammy',
    title: 'Content base R 4.0.5 / Python 3.8.8',
    description: 'Posit content-base image (Ubuntu 22.04).',
    python: install('python', '3.8.8'),
    r: install('R', '4.0.5'),
    quarto: install('quarto', '1.3.450'),
  },
  {
    name: 'rstudio/content-base:r4.1.0-py3.9.2-jammy',
    title: 'Content base R 4.1.0 / Python 3.9.2',
    description: 'Posit content-base image (Ubuntu 22.04).',
    python: install('python', '3.9.2'),
    r: install('R', '4.1.0'),
    quarto: install('quarto', '1.3.450'),
  },
  {
    name: 'my-org/content-base:r4.1-py3.10',
    title: 'Legacy bootstrap image',
    description: 'Created by the legacy launcher runtime YAML; one Python, one R and one Quarto.',
    supervisor: '/usr/local/bin/supervisor.sh',
    python: install('python', '3.10.4'),
    r: install('R', '4.1.3'),
    quarto: install('quarto', '1.0.38'),
  },
  {
    name: 'ghcr.io/my-org/gpu-runtime:py3.11-cuda12',
    title: 'GPU training (Python 3.11)',
    description: 'CUDA 12 image with shared model storage mounted.',
    python: install('python', '3.11.9'),
    volume_mounts: [
      { source: { volume_type: 'pvc', pvc_name: 'shared-models' }, target: { path: '/mnt/models', read_only: true } },
      {
        source: { volume_type: 'nfs', nfs_host: 'nas.example.org', nfs_export_path: '/exports/scratch' },
        target: { path: '/mnt/scratch', read_only: false },
      },
    ],
  },
  {
    name: 'rstudio/content-base:r3.5.3-py3.7.10-bionic',
    title: 'R 3.5 (retired)',
    description: 'Disabled: never selected. Kept so old deployments can be inspected.',
    matching: 'none',
    python: install('python', '3.7.10'),
    r: install('R', '3.5.3'),
  },
];

/** Demo people: passwords are fixed and printed in the README, as this is only for trying envdesk out. */
export const DEMO_USERS: Array<{ username: string; password: string; role: UserRole; first: string; last: string }> = [
  { username: 'pat', password: 'publisher-demo', role: 'publisher', first: 'Pat', last: 'Publisher' },
  { username: 'dana', password: 'publisher-demo', role: 'publisher', first: 'Dana', last: 'Data' },
  { username: 'vic', password: 'viewer-demo', role: 'viewer', first: 'Vic', last: 'Viewer' },
];

/** Fills an empty database with environments, people, a group and two permissions, in one transaction. */
export async function addDemoData(store: Store, clock: Clock): Promise<void> {
  const now = timestamp(clock);
  const hashes = await Promise.all(DEMO_USERS.map((user) => hashPassword(user.password)));
  await store.transaction(async (tx) => {
    const environments = [];
    for (const input of DEMO_ENVIRONMENTS) environments.push(await tx.environments.insert(newGuid(), fieldsForCreate(input), now));
    const users = [];
    for (const [index, user] of DEMO_USERS.entries()) {
      users.push(
        await tx.users.insert(
          newGuid(),
          { username: user.username, email: `${user.username}@example.org`, first_name: user.first, last_name: user.last, user_role: user.role },
          hashes[index] ?? null,
          now,
        ),
      );
    }
    const [pat, dana] = users;
    const group = await tx.groups.insert(newGuid(), 'data-science', null, now);
    if (pat) await tx.groups.addMember(group.id, pat);
    const classifier = environments.find((environment) => environment.name.includes('image-classifier'));
    const gpu = environments.find((environment) => environment.name.includes('gpu-runtime'));
    if (classifier) await tx.environments.insertPermission(newGuid(), classifier.guid, { user_guid: null, group_guid: group.group.guid }, now);
    if (gpu && dana) await tx.environments.insertPermission(newGuid(), gpu.guid, { user_guid: dana.user.guid, group_guid: null }, now);
    await tx.audit.append(
      { kind: 'system' },
      [
        ...environments.map((environment) => environmentChange('add', null, environment)),
        ...users.map((user) => userChange('add', null, user.user, { passwordSet: true })),
        groupChange('add', group.group),
        ...(pat ? [groupMemberChange('addMember', group.group, pat.user)] : []),
        ...(classifier ? [environmentPermissionChange('addPermission', classifier, { user_guid: null, group_guid: group.group.guid }, group.group.name)] : []),
        ...(gpu && dana ? [environmentPermissionChange('addPermission', gpu, { user_guid: dana.user.guid, group_guid: null }, dana.user.username)] : []),
      ],
      now,
    );
  });
}
