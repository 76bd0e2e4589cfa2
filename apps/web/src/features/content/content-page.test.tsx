import { type Content, ErrorCode } from '@envdesk/domain';
import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeHandler, json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';
import { aBundle, aCandidate, aContent, aDeployment, aSelection } from './content-test-data';

const pat = aUser({ user_role: 'publisher', username: 'pat', first_name: 'Pat', last_name: 'Publisher' });
const viewer = aUser({ user_role: 'viewer' });

const install = (version: string) => ({ installations: [{ version, path: `/opt/python/${version}/bin/python3` }] });
const current = anEnvironment({ title: 'R 4.4 / Python 3.11', name: 'ghcr.io/org/runtime:r4.4-py3.11', python: install('3.11.3') });
const older = anEnvironment({ title: 'R 4.3 / Python 3.10', name: 'ghcr.io/org/runtime:r4.3-py3.10', python: install('3.10.12') });
const classifier = anEnvironment({ title: 'Custom image classifier', name: 'registry.example.com/classifier:1', matching: 'exact', python: install('3.11.9') });

const selection = aSelection([
  aCandidate({ guid: current.guid, title: current.title, installations: [{ language: 'python', version: '3.11.3', path: '/opt/python/3.11.3/bin/python3' }] }),
  aCandidate({ guid: older.guid, title: older.title, accepted: false, rank: null, reasons: ['no Python 3.11 installation (has 3.10.12)'], incompatibilities: ['no Python 3.11 installation (has 3.10.12)'], checks: { compatible: false } }),
  aCandidate({ guid: classifier.guid, title: classifier.title, matching: 'exact', accepted: false, rank: null, reasons: ['matching is exact (used only when requested)'], checks: { matching: false } }),
]);

const deployed = aContent(pat, { title: 'Forecast API', name: 'forecast-api', bundle_id: '1', last_deployed_time: '2026-01-15T10:00:02Z', app_mode: 'python-api' });

const noBundleYet = () =>
  json(400, { code: ErrorCode.ParameterMissing, error: 'The content has no bundle yet: send a manifest to judge.', payload: { field: 'manifest' } });

/** The content page's server: the content as PATCHes leave it, its bundles, history and the explainer. */
function contentServer(initial: Content, extra: Record<string, FakeHandler> = {}) {
  let content = initial;
  const base = `/__api__/v1/content/${initial.guid}`;
  return {
    current: () => content,
    handlers: {
      [`GET ${base}`]: () => json(200, content),
      [`PATCH ${base}`]: (request) => {
        content = { ...content, ...(request.body as Partial<Content>), needs_rebuild: content.bundle_id !== null };
        return json(200, content);
      },
      'GET /__api__/v1/environments': () => json(200, [current, older, classifier]),
      'POST /__api__/v1/environments/select': () => json(200, selection),
      [`GET ${base}/bundles`]: () => json(200, [aBundle(initial.guid, { active: true, image_name: current.name, py_version: '3.11.3' })]),
      [`GET ${base}/deployments`]: () => json(200, [aDeployment()]),
      ...extra,
    } satisfies Record<string, FakeHandler>,
  };
}

const runtime = () => screen.getByRole('region', { name: 'Runtime' });

setUpPageTests();

