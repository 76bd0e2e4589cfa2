import { describe, expect, it } from 'vitest';
import { parseInput } from '../validation.js';
import { AuditSearchQuerySchema, parseAuditSearch } from './audit-search.js';

const GUID = '8c1c6df6-16bf-4901-b52c-50de0b1da233';

describe('parseAuditSearch', () => {
  it.each([
    ['', []],
    ['  ', []],
    ['Dana', [{ kind: 'term', negated: false, value: 'dana' }]],
    ['"sea bream" -deleted', [{ kind: 'term', negated: false, value: 'sea bream' }, { kind: 'term', negated: true, value: 'deleted' }]],
    ['action:ADD_USER,delete_group', [{ kind: 'action', negated: false, values: ['add_user', 'delete_group'] }]],
    ['-user_id:0', [{ kind: 'user_id', negated: true, values: [0] }]],
    [`user_guid:"${GUID.toUpperCase()}",${GUID}`, [{ kind: 'user_guid', negated: false, values: [GUID, GUID] }]],
    ['from:2026-01-02T03:04:05Z to:2026-01-02T03:04:05.999999999Z', [{ kind: 'from', negated: false, value: '2026-01-02T03:04:05Z' }, { kind: 'to', negated: false, value: '2026-01-02T03:04:05Z' }]],
    // A fraction of a second moves `from` to the next stored second, so the bound stays inclusive of what it means.
    ['from:2026-01-02T03:04:05.5+01:00', [{ kind: 'from', negated: false, value: '2026-01-02T02:04:06Z' }]],
    ['"http://host:3939/x"', [{ kind: 'term', negated: false, value: 'http://host:3939/x' }]],
  ])('reads %j', (q, criteria) => {
    expect(parseAuditSearch(q)).toEqual({ ok: true, value: criteria });
  });

  it.each([
    ['"unbalanced', /quote at character 1 is never closed/],
    ['action:"add_user', /never closed/],
    ['ab"cd', /unexpected quote/],
    ['"a"b', /followed by a space/],
    ['owner:me', /"owner" is not a filter; the filters are action, user_guid, user_id, from, to/],
    ['action:', /action: needs a value/],
    ['action:add_user,', /action: needs a value/],
    ['action:make_coffee', /not an action envdesk records/],
    ['user_guid:42', /not a GUID/],
    ['user_id:-1', /not a user id/],
    ['user_id:99999999999', /not a user id/],
    ['from:yesterday', /not an RFC 3339 time/],
    ['from:2026-02-30T00:00:00Z', /not a real date/],
    ['to:2026-01-01T00:00:00Z,2026-01-02T00:00:00Z', /takes one time/],
    ['- term', /must be followed by a term or filter/],
    [Array.from({ length: 51 }, (_, index) => `t${index}`).join(' '), /more than 50/],
  ])('refuses %j, saying why', (q, message) => {
    const parsed = parseAuditSearch(q);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('keeps a hostile value out of its message', () => {
    const parsed = parseAuditSearch(`user_guid:${'x'.repeat(1000)}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message.length).toBeLessThan(120);
  });
});

describe('AuditSearchQuerySchema', () => {
  it('reads the query and the page, with Connect’s defaults', () => {
    expect(parseInput(AuditSearchQuerySchema, {})).toEqual({ ok: true, value: { q: [], page_number: 1, page_size: 20, order: 'asc' } });
    const parsed = parseInput(AuditSearchQuerySchema, { q: 'action:add_user', page_size: '5', order: 'desc' });
    expect(parsed.ok && parsed.value).toMatchObject({ q: [{ kind: 'action' }], page_size: 5, order: 'desc' });
  });

  it.each([
    [{ q: '"open' }, 'q', /never closed/],
    [{ q: 'a'.repeat(2049) }, 'q', /at most 2048/],
    [{ q: 'nul\u0000' }, 'q', /control characters/],
    [{ q: ['a', 'b'] }, 'q', /./],
    [{ page_size: '501' }, 'page_size', /./],
    [{ page_number: '0' }, 'page_number', /./],
    [{ order: 'sideways' }, 'order', /./],
  ])('refuses %j naming the field', (query, field, message) => {
    const parsed = parseInput(AuditSearchQuerySchema, query);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.payload).toMatchObject({ field });
      expect(parsed.error.message).toMatch(message);
    }
  });
});
