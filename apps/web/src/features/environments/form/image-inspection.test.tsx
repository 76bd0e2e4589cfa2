import { ErrorCode, type FoundInstallation, type ImageInspectionResult } from '@envdesk/domain';
import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeHandler, json } from '../../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../../testing/render-app';

const admin = aUser({ user_role: 'administrator' });
const syncOk = { enabled: true, file: '/etc/envdesk/environments.yaml', last_error: null };
const IMAGE = 'registry.example.com/team/data-science:2026.01';

const found = (path: string, version: string | null, version_source: string | null, aliases: string[] = []): FoundInstallation => ({
  path,
  version,
  version_source,
  found_in: path.split('/').slice(0, 3).join('/'),
  aliases,
});

const inspection = (overrides: Partial<ImageInspectionResult> = {}): ImageInspectionResult => ({
  name: IMAGE,
  digest: `sha256:${'a'.repeat(64)}`,
  platform: 'linux/amd64',
  platforms: ['linux/amd64', 'linux/arm64'],
  installations: {
    python: [found('/opt/python/3.11.9/bin/python3.11', '3.11.9', '/opt/python/3.11.9/include/python3.11/patchlevel.h', ['/opt/python/3.11.9/bin/python', '/opt/python/3.11.9/bin/python3'])],
    quarto: [found('/opt/quarto/bin/quarto', '1.5.57', '/opt/quarto/share/version')],
    r: [found('/opt/R/4.4.1/bin/R', '4.4.1', '/opt/R/4.4.1/lib/R/library/base/DESCRIPTION')],
  },
  warnings: [],
  ...overrides,
});

const progress = ['Inspecting registry.example.com/team/data-science:2026.01.', 'manifest sha256:aaaa (linux/amd64)', 'layer 1/2 sha256:bbbb 1.2 MB'];

/** An inspect task that answers its first poll with the opening lines, then finishes with `end`. */
function inspectServer(end: { code: number; error: string; result: unknown; lines: string[] }, extra: Record<string, FakeHandler> = {}) {
  let polls = 0;
  const handlers: Record<string, FakeHandler> = {
    'GET /__api__/v1/environments': () => json(200, []),
    'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    'POST /__api__/v1/environments/inspect': () => json(202, { task_id: 'inspect-1' }),
    'GET /__api__/v1/tasks/inspect-1': (request) => {
      polls += 1;
      const all = polls === 1 ? progress : [...progress, ...end.lines];
      const first = Number(request.query.get('first') ?? 0);
      const finished = polls > 1;
      return json(200, {
        id: 'inspect-1',
        output: all.slice(first),
        result: finished ? end.result : null,
        finished,
        code: finished ? end.code : 0,
        error: finished ? end.error : '',
        last: all.length,
      });
    },
    ...extra,
  };
  return { handlers, polls: () => polls };
}

const succeeded = (result: ImageInspectionResult = inspection()) => ({ code: 0, error: '', result, lines: ['Found R 4.4.1 / Python 3.11.9 / Quarto 1.5.57.'] });

setUpPageTests();

