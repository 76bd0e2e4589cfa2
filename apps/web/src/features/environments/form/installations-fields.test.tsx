import { aUser } from '@envdesk/domain/testing';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json } from '../../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../../testing/render-app';

const admin = aUser({ user_role: 'administrator' });
const syncOk = { enabled: true, file: null, last_error: null };

setUpPageTests();

function openAddForm() {
  return renderAppAt('/environments/new', admin, {
    'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    'GET /__api__/v1/environments': () => json(200, []),
  });
}

describe('installation rows', () => {
  it('adds a row with no language chosen and puts the focus in it', async () => {
    openAddForm();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add installation' }));
    await user.click(screen.getByRole('button', { name: 'Add installation' }));
    const third = screen.getByRole('group', { name: 'Installation 3' });
    const language = within(third).getByLabelText<HTMLSelectElement>('Language');
    expect(language.value).toBe('');
    expect(document.activeElement).toBe(language);
    expect(within(third).getByLabelText('Version').getAttribute('placeholder')).toBeNull();

    await user.type(await screen.findByLabelText('Image name'), 'ghcr.io/org/x:1');
    await user.click(screen.getByRole('button', { name: 'Add environment' }));
    within(third).getByText('Choose the language of this installation.');
    await user.selectOptions(language, 'r');
    expect(within(third).getByLabelText('Version').getAttribute('placeholder')).toBe('4.4.1');
    expect(within(third).queryByText('Choose the language of this installation.')).toBeNull();
  });

  it('warns, without refusing, when a path names another language', async () => {
    openAddForm();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add installation' }));
    const row = screen.getByRole('group', { name: 'Installation 2' });
    await user.selectOptions(within(row).getByLabelText('Language'), 'r');
    const path = within(row).getByLabelText('Path');
    await user.type(path, '/opt/python/3.11.9/bin/python3');
    const warning = within(row).getByText('This path looks like Python, not R: check the language.');
    expect(path.getAttribute('aria-describedby')).toContain(warning.closest('p')!.id);
    expect(path.getAttribute('aria-invalid')).toBeNull();

    const first = screen.getByRole('group', { name: 'Installation 1' });
    await user.type(within(first).getByLabelText('Path'), '/opt/R/4.4.1/bin/R');
    within(first).getByText('This path looks like R, not Python: check the language.');
    await user.clear(within(first).getByLabelText('Path'));
    await user.type(within(first).getByLabelText('Path'), '/opt/quarto/1.5.57/bin/quarto');
    within(first).getByText('This path looks like Quarto, not Python: check the language.');
  });

  it('checks a version when its field is left, saying what a version of that language looks like', async () => {
    openAddForm();
    const user = userEvent.setup();
    const first = within(await screen.findByRole('group', { name: 'Installation 1' }));
    const version = first.getByLabelText('Version');
    expect(version.getAttribute('placeholder')).toBe('3.11.9');
    await user.type(version, '3.');
    expect(first.queryByText(/must be a version/)).toBeNull();
    await user.tab();
    first.getByText('Version must be a version like 3.11.9.');
    expect(screen.queryByText(/is not a version/)).toBeNull();

    // Typing again hides it until the field is left; a valid version clears it.
    await user.type(version, '1x');
    expect(first.queryByText('Version must be a version like 3.11.9.')).toBeNull();
    await user.tab();
    first.getByText('Version must be a version like 3.11.9.');
    await user.clear(version);
    await user.type(version, '3.11.9');
    await user.tab();
    expect(first.queryByText(/must be a version/)).toBeNull();

    await user.selectOptions(first.getByLabelText('Language'), 'quarto');
    expect(version.getAttribute('placeholder')).toBe('1.5.57');
    await user.clear(version);
    await user.type(version, 'latest');
    await user.tab();
    first.getByText('Version must be a version like 1.5.57.');
  });
});
