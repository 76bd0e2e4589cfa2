import { describe, expect, it } from 'vitest';
import { type GrantRow, grantChanges, grantRowsFrom } from './grants';

const group = (guid: string, permissionGuid: string | null = null): GrantRow => ({ kind: 'group', guid, name: null, permissionGuid });
const user = (guid: string, permissionGuid: string | null = null): GrantRow => ({ kind: 'user', guid, name: null, permissionGuid });

describe('access control changes', () => {
  it.each<[string, GrantRow[], GrantRow[], { added: GrantRow[]; removed: string[] }]>([
    ['nothing changed', [group('g1', 'p1')], [group('g1', 'p1')], { added: [], removed: [] }],
    ['a group added', [], [group('g1')], { added: [group('g1')], removed: [] }],
    ['a user removed', [user('u1', 'p1'), group('g1', 'p2')], [group('g1', 'p2')], { added: [], removed: ['p1'] }],
    ['everything replaced', [user('u1', 'p1')], [group('g2')], { added: [group('g2')], removed: ['p1'] }],
    ['removed and added again', [user('u1', 'p1')], [user('u1')], { added: [user('u1')], removed: ['p1'] }],
  ])('%s', (_case, initial, current, expected) => {
    expect(grantChanges(initial, current)).toEqual(expected);
  });

  it('reads permissions as user or group rows', () => {
    expect(
      grantRowsFrom([
        { id: '1', guid: 'p1', environment_guid: 'e', user_guid: 'u1', group_guid: null },
        { id: '2', guid: 'p2', environment_guid: 'e', user_guid: null, group_guid: 'g1' },
      ]),
    ).toEqual([user('u1', 'p1'), group('g1', 'p2')]);
  });
});
