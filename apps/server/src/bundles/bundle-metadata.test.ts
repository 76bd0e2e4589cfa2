import { BundleSchema, ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleArchive } from '../test/bundles.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const GIT = {
  source: 'git',
  source_repo: 'https://github.com/acme/reports',
  source_branch: 'main',
  source_commit: '3f2c9a1e0b7d4c5a8e6f1d2b3c4a5e6f7a8b9c0d',
};

describeEachDialect('bundle git metadata (rsconnect-python multipart) on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;
  let contentGuid: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    contentGuid = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: {} })).body.guid;
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  /** The form as rsconnect-python builds it: the archive first, then the metadata as a plain field. */
  const uploadForm = async (metadata: string | null, { as = publisher, metadataFirst = false, asFile = false } = {}) => {
    const form = new FormData();
    const addMetadata = () => {
      if (metadata === null) return;
      if (asFile) form.append('metadata', new Blob([metadata], { type: 'application/json' }), 'metadata.json');
      else form.append('metadata', metadata);
    };
    if (metadataFirst) addMetadata();
    form.append('archive', new Blob([bundleArchive()], { type: 'application/x-tar' }), 'bundle.tar.gz');
    if (!metadataFirst) addMetadata();
    const response = await fetch(`${server.url}/__api__/v1/content/${contentGuid}/bundles`, {
      method: 'POST',
      headers: { authorization: `Key ${as.key}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { payload?: { field?: string } } };
  };
  const bundleCount = async () => (await server.request('GET', `/__api__/v1/content/${contentGuid}/bundles`, { as: publisher })).body.length as number;

  it('keeps the git source, repository, branch and commit, and answers them on upload, get and list', async () => {
    const uploaded = await uploadForm(JSON.stringify({ ...GIT, archive: 'ignored', unknown_key: 1 }));
    expect(uploaded.status).toBe(200);
    const bundle = BundleSchema.parse(uploaded.body);
    expect(bundle.metadata).toMatchObject(GIT);
    const fetched = await server.request('GET', `/__api__/v1/content/${contentGuid}/bundles/${bundle.id}`, { as: publisher });
    expect(fetched.body.metadata).toEqual(bundle.metadata);
    const listed = await server.request('GET', `/__api__/v1/content/${contentGuid}/bundles`, { as: server.admin });
    expect(listed.body.find((item: { id: string }) => item.id === bundle.id).metadata).toMatchObject(GIT);
  });

  it('reads the part wherever it comes in the form, and sent as a file part too', async () => {
    for (const options of [{ metadataFirst: true }, { asFile: true }, { asFile: true, metadataFirst: true }]) {
      const uploaded = await uploadForm(JSON.stringify({ ...GIT, source_branch: 'release' }), options);
      expect(uploaded.status).toBe(200);
      expect(uploaded.body.metadata).toMatchObject({ source: 'git', source_branch: 'release' });
    }
  });

  it('answers nulls for an upload that says nothing about its source', async () => {
    const plain = await server.request('POST', `/__api__/v1/content/${contentGuid}/bundles`, { as: publisher, rawBody: bundleArchive() });
    expect(plain.body.metadata).toMatchObject({ source: null, source_repo: null, source_branch: null, source_commit: null });
    const noPart = await uploadForm(null);
    expect(noPart.body.metadata).toMatchObject({ source: null, source_commit: null });
    const empty = await uploadForm('{"source": "", "source_repo": null}');
    expect(empty.body.metadata).toMatchObject({ source: null, source_repo: null });
  });

  it.each([
    ['not JSON', '{"source": ', 'metadata'],
    ['a JSON array', '[1, 2]', 'metadata'],
    ['a number for the branch', JSON.stringify({ ...GIT, source_branch: 7 }), 'metadata.source_branch'],
    ['a control character in the commit', JSON.stringify({ ...GIT, source_commit: 'abc\u0000def' }), 'metadata.source_commit'],
    ['an overlong repository', JSON.stringify({ ...GIT, source_repo: `https://x/${'r'.repeat(5000)}` }), 'metadata.source_repo'],
    ['a part far larger than git metadata', JSON.stringify({ ...GIT, padding: 'p'.repeat(200_000) }), 'metadata'],
  ])('refuses metadata that is %s with a 400 naming it, and keeps no bundle', async (_label, metadata, field) => {
    const before = await bundleCount();
    const refused = await uploadForm(metadata);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: ErrorCode.BadRequest, payload: { field } });
    expect(await bundleCount()).toBe(before);
  });

  it('says a too-large part is too large, sent as a field or as a file', async () => {
    for (const asFile of [false, true]) {
      const refused = await uploadForm(JSON.stringify({ ...GIT, padding: 'p'.repeat(200_000) }), { asFile });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(/larger than 65536 bytes/);
    }
  });

  it('lets only who may write the content upload with metadata', async () => {
    const refused = await uploadForm(JSON.stringify(GIT), { as: viewer });
    expect(refused.status).toBe(403);
  });
});
