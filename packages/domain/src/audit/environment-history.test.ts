import { describe, expect, it } from 'vitest';
import { definitionFrom } from '../environments/environment-schemas.js';
import { environmentChange } from './environment-audit.js';
import { restorableState } from './environment-history.js';

describe('restorableState', () => {
  const kept = environmentChange('add', null, {
    guid: '0b6d1c6e-5a0c-4a53-9a4a-2f1c9b1d0e11',
    ...definitionFrom({ name: 'ghcr.io/org/python:3.12', title: 'Python 3.12', python: { installations: [{ path: '/opt/python/bin/python', version: '3.12.1' }] } }),
    managed_by: null,
  }).state!;

  it('reads back a kept state with exactly the audited fields', () => {
    expect(restorableState(kept)).toEqual({ ...kept });
    expect(restorableState({ ...kept, id: '7', guid: 'x' })).not.toHaveProperty('id');
  });

  it('restores nothing from a missing state or one whose fields do not read', () => {
    expect(restorableState(null)).toBeNull();
    expect(restorableState({ ...kept, matching: 'sometimes' })).toBeNull();
    expect(restorableState({ name: 'ghcr.io/org/python:3.12' })).toBeNull();
    expect(restorableState({ ...kept, python: { installations: [{ path: 3 }] } })).toBeNull();
  });
});
