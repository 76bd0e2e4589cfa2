import { AuditLogSchema, type AuditLog, ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

/** A paging link as the test client takes it: the path under /__api__ and the query. */
const ORIGIN_FREE = (url: string) => url.replace(/^http:\/\/[^/]+\/__api__/, '');

describeEachDialect("Connect's audit log API on %s", (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;
  /** The ids of the entries this suite made, oldest first. */
  let ids: string[];

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    // Seven entries by the administrator (users, groups) and one by the publisher, then one by the file.
    for (const name of ['alpha', 'beta', 'gamma']) {
      expect((await server.request('POST', '/__api__/v1/groups', { body: { name } })).status).toBe(200);
    }
    for (const username of ['uno', 'dos', 'tres', 'cuatro']) {
      expect((await server.request('POST', '/__api__/v1/users', { body: { username } })).status).toBe(200);
    }
    expect((await server.request('POST', '/__api__/v1/content', { body: { name: 'report', title: 'Report 100%' }, as: publisher })).status).toBe(200);
    await server.store.audit.append({ kind: 'file', file: 'environments.yaml' }, [
      { action: 'add_environment', subject_type: 'environment', subject_guid: null, subject_name: 'x', event_description: 'Added environment from the file', changes: [], state: null },
    ], '2030-01-01T00:00:00Z');
    const all = await server.request('GET', '/__api__/v1/audit_logs?limit=500');
    ids = all.body.results.map((entry: AuditLog) => entry.id);
    expect(ids).toHaveLength(9);
  });
  afterAll(() => server.close());

  const get = async (path: string, as?: TestUser) => {
    const response = await server.request('GET', `/__api__${path}`, { as });
    return response;
  };

  describe('GET /v1/audit_logs', () => {
    it('answers entries in Connect’s shape, oldest first by default', async () => {
      const response = await get('/v1/audit_logs?limit=2');
      expect(response.status).toBe(200);
      expect(z.array(AuditLogSchema).parse(response.body.results)).toHaveLength(2);
      expect(response.body.results[0]).toMatchObject({ action: 'add_group', user_guid: server.admin.guid, event_description: 'Added group alpha' });
      expect(response.body.results[0].user_id).toMatch(/^[1-9]\d*$/);
      expect(Object.keys(response.body.results[0]).sort()).toEqual(['action', 'event_description', 'id', 'time', 'user_description', 'user_guid', 'user_id']);
    });

    it('walks forward with next and back with previous, with full links, first and last', async () => {
      const first = await get('/v1/audit_logs?limit=4');
      expect(first.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(0, 4));
      expect(first.body.paging).toMatchObject({ cursors: { previous: null, next: ids[3] }, first: null, previous: null });
      expect(first.body.paging.next).toMatch(new RegExp(`^http://[^/]+/__api__/v1/audit_logs\\?`));
      expect(new URL(first.body.paging.next).searchParams.get('next')).toBe(ids[3]);

      const second = await get(ORIGIN_FREE(first.body.paging.next));
      expect(second.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(4, 8));
      expect(second.body.paging.cursors).toEqual({ previous: ids[4], next: ids[7] });

      const third = await get(ORIGIN_FREE(second.body.paging.next));
      expect(third.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(8));
      expect(third.body.paging).toMatchObject({ cursors: { next: null }, next: null, last: null });

      const back = await get(ORIGIN_FREE(third.body.paging.previous));
      expect(back.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(4, 8));
      const start = await get(ORIGIN_FREE(back.body.paging.first));
      expect(start.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(0, 4));
      const last = await get(ORIGIN_FREE(first.body.paging.last));
      expect(last.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(5));
      expect(last.body.paging).toMatchObject({ next: null, last: null });
    });

    it('walks newest first with ascOrder=false, keeping the order in its links', async () => {
      const first = await get('/v1/audit_logs?limit=5&ascOrder=false');
      expect(first.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(4).reverse());
      expect(new URL(first.body.paging.next).searchParams.get('ascOrder')).toBe('false');
      const second = await get(ORIGIN_FREE(first.body.paging.next));
      expect(second.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(0, 4).reverse());
      expect(second.body.paging.next).toBeNull();
      const back = await get(ORIGIN_FREE(second.body.paging.previous));
      expect(back.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(4).reverse());
    });

    it('finds the way back from past the end', async () => {
      const past = await get(`/v1/audit_logs?limit=3&next=${ids.at(-1)}`);
      expect(past.body.results).toEqual([]);
      const back = await get(ORIGIN_FREE(past.body.paging.previous));
      expect(back.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(6));
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['next=abc', 'next'],
      ['next=99999999999', 'next'],
      ['ascOrder=maybe', 'ascOrder'],
      ['next=1&previous=2', 'previous'],
      ['next=1&next=2', 'next'],
    ])('refuses %s with a 400 naming %s', async (query, field) => {
      const response = await get(`/v1/audit_logs?${query}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: ErrorCode.BadRequest, payload: { field } });
    });
  });

  describe('GET /v1/audit/actions', () => {
    it('describes every action envdesk records', async () => {
      const response = await get('/v1/audit/actions');
      expect(response.status).toBe(200);
      expect(response.body).toContainEqual({ action: 'add_user', description: expect.any(String) });
      expect(response.body.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['add_group', 'deploy_application', 'update_environment']));
    });
  });

  describe('GET /v1/search/auditlogs', () => {
    const search = async (q: string, extra = '') => {
      const response = await get(`/v1/search/auditlogs?q=${encodeURIComponent(q)}${extra}`);
      expect(response.status, response.text).toBe(200);
      return { total: response.body.total as number, descriptions: (response.body.results as AuditLog[]).map((entry) => entry.event_description) };
    };

    it('matches every term, ignoring case, in who, what and the description', async () => {
      expect((await search('GROUP beta')).descriptions).toEqual(['Added group beta']);
      expect((await search('"user uno"')).descriptions).toEqual(['Added user uno']);
      expect((await search(publisher.username)).total).toBe(1);
      // A % in a term is a percent sign, not a wildcard.
      expect((await search('100%')).total).toBe(1);
      expect((await search('1%0')).total).toBe(0);
    });

    it('filters by action, user and time, and negates filters and terms', async () => {
      expect((await search('action:add_group,ADD_APPLICATION')).total).toBe(4);
      expect((await search('-action:add_group')).total).toBe(6);
      expect((await search(`user_guid:${publisher.guid}`)).total).toBe(1);
      expect((await search(`-user_guid:${server.admin.guid}`)).total).toBe(2);
      expect((await search('user_id:0')).descriptions).toEqual(['Added environment from the file']);
      expect((await search('-user_id:0')).total).toBe(8);
      expect((await search('from:2030-01-01T00:00:00Z')).total).toBe(1);
      expect((await search('to:2029-12-31T23:59:59.999Z')).total).toBe(8);
      expect((await search('-from:2030-01-01T01:00:00+01:00')).total).toBe(8);
      expect((await search('group -alpha -"group beta"')).descriptions).toEqual(['Added group gamma']);
    });

    it('pages with page_number, page_size and order', async () => {
      const page = await search('action:add_user', '&page_size=3&page_number=2&order=desc');
      expect(page).toEqual({ total: 4, descriptions: ['Added user uno'] });
      const answer = await get('/v1/search/auditlogs?page_size=2');
      expect(Object.keys(answer.body).sort()).toEqual(['results', 'total']);
      expect(answer.body.results.map((entry: AuditLog) => entry.id)).toEqual(ids.slice(0, 2));
    });

    it.each([
      ['"unclosed', /never closed/],
      ['owner:me', /not a filter/],
      ['user_id:x', /not a user id/],
      ['from:tomorrow', /RFC 3339/],
      ['x'.repeat(5000), /at most 2048/],
    ])('refuses %j with a 400 saying why', async (q, message) => {
      const response = await get(`/v1/search/auditlogs?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: ErrorCode.BadRequest, payload: { field: 'q' } });
      expect(response.body.error).toMatch(message);
    });
  });

  it.each(['/v1/audit_logs', '/v1/audit/actions', '/v1/search/auditlogs'])('refuses %s to publishers and viewers', async (path) => {
    for (const caller of [publisher, viewer]) {
      const response = await get(path, caller);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe(ErrorCode.PermissionDenied);
    }
  });
});
