import * as compat from 'preact/compat';
import * as React from 'react';
import * as ReactDOMClient from 'react-dom/client';
import { describe, expect, it } from 'vitest';

// The web tests must exercise what ships (vite.config.ts): if React itself were loaded here, every
// other web test would pass on a library the app never runs.
describe('the web tests', () => {
  it('run on Preact’s compatibility layer, as the built app does', () => {
    expect(React.createElement).toBe(compat.createElement);
    expect(React.useSyncExternalStore).toBe(compat.useSyncExternalStore);
    expect(typeof ReactDOMClient.createRoot).toBe('function');
  });
});
