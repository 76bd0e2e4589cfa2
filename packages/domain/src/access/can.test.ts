import { describe, expect, it } from 'vitest';
import { anActor } from '../testing/builders.js';
import type { ContentGrant } from '../content/content-permission-schemas.js';
import type { UserRole } from '../users/user-schemas.js';
import { type Action, type Actor, ALL_ACTIONS, type ContentSubject, type SubjectKind, can, subjectKindOf } from './can.js';

const Y = true;
const _ = false;
/** Allowed for an administrator, a publisher, a viewer. */
type Row = readonly [administrator: boolean, publisher: boolean, viewer: boolean];

const grant = (principal_type: 'user' | 'group', principal_guid: string, role: 'owner' | 'viewer'): ContentGrant => ({ principal_type, principal_guid, role });
/** Someone else's content, shared with no one and open only to its access list, unless overridden. */
const aContent = (overrides: Partial<ContentSubject> = {}): ContentSubject => ({
  owner_guid: 'someone-else',
  access_type: 'acl',
  permissions: [],
  ...overrides,
});

/** Each caller is in group g-analysts; "them" below is whichever caller is asking. */
const relationships = {
  none: {
    'role alone': () => undefined,
  },
  user: {
    'their own account': (actor: Actor) => ({ guid: actor.guid }),
    "someone else's account": () => ({ guid: 'someone-else' }),
  },
  environment: {
    'no grants': () => ({ grants: [] }),
    'granted to them': (actor: Actor) => ({ grants: [{ user_guid: actor.guid, group_guid: null }] }),
    'granted to their group': () => ({ grants: [{ user_guid: null, group_guid: 'g-analysts' }] }),
    'granted to others only': () => ({
      grants: [
        { user_guid: 'someone-else', group_guid: null },
        { user_guid: null, group_guid: 'g-other' },
      ],
    }),
  },
  content: {
    'they own it': (actor: Actor) => aContent({ owner_guid: actor.guid }),
    'they collaborate on it': (actor: Actor) => aContent({ permissions: [grant('user', actor.guid, 'owner')] }),
    'their group collaborates on it': () => aContent({ permissions: [grant('group', 'g-analysts', 'owner')] }),
    'shared with them to view': (actor: Actor) => aContent({ permissions: [grant('user', actor.guid, 'viewer')] }),
    'shared with their group to view': () => aContent({ permissions: [grant('group', 'g-analysts', 'viewer')] }),
    'open to everyone signed in': () => aContent({ access_type: 'logged_in' }),
    'open to anyone': () => aContent({ access_type: 'all' }),
    'someone else owns it': () => aContent({ permissions: [grant('user', 'someone-else-too', 'owner'), grant('group', 'g-other', 'viewer')] }),
  },
  bundle: {
    'they own its content': (actor: Actor) => ({ content: aContent({ owner_guid: actor.guid }) }),
    'they collaborate on its content': (actor: Actor) => ({ content: aContent({ permissions: [grant('user', actor.guid, 'owner')] }) }),
    'its content is shared with them to view': (actor: Actor) => ({ content: aContent({ permissions: [grant('user', actor.guid, 'viewer')] }) }),
    'someone else owns its content': () => ({ content: aContent() }),
  },
  task: {
    'they started it': (actor: Actor) => ({ user_guid: actor.guid }),
    'someone else started it': () => ({ user_guid: 'someone-else' }),
    'its starter is gone': () => ({ user_guid: null }),
  },
} satisfies Record<SubjectKind | 'none', Record<string, (actor: Actor) => unknown>>;

type Relationship = { [K in keyof typeof relationships]: keyof (typeof relationships)[K] }[keyof typeof relationships];

/**
 * Who may do what, to which record. "role alone" is the question a route asks before the record
 * is loaded; the other lines are asked by services with the record. Every action needs a block
 * here, with a line for each relationship its kind of record has.
 */
