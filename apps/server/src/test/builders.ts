import type { CreateEnvironmentInput, Environment, EnvironmentPermission, UserRole } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { type Clock, newGuid, rfc3339, systemClock } from '../clock.js';
import type { ContentRecord } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import { fieldsForCreate } from '../environments/environments-service.js';
import type { GroupRecord } from '../users/groups-store.js';
import type { UserRecord } from '../users/users-store.js';

/**
 * Records written straight into a test's database, each creating the records it hangs from when
 * the test does not name them (content without an owner gets a new publisher, a permission
 * without an environment or group gets both), so a test states only what it is about and sets up
 * in milliseconds instead of through HTTP.
 */
export function databaseBuilders(store: Store, clock: Clock = systemClock) {
  let counter = 0;
  const now = () => rfc3339(clock.now());

  async function aUser(overrides: { role?: UserRole; username?: string; locked?: boolean } = {}): Promise<UserRecord> {
    const role = overrides.role ?? 'publisher';
    const username = overrides.username ?? `built-${role}-${++counter}`;
    const record = await store.users.insert(
      newGuid(),
      { username, email: `${username}@example.org`, first_name: username, last_name: 'Built', user_role: role },
      null,
      now(),
    );
    if (overrides.locked) await store.users.setLocked(record.user.guid, true);
    return record;
  }

  async function anEnvironment(overrides: Partial<CreateEnvironmentInput> = {}): Promise<Environment> {
    return store.environments.insert(newGuid(), fieldsForCreate(aCreateEnvironmentInput(overrides)), now());
  }

  async function aGroup(overrides: { name?: string; members?: readonly UserRecord[] } = {}): Promise<GroupRecord> {
    const group = await store.groups.insert(newGuid(), overrides.name ?? `built-group-${++counter}`, null, now());
    for (const member of overrides.members ?? []) await store.groups.addMember(group.id, member);
    return group;
  }

  /** A group granted use of an environment; both are created when not given. */
  async function anEnvironmentPermission(overrides: { environment?: Environment; group?: GroupRecord } = {}): Promise<EnvironmentPermission> {
    const environment = overrides.environment ?? (await anEnvironment());
    const group = overrides.group ?? (await aGroup());
    return store.environments.insertPermission(newGuid(), environment.guid, { user_guid: null, group_guid: group.group.guid }, now());
  }

  /** Content owned by `owner`, or by a new publisher when none is given. */
  async function aContent(overrides: { owner?: UserRecord; name?: string } = {}): Promise<ContentRecord> {
    const owner = overrides.owner ?? (await aUser({ role: 'publisher' }));
    const guid = newGuid();
    await store.content.insert(guid, owner.id, overrides.name ?? `built-content-${++counter}`, {}, now());
    return (await store.content.findByGuid(guid))!;
  }

  return { aUser, anEnvironment, aGroup, anEnvironmentPermission, aContent };
}