describe('the content page’s Runtime section', () => {
  it('chooses a compatible environment, shows why an incompatible one cannot be chosen, and marks the content for rebuild', async () => {
    const server = contentServer(deployed);
    const fake = renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    const user = userEvent.setup();

    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    expect(within(runtime()).getByRole('radio', { name: 'Automatic' })).toHaveProperty('checked', true);
    await within(runtime()).findByText('For the latest bundle that is “R 4.4 / Python 3.11”.', { exact: false });
    expect(within(runtime()).getByRole('button', { name: 'Save runtime' }).getAttribute('aria-disabled')).toBe('true');

    await user.click(within(runtime()).getByRole('radio', { name: 'Use a specific environment' }));
    const picker = await within(runtime()).findByRole('table', { name: 'Environments to choose from' });
    // Those that can run it, compatible first, with the filter on: the incompatible one is hidden.
    const filter = within(runtime()).getByRole('checkbox', { name: 'Only environments that can run it' });
    expect(filter).toHaveProperty('checked', true);
    const radioNames = () => within(picker).getAllByRole('radio').map((radio) => radio.getAttribute('aria-label'));
    expect(radioNames()).toEqual(['Custom image classifier', 'R 4.4 / Python 3.11']);
    expect(within(picker).getByRole('columnheader', { name: 'Compatibility' }).getAttribute('aria-sort')).toBe('ascending');
    await user.click(filter);
    // Every one, still those that can run it first (by title within each).
    expect(radioNames()).toEqual(['Custom image classifier', 'R 4.4 / Python 3.11', 'R 4.3 / Python 3.10']);
    const olderRadio = within(picker).getByRole('radio', { name: 'R 4.3 / Python 3.10' }) as HTMLInputElement;
    expect(olderRadio.disabled).toBe(true);
    const reason = document.getElementById(olderRadio.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('IncompatibleNo Python 3.11 installation (has 3.10.12)');
    // An exact environment may be asked for by name.
    expect((within(picker).getByRole('radio', { name: 'Custom image classifier' }) as HTMLInputElement).disabled).toBe(false);

    // The Environments tab's search: by version.
    await user.type(within(runtime()).getByLabelText('Search environments'), '3.11');
    within(runtime()).getByText('2 of 3 environments');
    expect(within(picker).queryByRole('radio', { name: 'R 4.3 / Python 3.10' })).toBeNull();

    await user.click(within(picker).getByRole('radio', { name: 'R 4.4 / Python 3.11' }));
    within(runtime()).getByText('Unsaved changes');
    await user.click(within(runtime()).getByRole('button', { name: 'Save runtime' }));

    await screen.findByText('Saved: “Forecast API” builds and runs in “R 4.4 / Python 3.11”. It rebuilds on its next deploy.');
    expect(fake.requests.find((request) => request.method === 'PATCH')?.body).toEqual({
      default_environment_guid: current.guid,
      default_image_name: current.name,
    });
    within(runtime()).getByText('Rebuilds on next deploy');
    expect(within(runtime()).getByRole('button', { name: 'Save runtime' }).getAttribute('aria-disabled')).toBe('true');

    // And back to Automatic, which clears the environment and the image.
    await user.click(within(runtime()).getByRole('radio', { name: 'Automatic' }));
    expect(within(runtime()).queryByRole('table')).toBeNull();
    await user.click(within(runtime()).getByRole('button', { name: 'Save runtime' }));
    await screen.findByText('Saved: “Forecast API” chooses its environment automatically. It rebuilds on its next deploy.');
    expect(fake.requests.filter((request) => request.method === 'PATCH').at(-1)?.body).toEqual({ default_environment_guid: null, default_image_name: null });
  });

  it('keeps the picker’s search and order in the address, so a reload restores them', async () => {
    const server = contentServer(deployed);
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    await user.click(within(runtime()).getByRole('radio', { name: 'Use a specific environment' }));
    const picker = await within(runtime()).findByRole('table', { name: 'Environments to choose from' });
    await user.click(within(runtime()).getByRole('checkbox', { name: 'Only environments that can run it' }));
    await user.type(within(runtime()).getByLabelText('Search environments'), '3.11');
    await waitFor(() => expect(window.location.search).toBe('?q=3.11'));
    await user.click(within(within(picker).getByRole('columnheader', { name: 'Python' })).getByRole('button'));
    expect(window.location.search).toBe('?q=3.11&sort=python');
    // Compatibility sorts too, and its first click puts those that cannot run it last.
    await user.click(within(within(picker).getByRole('columnheader', { name: 'Compatibility' })).getByRole('button'));
    expect(window.location.search).toBe('?q=3.11&sort=compatibility');
    await user.click(within(within(picker).getByRole('columnheader', { name: 'Compatibility' })).getByRole('button'));
    expect(window.location.search).toBe('?q=3.11&sort=-compatibility');
    await user.clear(within(runtime()).getByLabelText('Search environments'));
    expect(within(picker).getAllByRole('radio').map((radio) => radio.getAttribute('aria-label'))).toEqual([
      'R 4.3 / Python 3.10',
      'Custom image classifier',
      'R 4.4 / Python 3.11',
    ]);
    window.history.back();
    await waitFor(() => expect(window.location.search).toBe('?q=3.11&sort=compatibility'));
    window.history.back();
    await waitFor(() => expect(window.location.search).toBe('?q=3.11&sort=python'));

    // A reload (here: the app started afresh at the same address) shows the same choice of environments.
    cleanup();
    renderAppAt(`/content/${deployed.guid}?q=3.11&sort=python`, pat, contentServer(deployed).handlers);
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    await user.click(within(runtime()).getByRole('radio', { name: 'Use a specific environment' }));
    const reloaded = await within(runtime()).findByRole('table', { name: 'Environments to choose from' });
    expect((within(runtime()).getByLabelText('Search environments') as HTMLInputElement).value).toBe('3.11');
    // The filter is not in the address: it is on again, and the search counts among those that can run it.
    within(runtime()).getByText('2 environments');
    expect(within(reloaded).getByRole('columnheader', { name: 'Python' }).getAttribute('aria-sort')).toBe('ascending');
    expect(within(reloaded).queryByRole('radio', { name: 'R 4.3 / Python 3.10' })).toBeNull();
  });

  it('says compatibility is known after the first bundle, and offers every environment until then', async () => {
    const fresh = aContent(pat, { title: 'Fresh' });
    const server = contentServer(fresh, {
      'POST /__api__/v1/environments/select': noBundleYet,
      [`GET /__api__/v1/content/${fresh.guid}/bundles`]: () => json(200, []),
      [`GET /__api__/v1/content/${fresh.guid}/deployments`]: () => json(200, []),
    });
    const fake = renderAppAt(`/content/${fresh.guid}`, pat, server.handlers);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Fresh', level: 1 });
    await screen.findByText('No bundles yet. Upload one, then deploy it to build and run the content.');
    await screen.findByText('Not deployed yet. Deploy a bundle to see its log here.');

    await user.click(within(runtime()).getByRole('radio', { name: 'Use a specific environment' }));
    await within(runtime()).findByText(/has no bundle yet, so compatibility is known only after the first upload/);
    const picker = await within(runtime()).findByRole('table', { name: 'Environments to choose from' });
    expect((within(picker).getByRole('radio', { name: 'R 4.3 / Python 3.10' }) as HTMLInputElement).disabled).toBe(false);

    // Saving without a choice says what is missing.
    await user.click(within(runtime()).getByRole('button', { name: 'Save runtime' }));
    expect(within(runtime()).getByRole('alert').textContent).toBe('Choose an environment in the list, or switch back to Automatic.');
    await user.click(within(picker).getByRole('radio', { name: 'R 4.3 / Python 3.10' }));
    await user.click(within(runtime()).getByRole('button', { name: 'Save runtime' }));
    await screen.findByText('Saved: “Fresh” builds and runs in “R 4.3 / Python 3.10”.');
    // Never deployed: nothing to rebuild.
    expect(screen.queryByText('Rebuilds on next deploy')).toBeNull();
    // Without a bundle the judgement could only be refused: it is never asked for.
    expect(fake.requests.some((request) => request.path === '/__api__/v1/environments/select')).toBe(false);
  });

  it('says why content an administrator cleared the package cache of rebuilds, and how to rebuild it now', async () => {
    const server = contentServer({ ...deployed, needs_rebuild: true });
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    within(runtime()).getByText('Rebuilds on next deploy');
    within(runtime()).getByText(/cleared the package cache it was built with, since the last build: the next deploy \(of the active bundle too\) rebuilds/);
  });

  it('shows the server’s refusal of an environment', async () => {
    const server = contentServer(deployed, {
      [`PATCH /__api__/v1/content/${deployed.guid}`]: () =>
        json(400, { code: ErrorCode.InvalidParameter, error: 'No environment the content owner may use has that GUID.', payload: { field: 'default_environment_guid' } }),
    });
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    await user.click(within(runtime()).getByRole('radio', { name: 'Use a specific environment' }));
    const picker = await within(runtime()).findByRole('table', { name: 'Environments to choose from' });
    // Judged: the incompatible one is filtered out.
    await within(runtime()).findByRole('checkbox', { name: 'Only environments that can run it' });
    await user.click(within(picker).getByRole('radio', { name: 'R 4.4 / Python 3.11' }));
    await user.click(within(runtime()).getByRole('button', { name: 'Save runtime' }));
    expect((await within(runtime()).findByRole('alert')).textContent).toBe(
      'The runtime was not saved. No environment the content owner may use has that GUID.',
    );
  });
});

describe('the content page’s bundles and deploys', () => {
  it('uploads a bundle, deploys it, and streams the task log into the history', async () => {
    const fresh = aContent(pat, { title: 'Forecast' });
    const base = `/__api__/v1/content/${fresh.guid}`;
    const log = ['Deploying bundle 7 of "Forecast".', 'Bundle created with Python version 3.11.4 is compatible with environment Kubernetes::ghcr.io/org/runtime:r4.4-py3.11', 'Launching Python API...'];
    let polls = 0;
    let uploaded = false;
    const server = contentServer(fresh, {
      [`GET ${base}/bundles`]: () => json(200, uploaded ? [aBundle(fresh.guid, { id: '7' })] : []),
      [`POST ${base}/bundles`]: () => {
        uploaded = true;
        return json(200, aBundle(fresh.guid, { id: '7', size: 4096 }));
      },
      [`GET ${base}/deployments`]: () => json(200, []),
      [`POST ${base}/deploy`]: () => json(202, { task_id: 'task-7' }),
      'GET /__api__/v1/tasks/task-7': () => {
        polls += 1;
        // First the opening line, then the rest and the end.
        return polls === 1
          ? json(200, { id: 'task-7', output: log.slice(0, 1), result: null, finished: false, code: 0, error: '', last: 1 })
          : json(200, { id: 'task-7', output: log.slice(1), result: null, finished: true, code: 0, error: '', last: 3 });
      },
    });
    const fake = renderAppAt(`/content/${fresh.guid}`, pat, server.handlers);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Forecast', level: 1 });

    await user.click(screen.getByRole('button', { name: 'Upload bundle' }));
    screen.getByText('Choose a .tar.gz bundle archive first.');
    const archive = new File([new Uint8Array([0x1f, 0x8b, 8, 0])], 'api.tar.gz', { type: 'application/gzip' });
    await user.upload(screen.getByLabelText('Bundle archive (.tar.gz)'), archive);
    await user.click(screen.getByRole('button', { name: 'Upload bundle' }));
    await screen.findByText('Uploaded bundle 7 (4 KB). Deploy it to build and run it.');
    const upload = fake.requests.find((request) => request.method === 'POST' && request.path === `${base}/bundles`);
    expect(upload?.headers.get('Content-Type')).toBe('application/gzip');

    await user.click(await screen.findByRole('button', { name: 'Deploy bundle 7' }));
    expect(fake.requests.find((request) => request.path === `${base}/deploy`)?.body).toEqual({ bundle_id: '7' });
    const liveLog = await screen.findByRole('log', { name: 'Log of deploy 1' });
    await waitFor(() => expect(liveLog.textContent).toBe(log.join('\n')));
    await screen.findByText('Deployed “Forecast”.');
    within(screen.getByRole('list', { name: 'Deploys, newest first' })).getByText('Succeeded');
    expect(polls).toBe(2);
  });

  it('shows a failed deploy with its error', async () => {
    const server = contentServer(deployed, {
      [`GET /__api__/v1/content/${deployed.guid}/deployments`]: () =>
        json(200, [aDeployment({ task_id: 'task-2', code: 1, error: 'No environment can run this bundle.', output: ['Automatic selection … none qualifies.'] }), aDeployment()]),
    });
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    const history = await screen.findByRole('list', { name: 'Deploys, newest first' });
    within(history).getByText('Failed');
    within(history).getByText('No environment can run this bundle.');
    expect(within(history).getByRole('region', { name: 'Log of deploy 2' }).textContent).toBe('Automatic selection … none qualifies.');
  });

  it('shows each bundle’s app mode and versions before any deploy, from its manifest', async () => {
    const summary = { app_mode: 'python-api', r: null, python: '3.12.1', quarto: null, r_requires: null, python_requires: '>=3.12' };
    const server = contentServer(deployed, {
      [`GET /__api__/v1/content/${deployed.guid}/bundles`]: () =>
        json(200, [aBundle(deployed.guid, { id: '2', manifest_summary: summary }), aBundle(deployed.guid, { id: '1', active: true, image_name: current.name, py_version: '3.11.3' })]),
    });
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    const bundles = await screen.findByRole('list', { name: 'Bundles, newest first' });
    const [newest, deployedOne] = within(bundles).getAllByRole('listitem');
    expect(newest!.textContent).toContain('python-api made with Python 3.12.1 and Python >=3.12');
    expect(newest!.textContent).not.toContain('Built in');
    expect(deployedOne!.textContent).toContain(`Built in ${current.name} (Python 3.11.3)`);
  });

  it.each([
    ['a publisher is told to ask an administrator', pat, null, 'Ask an administrator to add an environment with these versions, or to give you access to one that has them'],
    ['an administrator gets a link to add one', aUser({ user_role: 'administrator' }), 'Add an environment with these versions', 'or give Pat Publisher access to one that has them, then deploy again.'],
  ])('after a deploy no environment could take, says which versions are missing and who can add them: %s', async (_case, user, link, advice) => {
    const needs = aSelection([aCandidate({ guid: older.guid, accepted: false, rank: null, checks: { compatible: false } })], {
      bundle: { r: '4.4.1', python: '3.12.1', quarto: null, rRequires: null, pythonRequires: null },
    });
    const server = contentServer(deployed, {
      'POST /__api__/v1/environments/select': () => json(200, needs),
      [`GET /__api__/v1/content/${deployed.guid}/deployments`]: () =>
        json(200, [aDeployment({ task_id: 'task-2', code: 1, error: 'Automatic selection considers every environment with matching any, but none qualifies.' })]),
    });
    renderAppAt(`/content/${deployed.guid}`, user, server.handlers);
    const next = await screen.findByRole('group', { name: 'What to do next' });
    const owner = user === pat ? 'you' : 'Pat Publisher';
    expect(next.textContent).toContain(`The latest bundle needs R 4.4.1 and Python 3.12.1, and no environment ${owner} may use has them.`);
    expect(next.textContent).toContain(advice);
    if (link) expect(within(next).getByRole('link', { name: link }).getAttribute('href')).toBe('/environments/new');
    else expect(within(next).queryByRole('link')).toBeNull();
  });

  it('says nothing more after a failed deploy when an environment can take the bundle now', async () => {
    const server = contentServer(deployed, {
      [`GET /__api__/v1/content/${deployed.guid}/deployments`]: () => json(200, [aDeployment({ task_id: 'task-2', code: 1, error: 'interrupted' })]),
    });
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    await screen.findByRole('list', { name: 'Deploys, newest first' });
    await within(runtime()).findByText('For the latest bundle that is “R 4.4 / Python 3.11”.', { exact: false });
    expect(screen.queryByRole('group', { name: 'What to do next' })).toBeNull();
  });
});

describe('the content page following a deploy it did not start', () => {
  const interrupted = 'interrupted: the server restarted';
  const openingLine = 'Deploying bundle 1 of "Forecast API".';
  const interruptedLine = 'Interrupted: the server running this deploy stopped before it finished. Deploy again.';

  it('follows a deploy already running when the page opens, stops polling once the server finishes it as interrupted, and gives Deploy back', async () => {
    let taskPolls = 0;
    let finished = false;
    const running = () =>
      aDeployment({ task_id: 'task-9', finished, finished_time: finished ? '2026-01-15T10:01:00Z' : null, code: finished ? 1 : 0, error: finished ? interrupted : '', output: finished ? [openingLine, interruptedLine] : [openingLine] });
    const server = contentServer(deployed, {
      [`GET /__api__/v1/content/${deployed.guid}/deployments`]: () => json(200, [running(), aDeployment()]),
      'GET /__api__/v1/tasks/task-9': (request) => {
        taskPolls += 1;
        // The server restarts and its reaper finishes the task on the third poll.
        if (taskPolls >= 3) finished = true;
        const output = finished ? [openingLine, interruptedLine] : [openingLine];
        const first = Number(new URL(`http://envdesk.test${request.path}`).searchParams.get('first') ?? 0);
        return json(200, { id: 'task-9', output: output.slice(first), result: null, finished, code: finished ? 1 : 0, error: finished ? interrupted : '', last: output.length });
      },
    });
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });

    // While the server says the deploy runs, another one waits.
    const deployButton = await screen.findByRole('button', { name: 'Deploy bundle 1' });
    await waitFor(() => expect(deployButton.getAttribute('aria-disabled')).toBe('true'));

    await screen.findByText(`The deploy of “Forecast API” failed. ${interrupted}`);
    const history = screen.getByRole('list', { name: 'Deploys, newest first' });
    await waitFor(() => expect(within(history).getAllByText('Failed')).toHaveLength(1));
    within(history).getByText(interrupted);
    expect(within(history).getByRole('region', { name: 'Log of deploy 2' }).textContent).toBe([openingLine, interruptedLine].join('\n'));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Deploy bundle 1' }).getAttribute('aria-disabled')).toBe('false'));

    // A finished task is not asked about again (a running one is polled every few milliseconds).
    const pollsWhenFinished = taskPolls;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(taskPolls).toBe(pollsWhenFinished);
  });

  it('gives Deploy back when the server no longer knows the task it follows', async () => {
    const server = contentServer(deployed, {
      [`POST /__api__/v1/content/${deployed.guid}/deploy`]: () => json(202, { task_id: 'task-gone' }),
      'GET /__api__/v1/tasks/task-gone': () => json(404, { code: ErrorCode.TaskDoesNotExist, error: 'That task does not exist.', payload: null }),
    });
    renderAppAt(`/content/${deployed.guid}`, pat, server.handlers);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Deploy bundle 1' }));
    await screen.findByText(/The deploy’s progress can no longer be read. That task does not exist./);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Deploy bundle 1' }).getAttribute('aria-disabled')).toBe('false'));
  });
});

