import { describe, expect, it } from 'vitest';
import { isOwnOrigin } from './own-origin.js';

describe('isOwnOrigin', () => {
  it.each([
    ['a script: neither header', undefined, undefined, 'envdesk.example.com', true],
    ['the page of the same host and port', 'http://envdesk.test:3939', undefined, 'envdesk.test:3939', true],
    ['a default port written in Host but not in Origin', 'https://envdesk.example.com', undefined, 'envdesk.example.com:443', true],
    ['host names in other cases', 'https://EnvDesk.Example.com', undefined, 'envdesk.example.com', true],
    ['another site', 'https://evil.example', undefined, 'envdesk.example.com', false],
    ['another port of the same host', 'http://envdesk.test:8080', undefined, 'envdesk.test:3939', false],
    ['a sibling subdomain', 'https://wiki.example.com', undefined, 'envdesk.example.com', false],
    ['Origin: null', 'null', undefined, 'envdesk.example.com', false],
    ['a malformed Origin', 'http://[bad', undefined, 'envdesk.example.com', false],
    ['an Origin but no Host', 'http://envdesk.test', undefined, undefined, false],
    ['Sec-Fetch-Site: same-origin behind a proxy that rewrote Host', 'https://envdesk.example.com', 'same-origin', '127.0.0.1:3939', true],
    ['Sec-Fetch-Site: cross-site', undefined, 'cross-site', 'envdesk.example.com', false],
    ['Sec-Fetch-Site: same-site', 'https://envdesk.example.com', 'same-site', 'envdesk.example.com', false],
    ['Sec-Fetch-Site: none (typed into the address bar)', undefined, 'none', 'envdesk.example.com', false],
  ])('%s', (_label, origin, fetchSite, host, expected) => {
    expect(isOwnOrigin({ origin, fetchSite, host })).toBe(expected);
  });
});
