import { describe, expect, it } from 'vitest';
import { anActor } from '../testing/builders.js';
import { type Action, ALL_ACTIONS, can, isPermittedToUse } from './can.js';

const admin = anActor({ role: 'administrator' });
const publisher = anActor({ role: 'publisher', groupGuids: ['g-analysts'] });
const viewer = anActor({ role: 'viewer' });

describe('can (role level)', () => {
  const expected: Record<Action, [admin: boolean, publisher: boolean, viewer: boolean]> = {
    'session:own': [true, true, true],
    'environments:read': [true, true, false],
    'environments:write': [true, false, false],
    'environment-permissions:manage': [true, false, false],
    'users:read': [true, true, false],
    'users:write': [true, false, false],
    'groups:read': [true, true, false],
    'groups:write': [true, false, false],
    'content:read': [true, true, true],
    'content:write': [true, true, false],
    'tasks:read': [true, true, true],
    'system:manage': [true, false, false],
  };

  it('has an expectation for every action', () => {
    expect(Object.keys(expected).sort()).toEqual([...ALL_ACTIONS].sort());
  });

  it.each(ALL_ACTIONS)('%s', (action) => {
    expect([can(admin, action), can(publisher, action), can(viewer, action)]).toEqual(expected[action]);
    expect(can(null, action)).toBe(false);
  });
});

describe('environment permissions', () => {
  const toUser = (guid: string) => ({ user_guid: guid, group_guid: null });
  const toGroup = (guid: string) => ({ user_guid: null, group_guid: guid });

  it('lets every publisher use an environment without entries', () => {
    expect(isPermittedToUse(publisher, [])).toBe(true);
  });
  it('needs a direct or group grant once entries exist', () => {
    expect(isPermittedToUse(publisher, [toUser('someone-else')])).toBe(false);
    expect(isPermittedToUse(publisher, [toUser(publisher.guid)])).toBe(true);
    expect(isPermittedToUse(publisher, [toGroup('g-analysts')])).toBe(true);
    expect(isPermittedToUse(publisher, [toGroup('g-other')])).toBe(false);
  });
  it('always lets administrators and never viewers', () => {
    expect(isPermittedToUse(admin, [toUser('someone-else')])).toBe(true);
    expect(isPermittedToUse(viewer, [])).toBe(false);
    expect(isPermittedToUse(viewer, [toUser(viewer.guid)])).toBe(false);
  });
  it('answers reads of one environment with its grants', () => {
    expect(can(publisher, 'environments:read', { grants: [toUser('x')] })).toBe(false);
    expect(can(publisher, 'environments:read', { grants: [] })).toBe(true);
  });
});
