import { type AuditEvent, type DeletedEnvironment, ErrorCode, definitionFrom, environmentEtag } from '@envdesk/domain';
import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeAnswer, type RecordedRequest, json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';

const admin = aUser({ user_role: 'administrator' });
const publisher = aUser({ user_role: 'publisher' });
const syncOk = { enabled: true, file: '/etc/envdesk/environments.yaml', poll_ms: 2000, hash: 'h', last_sync_time: null, last_changes: [], last_error: null };

const then = { ...definitionFrom({ name: 'ghcr.io/org/py:3.11', title: 'Python 3.11' }), managed_by: null };
const now = anEnvironment({ ...then, title: 'Python 3.11 (GPU)', matching: 'exact', updated_time: '2026-03-02T09:00:00Z' });

const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
  id: 1,
  time: '2026-03-01T10:00:00Z',
  user_guid: admin.guid,
  user_id: 1,
  user_description: 'Ada Admin (ada)',
  via: 'tab',
  file: null,
  action: 'add_environment',
  subject_type: 'environment',
  subject_guid: now.guid,
  subject_name: 'Python 3.11 (ghcr.io/org/py:3.11)',
  event_description: 'Added environment Python 3.11 (ghcr.io/org/py:3.11)',
  changes: [],
  state: then,
  ...overrides,
});
const creation = event({});
const update = event({
  id: 2,
  time: '2026-03-02T09:00:00Z',
  user_description: 'Bo Builder (bo)',
  via: 'api',
  action: 'update_environment',
  event_description: 'Updated environment Python 3.11 (GPU) (title, matching)',
  changes: [
    { field: 'title', before: 'Python 3.11', after: 'Python 3.11 (GPU)' },
    { field: 'matching', before: 'any', after: 'exact' },
  ],
  state: { ...then, title: 'Python 3.11 (GPU)', matching: 'exact' },
});
const history = [update, creation];

function renderEnvironmentPage(environment = now, events = history, restore?: (request: RecordedRequest) => ReturnType<typeof json>) {
  return renderAppAt(`/environments/${environment.guid}`, admin, {
    [`GET /__api__/v1/environments/${environment.guid}`]: () => json(200, environment),
    [`GET /__api__/v1/environments/${environment.guid}/permissions`]: () => json(200, []),
    [`GET /__api__/v1/environments/${environment.guid}/history`]: () => json(200, events),
    [`POST /__api__/v1/environments/${environment.guid}/history/1/restore`]: restore ?? (() => json(200, { ...environment, ...then, updated_time: '2026-03-03T08:00:00Z' })),
    'GET /__api__/v1/environments': () => json(200, [environment]),
    'GET /__api__/v1/environments/sync': () => json(200, syncOk),
  });
}

setUpPageTests();

