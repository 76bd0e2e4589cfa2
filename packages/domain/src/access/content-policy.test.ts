import { describe, expect, it } from 'vitest';
import { anActor } from '../testing/builders.js';
import type { UserRole } from '../users/user-schemas.js';
import { type ContentSubject, appRoleOf, can, subjectSeenBy } from './can.js';

const content = (overrides: Partial<ContentSubject> = {}): ContentSubject => ({ owner_guid: 'someone-else', access_type: 'acl', permissions: [], ...overrides });

describe("a content item's app_role", () => {
  const pat = anActor({ role: 'publisher', groupGuids: ['g-editors'] });

  it.each([
    ['owner', content({ owner_guid: pat.guid })],
    ['editor', content({ permissions: [{ principal_type: 'user', principal_guid: pat.guid, role: 'owner' }] })],
    ['editor', content({ permissions: [{ principal_type: 'group', principal_guid: 'g-editors', role: 'owner' }, { principal_type: 'user', principal_guid: pat.guid, role: 'viewer' }] })],
    ['viewer', content({ permissions: [{ principal_type: 'group', principal_guid: 'g-editors', role: 'viewer' }] })],
    ['viewer', content({ access_type: 'logged_in' })],
    ['none', content({ permissions: [{ principal_type: 'user', principal_guid: 'g-editors', role: 'owner' }] })],
  ] as const)('is %s for %j', (role, subject) => {
    expect(appRoleOf(pat, subject)).toBe(role);
  });

  it('is none for an administrator it is not shared with, who still manages it', () => {
    const admin = anActor({ role: 'administrator' });
    expect(appRoleOf(admin, content())).toBe('none');
    expect(can(admin, 'content:update', content())).toBe(true);
  });

  it.each<[UserRole, 'owner' | 'editor' | 'viewer' | 'none']>([
    ['publisher', 'editor'],
    ['publisher', 'viewer'],
    ['publisher', 'none'],
    ['viewer', 'viewer'],
  ])('rebuilt by a client from the record (a %s seeing %s), allows what the server allowed', (role, app_role) => {
    const actor = anActor({ role });
    const subject = subjectSeenBy(actor, { owner_guid: 'someone-else', access_type: 'acl', app_role });
    expect(appRoleOf(actor, subject)).toBe(app_role);
    expect(can(actor, 'content:update', subject)).toBe(role === 'publisher' && app_role === 'editor');
  });
});