describe('Inspect image on the add form', () => {
  it('is disabled, with the reason, until an image name is typed', async () => {
    const { handlers } = inspectServer(succeeded());
    const server = renderAppAt('/environments/new', admin, handlers);
    const user = userEvent.setup();
    const button = await screen.findByRole('button', { name: 'Inspect image' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('aria-describedby')).not.toBeNull();
    const reason = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toMatch(/^Type an image name to inspect it/);

    await user.click(button);
    expect(server.requests.some((request) => request.path.endsWith('/inspect'))).toBe(false);

    await user.type(screen.getByLabelText('Image name'), '  ');
    expect(screen.getByRole('button', { name: 'Inspect image' }).getAttribute('aria-disabled')).toBe('true');
    await user.type(screen.getByLabelText('Image name'), IMAGE);
    expect(screen.getByRole('button', { name: 'Inspect image' }).getAttribute('aria-disabled')).toBeNull();
    expect(screen.queryByText(/^Type an image name to inspect it/)).toBeNull();
  });

  it('shows the progress, then a checklist of what it found, all ticked, and fills the installations with the ticked ones', async () => {
    const { handlers, polls } = inspectServer(succeeded());
    const server = renderAppAt('/environments/new', admin, handlers);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Image name'), IMAGE);
    // From the keyboard: the button is reached with Tab and pressed with Enter.
    screen.getByRole('button', { name: 'Inspect image' }).focus();
    await user.keyboard('{Enter}');

    expect(server.requests.find((request) => request.path === '/__api__/v1/environments/inspect')?.body).toEqual({ name: IMAGE });
    const log = await screen.findByRole('log', { name: 'Inspection progress' });
    await waitFor(() => expect(log.textContent).toBe([...progress, 'Found R 4.4.1 / Python 3.11.9 / Quarto 1.5.57.'].join('\n')));

    const checklist = await screen.findByRole('group', { name: `Found in ${IMAGE}` });
    within(checklist).getByText('Remove any detected installations that you do not want, then add the others to the installations below.');
    within(checklist).getByText('linux/arm64');
    const python = within(checklist).getByRole('checkbox', { name: 'Python 3.11.9 /opt/python/3.11.9/bin/python3.11' });
    const quarto = within(checklist).getByRole('checkbox', { name: 'Quarto 1.5.57 /opt/quarto/bin/quarto' });
    const r = within(checklist).getByRole('checkbox', { name: 'R 4.4.1 /opt/R/4.4.1/bin/R' });
    for (const box of [python, quarto, r]) expect(box).toHaveProperty('checked', true);
    expect(r.getAttribute('aria-describedby')).not.toBeNull();
    expect(document.getElementById(r.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Version read from /opt/R/4.4.1/lib/R/library/base/DESCRIPTION.');

    await user.click(quarto);
    expect(quarto).toHaveProperty('checked', false);
    await user.click(within(checklist).getByRole('button', { name: 'Use the ticked installations' }));

    // The blank first row is replaced; Quarto, unticked, is left out.
    const note = await screen.findByText('Added 2 installations from the image. Check them below, then save.', { selector: '.inspection-applied' });
    expect(document.activeElement).toBe(note);
    const rows = screen.getAllByRole('group', { name: /^Installation \d$/ });
    expect(rows.map((row) => [within(row).getByLabelText<HTMLSelectElement>('Language').value, within(row).getByLabelText<HTMLInputElement>('Version').value, within(row).getByLabelText<HTMLInputElement>('Path').value])).toEqual([
      ['python', '3.11.9', '/opt/python/3.11.9/bin/python3.11'],
      ['r', '4.4.1', '/opt/R/4.4.1/bin/R'],
    ]);
    // A finished task is not polled again.
    const done = polls();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(polls()).toBe(done);
  });

  it('does not add an installation the form already lists, by its path or one of its aliases', async () => {
    const { handlers } = inspectServer(succeeded());
    renderAppAt('/environments/new', admin, handlers);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Image name'), IMAGE);
    const first = screen.getByRole('group', { name: 'Installation 1' });
    await user.type(within(first).getByLabelText('Version'), '3.11.9');
    await user.type(within(first).getByLabelText('Path'), '/opt/python/3.11.9/bin/python3');
    await user.click(screen.getByRole('button', { name: 'Inspect image' }));

    const checklist = await screen.findByRole('group', { name: `Found in ${IMAGE}` });
    within(checklist).getByRole('checkbox', { name: 'Python 3.11.9 /opt/python/3.11.9/bin/python3.11 (already listed)' });
    await user.click(within(checklist).getByRole('button', { name: 'Use the ticked installations' }));
    await screen.findByText('Added 2 installations from the image. Check them below, then save.', { selector: '.inspection-applied' });
    const paths = screen.getAllByRole('group', { name: /^Installation \d$/ }).map((row) => within(row).getByLabelText<HTMLInputElement>('Path').value);
    expect(paths).toEqual(['/opt/python/3.11.9/bin/python3', '/opt/quarto/bin/quarto', '/opt/R/4.4.1/bin/R']);
  });

  it('says why when the server refuses the image name, and adds nothing', async () => {
    const { handlers } = inspectServer(succeeded(), {
      'POST /__api__/v1/environments/inspect': () =>
        json(400, {
          code: ErrorCode.BadRequest,
          error: 'Invalid name: names a file; the server reads images only from registries (write a reference such as ghcr.io/org/image:tag).',
          payload: { field: 'name' },
        }),
    });
    renderAppAt('/environments/new', admin, handlers);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Image name'), '/var/lib/images/r.tar');
    await user.click(screen.getByRole('button', { name: 'Inspect image' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not inspect the image.');
    expect(alert.textContent).toContain('names a file; the server reads images only from registries');
    expect(screen.queryByRole('group', { name: /^Found in/ })).toBeNull();
    expect(screen.getAllByRole('group', { name: /^Installation \d$/ })).toHaveLength(1);
  });

  it('shows the task’s error when the registry refuses, with the progress so far, and can try again', async () => {
    const refusal = 'registry.example.com refused the credentials: they were not accepted (401).';
    const { handlers } = inspectServer({ code: 1, error: refusal, result: null, lines: [`Inspection failed: ${refusal}`] });
    const server = renderAppAt('/environments/new', admin, handlers);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Image name'), IMAGE);
    await user.click(screen.getByRole('button', { name: 'Inspect image' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`Could not inspect the image. ${refusal}`);
    expect(screen.getByRole('log', { name: 'Inspection progress' }).textContent).toContain(`Inspection failed: ${refusal}`);
    expect(screen.queryByRole('group', { name: /^Found in/ })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Inspect image' }));
    await waitFor(() => expect(server.requests.filter((request) => request.path.endsWith('/inspect'))).toHaveLength(2));
  });

  it('says so when the image holds no installation it knows', async () => {
    const { handlers } = inspectServer(succeeded(inspection({ installations: { python: [], quarto: [], r: [] } })));
    renderAppAt('/environments/new', admin, handlers);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Image name'), IMAGE);
    await user.click(screen.getByRole('button', { name: 'Inspect image' }));
    await screen.findByText(/No Python, R or Quarto installation was found in/);
  });

  it('lists what it found but could not offer: an installation whose version no file gave', async () => {
    const warning = 'Python at /opt/python/custom/bin/python: no file gave its version; add it by hand with the version typed in.';
    const { handlers } = inspectServer(succeeded(inspection({ warnings: [warning] })));
    renderAppAt('/environments/new', admin, handlers);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Image name'), IMAGE);
    await user.click(screen.getByRole('button', { name: 'Inspect image' }));
    const warnings = await screen.findByRole('list', { name: 'Inspection warnings' });
    expect(warnings.textContent).toBe(warning);
  });

  it('is not offered to a publisher', async () => {
    const environment = anEnvironment();
    renderAppAt(`/environments/${environment.guid}`, aUser({ user_role: 'publisher' }), {
      [`GET /__api__/v1/environments/${environment.guid}`]: () => json(200, environment),
    });
    await screen.findByRole('heading', { name: environment.title ?? '', level: 1 });
    expect(screen.queryByRole('button', { name: /inspect/i })).toBeNull();
  });
});

describe('Re-inspect on an existing environment', () => {
  const environment = anEnvironment({
    title: 'Data science',
    name: IMAGE,
    python: { installations: [{ version: '3.11.9', path: '/opt/python/3.11.9/bin/python3' }] },
    r: { installations: [{ version: '4.4.0', path: '/opt/R/4.4.1/bin/R' }] },
    quarto: { installations: [] },
    nodejs: { installations: [{ version: '20.11.1', path: '/usr/local/bin/node' }] },
  });
  const editing = (result: ImageInspectionResult) =>
    inspectServer(succeeded(result), {
      [`GET /__api__/v1/environments/${environment.guid}`]: () => json(200, environment),
      [`GET /__api__/v1/environments/${environment.guid}/permissions`]: () => json(200, []),
      [`PUT /__api__/v1/environments/${environment.guid}`]: (request) => json(200, { ...environment, ...(request.body as object) }),
    });

  it('shows what differs from the image, and applies the image’s installations to the form', async () => {
    const { handlers } = editing(inspection());
    const server = renderAppAt(`/environments/${environment.guid}`, admin, handlers);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Re-inspect image' }));

    const differences = await screen.findByRole('region', { name: `What differs from ${IMAGE}` });
    const listUnder = (heading: string) => within(differences).getByRole('heading', { name: heading }).nextElementSibling as HTMLElement;
    expect(listUnder('In the image, not listed here').textContent).toContain('Quarto 1.5.57 /opt/quarto/bin/quarto');
    expect(listUnder('Another version in the image').textContent).toBe('R /opt/R/4.4.1/bin/R: 4.4.0 here, 4.4.1 in the image');
    // Python is listed by an alias of what was found: the same installation, not a difference.
    expect(within(differences).queryByRole('heading', { name: 'Listed here, not found in the image' })).toBeNull();
    expect(differences.textContent).not.toContain('Python');

    await user.click(within(differences).getByRole('button', { name: 'Use the image’s installations' }));
    const note = await screen.findByText('The installations below now match the image. Save to keep them.');
    expect(document.activeElement).toBe(note);

    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Saved “Data science”.');
    const put = server.requests.find((request) => request.method === 'PUT');
    expect(put?.body).toMatchObject({
      python: { installations: [{ version: '3.11.9', path: '/opt/python/3.11.9/bin/python3' }] },
      quarto: { installations: [{ version: '1.5.57', path: '/opt/quarto/bin/quarto' }] },
      r: { installations: [{ version: '4.4.1', path: '/opt/R/4.4.1/bin/R' }] },
      nodejs: { installations: [{ version: '20.11.1', path: '/usr/local/bin/node' }] },
    });
  });

  it('lists what the environment names but the image no longer holds, and says when they match', async () => {
    const { handlers } = editing(
      inspection({ installations: { python: [], quarto: [], r: [found('/opt/R/4.4.1/bin/R', '4.4.0', '/opt/R/4.4.1/lib/R/library/base/DESCRIPTION')] } }),
    );
    renderAppAt(`/environments/${environment.guid}`, admin, handlers);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Re-inspect image' }));
    const differences = await screen.findByRole('region', { name: `What differs from ${IMAGE}` });
    const missing = within(differences).getByRole('heading', { name: 'Listed here, not found in the image' }).nextElementSibling as HTMLElement;
    expect(missing.textContent).toBe('Python 3.11.9 /opt/python/3.11.9/bin/python3');

    // Removing the row by hand leaves nothing that differs.
    await user.click(screen.getByRole('button', { name: 'Remove installation 1' }));
    await screen.findByText(`The installations below match what ${IMAGE} holds.`);
  });

  it('is not offered on an environment defined in the configuration file', async () => {
    const managed = anEnvironment({ managed_by: 'config-file' });
    renderAppAt(`/environments/${managed.guid}`, admin, {
      [`GET /__api__/v1/environments/${managed.guid}`]: () => json(200, managed),
      [`GET /__api__/v1/environments/${managed.guid}/permissions`]: () => json(200, []),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'GET /__api__/v1/environments': () => json(200, [managed]),
    });
    await screen.findByRole('note');
    expect(screen.queryByRole('button', { name: /inspect/i })).toBeNull();
  });
});