describe('the History panel', () => {
  it('shows who changed the environment, when, how, and a field-by-field diff', async () => {
    renderEnvironmentPage();
    const panel = await screen.findByRole('region', { name: 'History' });
    const entries = within(await within(panel).findByRole('list', { name: 'History' })).getAllByRole('listitem');
    expect(entries.map((entry) => within(entry).getByText(/environment Python/).textContent)).toEqual([
      'Updated environment Python 3.11 (GPU) (title, matching)',
      'Added environment Python 3.11 (ghcr.io/org/py:3.11)',
    ]);
    within(entries[0]!).getByText(/Bo Builder \(bo\) through the API/);
    within(entries[1]!).getByText(/Ada Admin \(ada\) in the Environments tab/);
    const user = userEvent.setup();
    await user.click(within(entries[0]!).getByText('2 fields'));
    const diff = within(entries[0]!).getByRole('table');
    const title = within(diff).getByRole('rowheader', { name: 'Title' }).closest('tr')!;
    expect(within(title).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['Python 3.11', 'Python 3.11 (GPU)']);
    // The newest version is the one shown: only the older one offers a restore.
    expect(within(entries[0]!).queryByRole('button', { name: /^Restore/ })).toBeNull();
    within(entries[1]!).getByRole('button', { name: /^Restore/ });
  });

  it('shows older changes on request, a page at a time, and says so when they do not load', async () => {
    // A full first page: there may be more behind it.
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, n) => event({ ...update, id: from - n, event_description: `Change number ${from - n}` }));
    const newest = page(250, 200);
    let older: FakeAnswer = json(200, page(50, 50));
    const server = renderAppAt(`/environments/${now.guid}`, admin, {
      [`GET /__api__/v1/environments/${now.guid}`]: () => json(200, now),
      [`GET /__api__/v1/environments/${now.guid}/permissions`]: () => json(200, []),
      [`GET /__api__/v1/environments/${now.guid}/history`]: (request) => (request.query.get('before') === '51' ? older : json(200, newest)),
      'GET /__api__/v1/environments': () => json(200, [now]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    const panel = await screen.findByRole('region', { name: 'History' });
    const list = await within(panel).findByRole('list', { name: 'History' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(200);
    const user = userEvent.setup();

    older = json(503, { code: 21, error: 'The database is not answering.', payload: null });
    await user.click(within(panel).getByRole('button', { name: 'Show older changes' }));
    expect((await within(panel).findByRole('alert')).textContent).toContain('The older changes did not load.');
    expect(within(list).getAllByRole('listitem')).toHaveLength(200);

    older = json(200, page(50, 50));
    await user.click(within(panel).getByRole('button', { name: 'Show older changes' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(250));
    within(list).getByText('Change number 1');
    // A short page is the start of the history: nothing more to ask for.
    expect(within(panel).queryByRole('button', { name: 'Show older changes' })).toBeNull();
    expect(server.requests.filter((request) => request.path.endsWith('/history')).map((request) => request.query.get('before'))).toEqual([null, '51', '51']);
  });

  it('restores an earlier version after a confirmation listing what changes, sending the version shown', async () => {
    const server = renderEnvironmentPage();
    const user = userEvent.setup();
    const panel = await screen.findByRole('region', { name: 'History' });
    await user.click(await within(panel).findByRole('button', { name: /^Restore the version of/ }));
    const dialog = await screen.findByRole('dialog', { name: /^Restore “Python 3.11 \(GPU\)” as it was on/ });
    const changes = within(dialog).getByRole('table');
    expect(within(changes).getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['Title', 'Matching']);
    await user.click(within(dialog).getByRole('button', { name: 'Restore this version' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const sent = server.requests.find((request) => request.method === 'POST' && request.path.endsWith('/history/1/restore'))!;
    expect(sent.headers.get('if-match')).toBe(environmentEtag(now));
    // The form starts again from the restored version.
    await waitFor(() => expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Python 3.11'));
  });

  it('keeps the dialog open with the reason when someone changed it first', async () => {
    const theirs = { ...now, title: 'Changed by ana', updated_time: '2026-03-02T09:30:00Z' };
    renderEnvironmentPage(now, history, () =>
      json(412, { code: ErrorCode.BadRequest, error: 'Changed.', payload: { reason: 'stale', etag: environmentEtag(theirs), environment: theirs, updated_by: { guid: 'g', username: 'ana' } } }),
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /^Restore the version of/ }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Restore this version' }));
    expect((await screen.findByText(/Not restored: ana changed it/)).closest('dialog')).not.toBeNull();
  });

  it('offers no restore for a file-managed environment, and says why', async () => {
    const managed = { ...now, managed_by: 'config-file' };
    renderEnvironmentPage(managed, [update, creation].map((item) => ({ ...item, via: 'file' as const, file: '/etc/envdesk/environments.yaml' })));
    const panel = await screen.findByRole('region', { name: 'History' });
    await within(panel).findAllByText(/from the environments file \/etc\/envdesk\/environments.yaml/);
    within(panel).getByText(/earlier versions are restored by changing the file/);
    expect(within(panel).queryByRole('button', { name: /^Restore/ })).toBeNull();
  });

  it('is not shown to publishers, who never ask for it', async () => {
    const server = renderAppAt(`/environments/${now.guid}`, publisher, {
      [`GET /__api__/v1/environments/${now.guid}`]: () => json(200, now),
      'GET /__api__/v1/environments': () => json(200, [now]),
    });
    await screen.findByRole('heading', { level: 1 });
    expect(screen.queryByRole('region', { name: 'History' })).toBeNull();
    expect(server.requests.some((request) => request.path.endsWith('/history'))).toBe(false);
  });
});

const handDeleted: DeletedEnvironment = {
  guid: '9d1c2b3a-0000-4000-8000-000000000001',
  name: 'ghcr.io/org/old:1',
  title: 'Old runtime',
  managed_by: null,
  file: null,
  removed_time: '2026-03-01T12:00:00Z',
  removed_by: { time: '2026-03-01T12:00:00Z', user_guid: admin.guid, user_description: 'Ada Admin (ada)', via: 'tab' },
};
const fileRemoved: DeletedEnvironment = {
  guid: '9d1c2b3a-0000-4000-8000-000000000002',
  name: 'ghcr.io/org/filed:1',
  title: null,
  managed_by: 'config-file',
  file: '/etc/envdesk/environments.yaml',
  removed_time: '2026-03-01T11:00:00Z',
  removed_by: { time: '2026-03-01T11:00:00Z', user_guid: null, user_description: 'environments file /etc/envdesk/environments.yaml', via: 'file' },
};

describe('the Recently deleted page', () => {
  it('is linked from the Environments tab, lists who deleted what, and restores a hand-deleted one after a confirmation', async () => {
    let deleted = [handDeleted, fileRemoved];
    const server = renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, []),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'GET /__api__/v1/environments/summary': () => json(200, []),
      'GET /__api__/v1/environments/deleted': () => json(200, deleted),
      [`POST /__api__/v1/environments/deleted/${handDeleted.guid}/restore`]: () => {
        deleted = [fileRemoved];
        return json(200, anEnvironment({ guid: handDeleted.guid, name: handDeleted.name, title: handDeleted.title }));
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Recently deleted' }));
    const table = await screen.findByRole('table', { name: 'Recently deleted environments' });
    const rows = within(table).getAllByRole('row').slice(1);
    // What a screen reader reads (the image is shown cut in the middle, but read whole and once).
    expect(rows).toHaveLength(2);
    within(rows[0]!).getByRole('rowheader', { name: 'Old runtime ghcr.io/org/old:1' });
    within(rows[1]!).getByRole('rowheader', { name: 'ghcr.io/org/filed:1 ghcr.io/org/filed:1' });
    within(rows[0]!).getByText('Ada Admin (ada) in the Environments tab');
    // The file decides about its own: no button, and where to restore it instead.
    expect(within(rows[1]!).queryByRole('button')).toBeNull();
    within(rows[1]!).getByText(/Put its entry back in/);

    await user.click(within(rows[0]!).getByRole('button', { name: 'Restore Old runtime' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore “Old runtime”?' });
    within(dialog).getByText(/comes back with its GUID and the access control it had/);
    await user.click(within(dialog).getByRole('button', { name: 'Restore environment' }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Recently deleted environments' })).getAllByRole('row')).toHaveLength(2));
    expect(server.requests.filter((request) => request.method === 'POST').map((request) => request.path)).toEqual([
      `/__api__/v1/environments/deleted/${handDeleted.guid}/restore`,
    ]);
    await screen.findByText('Restored “Old runtime”.');
  });

  it('shows the server’s refusal inside the dialog', async () => {
    renderAppAt('/environments/deleted', admin, {
      'GET /__api__/v1/environments/deleted': () => json(200, [handDeleted]),
      [`POST /__api__/v1/environments/deleted/${handDeleted.guid}/restore`]: () => json(404, { code: ErrorCode.ObjectDoesNotExist, error: 'Deleted environment does not exist.', payload: null }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Restore Old runtime' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Restore environment' }));
    within(await screen.findByRole('dialog')).getByText(/Not restored\. Deleted environment does not exist/);
  });
});

describe('the Last changed by and Used by columns', () => {
  const a = anEnvironment({ title: 'Alpha', name: 'ghcr.io/org/a:1' });
  const b = anEnvironment({ title: 'Beta', name: 'ghcr.io/org/b:1' });
  const c = anEnvironment({ title: 'Gamma', name: 'ghcr.io/org/c:1' });
  const d = anEnvironment({ title: 'Delta', name: 'ghcr.io/org/d:1' });
  const summary = [
    { guid: a.guid, content_count: 2, last_changed: { time: '2026-03-01T10:00:00Z', user_guid: admin.guid, user_description: 'Ada Admin (ada)', via: 'tab' } },
    { guid: b.guid, content_count: 7, last_changed: { time: '2026-03-01T10:00:00Z', user_guid: null, user_description: 'environments file x.yaml', via: 'file' } },
    { guid: d.guid, content_count: 0, last_changed: { time: '2026-03-01T10:00:00Z', user_guid: null, user_description: 'envdesk', via: 'system' } },
  ];
  const rowTitles = async () =>
    within(await screen.findByRole('table', { name: 'Environments' }))
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getByRole('link').textContent);

  it('shows them to administrators and sorts by each, unknown values last', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, [a, b, c, d]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'GET /__api__/v1/environments/summary': () => json(200, summary),
    });
    const user = userEvent.setup();
    const betaRow = (await screen.findByRole('link', { name: 'Beta' })).closest('tr')!;
    await within(betaRow).findByText('7 content');
    within(betaRow).getByText('environments file x.yaml');
    within(betaRow).getByText('· File');
    // envdesk's own change names it once, not "envdesk · envdesk".
    const deltaRow = screen.getByRole('link', { name: 'Delta' }).closest('tr')!;
    expect(within(deltaRow).getByText('envdesk').textContent).toBe('envdesk');
    await user.click(within(screen.getByRole('columnheader', { name: 'Used by' })).getByRole('button'));
    expect(await rowTitles()).toEqual(['Beta', 'Alpha', 'Delta', 'Gamma']);
    expect(window.location.search).toBe('?sort=-used');
    await user.click(within(screen.getByRole('columnheader', { name: 'Last changed by' })).getByRole('button'));
    expect(await rowTitles()).toEqual(['Alpha', 'Delta', 'Beta', 'Gamma']);
    expect(window.location.search).toBe('?sort=changed');
  });

  it('leaves them out for publishers, who are not asked about them', async () => {
    const server = renderAppAt('/environments', publisher, { 'GET /__api__/v1/environments': () => json(200, [a, b]) });
    await screen.findByRole('table', { name: 'Environments' });
    expect(screen.queryByRole('columnheader', { name: 'Used by' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Recently deleted' })).toBeNull();
    expect(server.requests.some((request) => request.path.endsWith('/summary'))).toBe(false);
  });
});