const matrix: Record<Action, Partial<Record<Relationship, Row>>> = {
  //                                       admin  publisher  viewer
  'session:own': {
    'role alone':                          [Y,    Y,         Y],
  },
  'users:read': {
    'role alone':                          [Y,    Y,         _],
  },
  'users:write': {
    'role alone':                          [Y,    _,         _],
  },
  'users:change-role': {
    'role alone':                          [Y,    _,         _],
    'their own account':                   [_,    _,         _],
    "someone else's account":              [Y,    _,         _],
  },
  'users:lock': {
    'role alone':                          [Y,    _,         _],
    'their own account':                   [_,    _,         _],
    "someone else's account":              [Y,    _,         _],
  },
  'groups:read': {
    'role alone':                          [Y,    Y,         _],
  },
  'groups:write': {
    'role alone':                          [Y,    _,         _],
  },
  'audit:read': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:read': {
    'role alone':                          [Y,    Y,         _],
    'no grants':                           [Y,    Y,         _],
    'granted to them':                     [Y,    Y,         _],
    'granted to their group':              [Y,    Y,         _],
    'granted to others only':              [Y,    _,         _],
  },
  'environments:read-all': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:use': {
    'role alone':                          [Y,    Y,         _],
    'no grants':                           [Y,    Y,         _],
    'granted to them':                     [Y,    Y,         _],
    'granted to their group':              [Y,    Y,         _],
    'granted to others only':              [Y,    _,         _],
  },
  'environments:write': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:export': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:import': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:inspect': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:read-usage': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:read-own-usage': {
    'role alone':                          [Y,    Y,         _],
    'no grants':                           [Y,    Y,         _],
    'granted to them':                     [Y,    Y,         _],
    'granted to their group':              [Y,    Y,         _],
    'granted to others only':              [Y,    _,         _],
  },
  'environment-sync:read': {
    'role alone':                          [Y,    _,         _],
  },
  'environments:read-history': {
    'role alone':                          [Y,    _,         _],
  },
  'environment-permissions:manage': {
    'role alone':                          [Y,    _,         _],
  },
  'runtimes:read': {
    'role alone':                          [Y,    Y,         _],
  },
  'events:read': {
    'role alone':                          [Y,    Y,         _],
  },
  'content:read': {
    'role alone':                          [Y,    Y,         Y],
    'they own it':                         [Y,    Y,         Y],
    'they collaborate on it':              [Y,    Y,         Y],
    'their group collaborates on it':      [Y,    Y,         Y],
    'shared with them to view':            [Y,    Y,         Y],
    'shared with their group to view':     [Y,    Y,         Y],
    'open to everyone signed in':          [Y,    Y,         Y],
    'open to anyone':                      [Y,    Y,         Y],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:read-runtime': {
    'role alone':                          [Y,    Y,         Y],
    'they own it':                         [Y,    Y,         Y],
    'they collaborate on it':              [Y,    Y,         Y],
    'their group collaborates on it':      [Y,    Y,         Y],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:create': {
    'role alone':                          [Y,    Y,         _],
  },
  'content:set-identity': {
    'role alone':                          [Y,    _,         _],
  },
  'content:update': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:delete': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:deploy': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:read-environment': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:write-environment': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'deployments:read': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:read-lockfile': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'selection:explain': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content-permissions:read': {
    'role alone':                          [Y,    Y,         Y],
    'they own it':                         [Y,    Y,         Y],
    'they collaborate on it':              [Y,    Y,         Y],
    'their group collaborates on it':      [Y,    Y,         Y],
    'shared with them to view':            [Y,    Y,         Y],
    'shared with their group to view':     [Y,    Y,         Y],
    'open to everyone signed in':          [Y,    Y,         Y],
    'open to anyone':                      [Y,    Y,         Y],
    'someone else owns it':                [Y,    _,         _],
  },
  'content-permissions:write': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'bundles:read': {
    'role alone':                          [Y,    Y,         _],
    'they own its content':                [Y,    Y,         _],
    'they collaborate on its content':     [Y,    Y,         _],
    'its content is shared with them to view':[Y,    _,         _],
    'someone else owns its content':       [Y,    _,         _],
  },
  'bundles:write': {
    'role alone':                          [Y,    Y,         _],
    'they own its content':                [Y,    Y,         _],
    'they collaborate on its content':     [Y,    Y,         _],
    'its content is shared with them to view':[Y,    _,         _],
    'someone else owns its content':       [Y,    _,         _],
  },
  'tasks:read': {
    'role alone':                          [Y,    Y,         Y],
    'they started it':                     [Y,    Y,         Y],
    'someone else started it':             [Y,    _,         _],
    'its starter is gone':                 [Y,    _,         _],
  },
  'tags:read': {
    'role alone':                          [Y,    Y,         Y],
  },
  'tags:write': {
    'role alone':                          [Y,    _,         _],
  },
  'content:tag': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'runtime-caches:read': {
    'role alone':                          [Y,    _,         _],
  },
  'runtime-caches:delete': {
    'role alone':                          [Y,    _,         _],
  },
  'jobs:read': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:read-links': {
    'role alone':                          [Y,    Y,         Y],
    'they own it':                         [Y,    Y,         Y],
    'they collaborate on it':              [Y,    Y,         Y],
    'their group collaborates on it':      [Y,    Y,         Y],
    'shared with them to view':            [Y,    Y,         Y],
    'shared with their group to view':     [Y,    Y,         Y],
    'open to everyone signed in':          [Y,    Y,         Y],
    'open to anyone':                      [Y,    Y,         Y],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:read-packages': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'packages:read': {
    'role alone':                          [Y,    Y,         _],
  },
  'variants:read': {
    'role alone':                          [Y,    Y,         Y],
    'they own it':                         [Y,    Y,         Y],
    'they collaborate on it':              [Y,    Y,         Y],
    'their group collaborates on it':      [Y,    Y,         Y],
    'shared with them to view':            [Y,    Y,         Y],
    'shared with their group to view':     [Y,    Y,         Y],
    'open to everyone signed in':          [Y,    Y,         Y],
    'open to anyone':                      [Y,    Y,         Y],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:write-links': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'content:render': {
    'role alone':                          [Y,    Y,         _],
    'they own it':                         [Y,    Y,         _],
    'they collaborate on it':              [Y,    Y,         _],
    'their group collaborates on it':      [Y,    Y,         _],
    'shared with them to view':            [Y,    _,         _],
    'shared with their group to view':     [Y,    _,         _],
    'open to everyone signed in':          [Y,    _,         _],
    'open to anyone':                      [Y,    _,         _],
    'someone else owns it':                [Y,    _,         _],
  },
  'vanities:read-all': {
    'role alone':                          [Y,    _,         _],
  },
  'content:search': {
    'role alone':                          [Y,    Y,         Y],
  },
};

