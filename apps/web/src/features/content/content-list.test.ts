import { aUser } from '@envdesk/domain/testing';
import { describe, expect, it } from 'vitest';
import { runtimeText, searchContent, sortContent, sortFromContentSorting } from './content-list';
import { aContent } from './content-test-data';

const pat = aUser({ username: 'pat', first_name: 'Pat', last_name: 'Publisher' });
const dana = aUser({ username: 'dana', first_name: 'Dana', last_name: 'Data' });

const report = aContent(pat, { guid: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'report', title: 'Quarterly report', last_deployed_time: '2026-02-01T10:00:00Z' });
const api = aContent(dana, {
  guid: 'aaaaaaaa-0000-4000-8000-000000000002',
  name: 'forecast-api',
  title: null,
  default_environment_guid: 'bbbbbbbb-0000-4000-8000-000000000001',
  default_image_name: 'ghcr.io/org/runtime:r4.4',
  last_deployed_time: '2026-03-01T10:00:00Z',
});
const draft = aContent(pat, { guid: 'aaaaaaaa-0000-4000-8000-000000000003', name: 'draft', title: 'app 10', app_role: 'viewer' });
const items = [report, api, draft];
const names = (list: ReturnType<typeof sortContent>) => list.map((content) => content.name);

describe('the Content list', () => {
  it('sorts by title (the name when untitled), numbers in order, both ways', () => {
    expect(names(sortContent(items, { column: 'title', descending: false }, pat))).toEqual(['draft', 'forecast-api', 'report']);
    expect(names(sortContent(items, { column: 'title', descending: true }, pat))).toEqual(['report', 'forecast-api', 'draft']);
  });

  it('sorts by owner, and by last deploy with never-deployed last in both directions', () => {
    expect(names(sortContent(items, { column: 'owner', descending: false }, pat))).toEqual(['forecast-api', 'draft', 'report']);
    expect(names(sortContent(items, { column: 'deployed', descending: false }, pat))).toEqual(['report', 'forecast-api', 'draft']);
    expect(names(sortContent(items, { column: 'deployed', descending: true }, pat))).toEqual(['forecast-api', 'report', 'draft']);
  });

  it('searches title, name, owner and image, every word', () => {
    expect(names(searchContent(items, 'dana'))).toEqual(['forecast-api']);
    expect(names(searchContent(items, 'r4.4'))).toEqual(['forecast-api']);
    expect(names(searchContent(items, 'pat report'))).toEqual(['report']);
    expect(names(searchContent(items, '  '))).toEqual(['report', 'forecast-api', 'draft']);
  });

  it('says the runtime choice only to those who may see it: owners, collaborators and administrators', () => {
    const admin = aUser({ username: 'ada', user_role: 'administrator' });
    // As the server sends them to an administrator: none of the three is shared with them.
    const seenByAdmin = items.map((content) => ({ ...content, app_role: 'none' as const }));
    expect(seenByAdmin.map((content) => runtimeText(content, admin))).toEqual(['Automatic', 'ghcr.io/org/runtime:r4.4', 'Automatic']);
    const collaborating = { ...api, app_role: 'editor' as const };
    const viewing = { ...api, app_role: 'viewer' as const, default_image_name: null, default_environment_guid: null };
    expect([report, collaborating, viewing].map((content) => runtimeText(content, pat))).toEqual(['Automatic', 'ghcr.io/org/runtime:r4.4', null]);
  });

  it('reads the table’s sort state, ignoring columns it does not sort by', () => {
    expect(sortFromContentSorting([{ id: 'owner', desc: true }])).toEqual({ column: 'owner', descending: true });
    expect(sortFromContentSorting([{ id: 'nonsense', desc: false }])).toBeNull();
    expect(sortFromContentSorting([])).toBeNull();
  });
});
