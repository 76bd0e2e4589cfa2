import * as compat from 'preact/compat';
import { createElement, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';

// The web tests must exercise what ships (vite.config.ts): if React itself were loaded here, every
// other web test would pass on a library the app never runs.
describe('the web tests', () => {
  it('run on Preact’s compatibility layer, as the built app does', () => {
    expect(createElement).toBe(compat.createElement);
    expect(useSyncExternalStore).toBe(compat.useSyncExternalStore);
    const root = createRoot(document.createElement('div'));
    expect(Object.keys(root).sort()).toEqual(['render', 'unmount']);
  });
});
