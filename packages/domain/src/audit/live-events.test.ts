import { describe, expect, it } from 'vitest';
import { anActor } from '../testing/builders.js';
import { canSeeEvent } from './live-events.js';

const environmentEvent = (changes: Array<{ field: string; before: unknown; after: unknown }> = []) => ({ subject_type: 'environment' as const, changes });

describe('who is told of a change on the event stream', () => {
  const admin = anActor({ role: 'administrator' });
  const publisher = anActor({ role: 'publisher', guid: 'pub', groupGuids: ['g-analysts'] });
  const viewer = anActor({ role: 'viewer' });

  it('tells administrators everything, viewers nothing', () => {
    for (const subject_type of ['environment', 'user', 'group', 'content'] as const) {
      expect(canSeeEvent(admin, { subject_type, changes: [] }, {})).toBe(true);
      expect(canSeeEvent(viewer, { subject_type, changes: [] }, { grants: [], ownerGuid: viewer.guid })).toBe(false);
    }
  });

  it('tells a publisher of environments they may read, and of grants to or from them', () => {
    expect(canSeeEvent(publisher, environmentEvent(), { grants: [] })).toBe(true);
    expect(canSeeEvent(publisher, environmentEvent(), { grants: [{ user_guid: null, group_guid: 'g-analysts' }] })).toBe(true);
    expect(canSeeEvent(publisher, environmentEvent(), { grants: [{ user_guid: 'someone-else', group_guid: null }] })).toBe(false);
    // Unknown grants (an environment deleted before anyone here knew it): not told.
    expect(canSeeEvent(publisher, environmentEvent(), {})).toBe(false);
    const revoked = environmentEvent([{ field: 'permissions', before: { user_guid: 'pub', group_guid: null }, after: null }]);
    expect(canSeeEvent(publisher, revoked, { grants: [{ user_guid: 'someone-else', group_guid: null }] })).toBe(true);
    const hostile = environmentEvent([{ field: 'permissions', before: 'pub', after: [null] }]);
    expect(canSeeEvent(publisher, hostile, { grants: [{ user_guid: 'someone-else', group_guid: null }] })).toBe(false);
  });

  it('tells a publisher of their own content only, and nothing of users and groups', () => {
    expect(canSeeEvent(publisher, { subject_type: 'content', changes: [] }, { ownerGuid: 'pub' })).toBe(true);
    expect(canSeeEvent(publisher, { subject_type: 'content', changes: [] }, { ownerGuid: 'someone-else' })).toBe(false);
    expect(canSeeEvent(publisher, { subject_type: 'user', changes: [] }, {})).toBe(false);
    expect(canSeeEvent(publisher, { subject_type: 'group', changes: [] }, {})).toBe(false);
  });
});
