import { type LiveEvent, environmentEtag } from '@envdesk/domain';
import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeEventSource } from '../../testing/fake-event-source';
import { json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';

setUpPageTests();

const admin = aUser({ user_role: 'administrator' });
const syncOk = { enabled: true, file: '/etc/envdesk/environments.yaml', last_error: null };
const syncFailed = { ...syncOk, last_error: { time: '2026-03-01T10:00:00Z', message: '/etc/envdesk/environments.yaml is not valid YAML', problems: [] } };

let nextId = 1;
const change = (action: string, guid: string, overrides: Partial<LiveEvent> = {}): LiveEvent => ({
  id: nextId++,
  time: '2026-03-01T10:00:00Z',
  action,
  subject_type: 'environment',
  subject_guid: guid,
  subject_name: guid,
  user_guid: 'ana-guid',
  user_description: 'Ana Lima (ana)',
  via: 'tab',
  ...overrides,
});

describe('the Environments tab follows changes as they happen', () => {
  it('opens one stream for the app, and shows an added environment, drops a deleted one, and the failed-sync banner comes and goes', async () => {
    const streams = fakeEventSource();
    const first = anEnvironment({ title: 'First image' });
    const added = anEnvironment({ title: 'Added by Ana' });
    let list = [first];
    let sync: object = syncOk;
    const server = renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, list),
      'GET /__api__/v1/environments/sync': () => json(200, sync),
    });
    await screen.findByRole('link', { name: 'First image' });
    expect(streams.open()).toHaveLength(1);
    expect(streams.open()[0]!.url).toBe('/__api__/v1/events');
    const [stream] = streams.open();
    const listRequests = () => server.requests.filter((request) => request.path === '/__api__/v1/environments').length;
    const before = listRequests();

    list = [first, added];
    act(() => stream!.emit('message', change('add_environment', added.guid), '1'));
    await screen.findByRole('link', { name: 'Added by Ana' });
    expect(listRequests()).toBe(before + 1);

    list = [added];
    act(() => stream!.emit('message', change('delete_environment', first.guid), '2'));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'First image' })).toBeNull());
    screen.getByRole('link', { name: 'Added by Ana' });

    sync = syncFailed;
    act(() => stream!.emit('sync_status', { failed: true, pending_removal: false }));
    await screen.findByText('The environments file could not be applied.');
    sync = syncOk;
    act(() => stream!.emit('sync_status', { failed: false, pending_removal: false }));
    await waitFor(() => expect(screen.queryByText('The environments file could not be applied.')).toBeNull());

    // Something that is not an event of ours changes nothing and breaks nothing.
    const settled = listRequests();
    act(() => stream!.emit('message', 'not json'));
    act(() => stream!.emit('message', { id: 'x' }));
    expect(listRequests()).toBe(settled);
    expect(streams.all()).toHaveLength(1);
  });

  it('opens no stream for a viewer, who may see no environments (and lands on Content)', async () => {
    const streams = fakeEventSource();
    renderAppAt('/environments', aUser({ user_role: 'viewer' }), { 'GET /__api__/v1/content': () => json(200, []) });
    await screen.findByRole('heading', { name: 'Content' });
    expect(streams.all()).toEqual([]);
  });

  it('takes a user whose stream was ended and refused to what they may still see: a demoted administrator lands on Content', async () => {
    const streams = fakeEventSource();
    let signedIn = admin;
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/auth/session': () => json(200, { user: signedIn }),
      'GET /__api__/v1/environments': () => json(200, [anEnvironment({ title: 'Seen as an administrator' })]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'GET /__api__/v1/content': () => json(200, []),
    });
    await screen.findByRole('link', { name: 'Seen as an administrator' });
    signedIn = { ...admin, user_role: 'viewer' };
    act(() => streams.open()[0]!.refuse());
    await screen.findByRole('heading', { name: 'Content' });
    expect(screen.queryByRole('link', { name: 'Seen as an administrator' })).toBeNull();
  });

  it('tells an open edit form who just changed its environment, and offers the comparison', async () => {
    const streams = fakeEventSource();
    const opened = anEnvironment({ title: 'Py 3.11', updated_time: '2026-03-01T10:00:00Z' });
    let current = opened;
    const theirs = { ...opened, title: 'Py 3.11 (renamed by ana)', updated_time: '2026-03-01T10:00:07Z' };
    renderAppAt(`/environments/${opened.guid}`, admin, {
      [`GET /__api__/v1/environments/${opened.guid}`]: () => json(200, current),
      [`GET /__api__/v1/environments/${opened.guid}/permissions`]: () => json(200, []),
      'GET /__api__/v1/environments': () => json(200, [current]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    const user = userEvent.setup();
    const field = await screen.findByLabelText('Title');
    await user.clear(field);
    await user.type(field, 'Py 3.11 (mine)');

    current = theirs;
    act(() => streams.open()[0]!.emit('message', change('update_environment', opened.guid), '7'));
    const notice = await screen.findByText(/just now/);
    expect(notice.closest('[role="status"]')!.textContent).toContain('Changed by Ana Lima (ana) just now.');
    // The form keeps what was typed.
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Py 3.11 (mine)');

    await user.click(screen.getByRole('button', { name: 'Compare with this form' }));
    const dialog = await screen.findByRole('dialog', { name: 'This environment was changed by someone else' });
    const rows = within(within(dialog).getByRole('table'))
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
    expect(rows).toEqual([['Title (you both changed it)', 'Py 3.11 (mine)', 'Py 3.11 (renamed by ana)']]);
    expect(environmentEtag(theirs)).toBe('"2026-03-01T10:00:07Z"');
  });

  it('says nothing on the form about the signed-in user’s own changes', async () => {
    const streams = fakeEventSource();
    const opened = anEnvironment({ title: 'Mine', updated_time: '2026-03-01T10:00:00Z' });
    let current = opened;
    const server = renderAppAt(`/environments/${opened.guid}`, admin, {
      [`GET /__api__/v1/environments/${opened.guid}`]: () => json(200, current),
      [`GET /__api__/v1/environments/${opened.guid}/permissions`]: () => json(200, []),
      'GET /__api__/v1/environments': () => json(200, [current]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    await screen.findByLabelText('Title');
    const detailReads = () => server.requests.filter((request) => request.path === `/__api__/v1/environments/${opened.guid}`).length;
    const before = detailReads();
    current = { ...opened, title: 'Mine, from my other tab', updated_time: '2026-03-01T10:00:05Z' };
    act(() => streams.open()[0]!.emit('message', change('update_environment', opened.guid, { user_guid: admin.guid }), '8'));
    // Reloaded like any change, but not announced as someone else's.
    await waitFor(() => expect(detailReads()).toBe(before + 1));
    expect(screen.queryByText(/just now/)).toBeNull();
  });
});