const roles: readonly UserRole[] = ['administrator', 'publisher', 'viewer'];
const callers = roles.map((role) => anActor({ role, groupGuids: ['g-analysts'] }));

const relationshipsOf = (action: Action): Record<string, (actor: Actor) => unknown> => ({
  ...relationships.none,
  ...relationships[subjectKindOf(action) ?? 'none'],
});

/** Asks `can` with the subject the relationship builds, bypassing the per-action subject type. */
const ask = can as (actor: Actor | null, action: Action, subject?: unknown) => boolean;

describe('the policy matrix', () => {
  it('has a block for every action', () => {
    expect(Object.keys(matrix).sort()).toEqual([...ALL_ACTIONS].sort());
  });

  it.each(ALL_ACTIONS)('%s has a line for every relationship its record has', (action) => {
    expect(Object.keys(matrix[action]).sort()).toEqual(Object.keys(relationshipsOf(action)).sort());
  });

  const cases = ALL_ACTIONS.flatMap((action) =>
    Object.entries(relationshipsOf(action)).map(([relationship, subjectFor]) => ({ action, relationship, subjectFor })),
  );
  it.each(cases)('$action, $relationship', ({ action, relationship, subjectFor }) => {
    const row = matrix[action][relationship as Relationship];
    expect(callers.map((actor) => ask(actor, action, subjectFor(actor)))).toEqual(row);
  });

  it.each(ALL_ACTIONS)('%s is refused to anonymous callers', (action) => {
    for (const subjectFor of Object.values(relationshipsOf(action))) expect(ask(null, action, subjectFor(anActor()))).toBe(false);
  });

  it.each(cases)('$action, $relationship: allowed with the record only if allowed by role', ({ action, subjectFor }) => {
    for (const actor of callers) if (ask(actor, action, subjectFor(actor))) expect(can(actor, action)).toBe(true);
  });
});
