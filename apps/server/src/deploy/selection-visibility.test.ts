import { TaskSchema } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleArchive, cookbookManifest } from '../test/bundles.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

// Issue 9 §6: a publisher granted 10 of 11 environments must not learn of the eleventh — not from the
// explainer, the content page's runtime text (the explainer's failure), the deploy log or its error.
const HIDDEN = {
  title: 'Hidden lab image',
  name: 'registry.example.org/hidden-lab:2026',
  r: { installations: [{ version: '4.2.3', path: '/opt/hidden-lab/R/bin/R' }] },
  python: { installations: [{ version: '3.12.4', path: '/opt/hidden-lab/python/bin/python' }] },
};
const MISSING_IMAGE = 'registry.example.org/never-made:1';
/** Only the hidden environment has a Python 3.12: it would be the best fit if it counted. */
const wantsPython312 = (environment?: Record<string, unknown>) =>
  cookbookManifest({ python: { version: '3.12.4', package_manager: { name: 'pip', package_file: 'requirements.txt' } }, ...(environment ? { environment } : {}) });

describeEachDialect('a publisher granted 10 of 11 environments, on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let hiddenGuid: string;
  /** Every trace of the hidden environment a response could carry. */
  let traces: string[];

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    const other = await server.addUser('publisher');
    for (let i = 1; i <= 10; i++) {
      const created = await server.request('POST', '/__api__/v1/environments', {
        body: {
          title: `Visible ${i}`,
          name: `ghcr.io/org/visible-${i}:1`,
          r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] },
          python: { installations: [{ version: '3.10.12', path: '/usr/bin/python3' }] },
        },
      });
      // Some granted by name, the rest open to every publisher (no entries).
      if (i % 3 === 0) await server.request('POST', `/__api__/v1/environments/${created.body.guid}/permissions`, { body: { user_guid: publisher.guid } });
    }
    hiddenGuid = (await server.request('POST', '/__api__/v1/environments', { body: HIDDEN })).body.guid;
    const granted = await server.request('POST', `/__api__/v1/environments/${hiddenGuid}/permissions`, { body: { user_guid: other.guid } });
    expect(granted.status).toBeLessThan(300);
    traces = [hiddenGuid, HIDDEN.title, HIDDEN.name, 'hidden-lab', '3.12.4 from', 'not granted', '11 environments', '11 other'];
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  const expectNoTrace = (text: string) => {
    for (const trace of traces) expect(text, trace).not.toContain(trace);
  };

  async function explain(body: Record<string, unknown>, as: TestUser | undefined = publisher) {
    const response = await server.request('POST', '/__api__/v1/environments/select', { ...(as ? { as } : {}), body });
    expect(response.status).toBe(200);
    return response;
  }

  async function deployed(manifest: unknown, contentBody: Record<string, unknown> = {}) {
    const content = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: contentBody })).body;
    const upload = await server.request('POST', `/__api__/v1/content/${content.guid}/bundles`, { as: publisher, rawBody: bundleArchive(manifest) });
    expect(upload.status).toBe(200);
    const deploy = await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, { as: publisher, body: {} });
    expect(deploy.status).toBe(202);
    for (let round = 0; round < 60; round++) {
      const task = TaskSchema.parse((await server.request('GET', `/__api__/v1/tasks/${deploy.body.task_id}?wait=1`, { as: publisher })).body);
      if (!task.finished) continue;
      const history = (await server.request('GET', `/__api__/v1/content/${content.guid}/deployments`, { as: publisher })).body;
      return { content, task, history, log: history[0].output as string[] };
    }
    throw new Error('the deploy did not finish');
  }

  it('the explainer judges, names and counts only the 10', async () => {
    const response = await explain({ manifest: wantsPython312() });
    expectNoTrace(response.text);
    expect(response.body.candidates).toHaveLength(10);
    expect(response.body.failure).toContain('none of the 10 environments qualifies');
    expect(response.body.selected_guid).toBeNull();
  });

  it("the explainer answers a request for the hidden image as for one that does not exist", async () => {
    const secret = await explain({ manifest: wantsPython312({ image: HIDDEN.name }) });
    const missing = await explain({ manifest: wantsPython312({ image: MISSING_IMAGE }) });
    // The request repeats the image the bundle asked for; nothing else differs.
    expect(secret.text.replaceAll(HIDDEN.name, MISSING_IMAGE)).toBe(missing.text);
    expect(secret.body.failure).toContain("no environment the content's owner may use has that image");
    expect(secret.body.log).toContain('10 other environments were not considered: not the requested image.');
    const byGuid = await explain({ manifest: wantsPython312(), default_environment_guid: hiddenGuid });
    expect(byGuid.text.replaceAll(hiddenGuid, '')).not.toMatch(/hidden|Hidden|3\.12\.4 from|exists/);
  });

  it('the deploy log, its error and the content page text name and count only the 10', async () => {
    const { content, task, history, log } = await deployed(wantsPython312());
    expect(task.code).not.toBe(0);
    expect(task.error).toContain('none of the 10 environments qualifies');
    expectNoTrace(JSON.stringify([task, history]));
    expect(log.filter((line) => line.startsWith('Environment ')).length).toBe(10);
    // The content page's runtime text is the explainer's answer for the latest bundle.
    const page = await explain({ content_guid: content.guid });
    expectNoTrace(page.text);
    expect(page.body.failure).toBe(task.error);
  });

  it('a deploy requesting the hidden image fails as one requesting an image that does not exist', async () => {
    const secret = await deployed(wantsPython312({ image: HIDDEN.name }));
    const missing = await deployed(wantsPython312({ image: MISSING_IMAGE }));
    expect(secret.task.error.replace(HIDDEN.name, MISSING_IMAGE)).toBe(missing.task.error);
    expect(secret.log.map((line) => line.replace(HIDDEN.name, MISSING_IMAGE)).slice(1)).toEqual(missing.log.slice(1));
    expectNoTrace(JSON.stringify(secret.log.slice(1)).replaceAll(HIDDEN.name, ''));
  });

  it("an administrator's explainer still shows all 11 and why the hidden one is refused", async () => {
    const { content } = await deployed(wantsPython312());
    const response = await explain({ content_guid: content.guid }, server.admin);
    expect(response.body.candidates).toHaveLength(11);
    expect(response.body.failure).toContain('none of the 11 environments qualifies');
    const hidden = response.body.candidates.find((candidate: { guid: string }) => candidate.guid === hiddenGuid);
    expect(hidden).toMatchObject({ title: HIDDEN.title, reasons: ["not granted to the content's owner"], checks: { permitted: false } });
  });
});