describe('the content page for others', () => {
  it('shows a viewer the content without its runtime, bundles or actions, and asks nothing more of the server', async () => {
    const readable = { ...deployed, app_role: 'viewer' as const, default_environment_guid: null, image_name: null };
    const fake = renderAppAt(`/content/${deployed.guid}`, viewer, { [`GET /__api__/v1/content/${deployed.guid}`]: () => json(200, readable) });
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    screen.getByText('Only the content’s owner, its collaborators and administrators can see and change its runtime, bundles and deploys.');
    expect(screen.queryByRole('region', { name: 'Runtime' })).toBeNull();
    expect(within(screen.getByRole('main')).queryByRole('button')).toBeNull();
    expect(fake.requests.map((request) => request.path)).not.toContain('/__api__/v1/environments');
  });

  it('shows a publisher another publisher’s content read-only', async () => {
    const dana = aUser({ user_role: 'publisher', username: 'dana' });
    const readable = { ...deployed, app_role: 'viewer' as const, default_environment_guid: null, image_name: null };
    renderAppAt(`/content/${deployed.guid}`, dana, { [`GET /__api__/v1/content/${deployed.guid}`]: () => json(200, readable) });
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    screen.getByText('Only the content’s owner, its collaborators and administrators can see and change its runtime, bundles and deploys.');
    expect(within(screen.getByRole('main')).queryByRole('button')).toBeNull();
  });

  it('lets an administrator manage a publisher’s content', async () => {
    const admin = aUser({ user_role: 'administrator', username: 'ada' });
    renderAppAt(`/content/${deployed.guid}`, admin, contentServer(deployed).handlers);
    await screen.findByRole('heading', { name: 'Forecast API', level: 1 });
    expect(await screen.findByRole('region', { name: 'Runtime' })).toBeDefined();
  });

  it('says when the content does not exist', async () => {
    const guid = 'aaaaaaaa-0000-4000-8000-00000000ffff';
    renderAppAt(`/content/${guid}`, pat, {
      [`GET /__api__/v1/content/${guid}`]: () => json(404, { code: ErrorCode.ObjectDoesNotExist, error: 'Content does not exist.', payload: null }),
    });
    await screen.findByRole('heading', { name: 'Content not found', level: 1 });
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Content' }).getAttribute('href')).toBe('/content');
  });
});
