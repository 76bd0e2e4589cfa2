import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironmentsFile } from '@envdesk/domain';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_NAMES, readSettings } from './settings.js';
import { parseDocument } from './sync/environments-file-reader.js';
import { type TestServer, startTestServer } from './test/test-server.js';

/**
 * Neither Docker nor a cluster exists where the tests run: what can be checked without them is
 * that the files parse, set only settings the server reads, and probe paths that answer.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const manifestsDir = path.join(repoRoot, 'deploy/kubernetes');

interface Manifest {
  kind: string;
  metadata: { name: string };
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- Kubernetes objects are read field by field below
}

const manifests = readdirSync(manifestsDir)
  .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
  .flatMap((file) => loadAll(readFileSync(path.join(manifestsDir, file), 'utf8')) as Manifest[]);
const byKind = (kind: string) => manifests.find((manifest) => manifest.kind === kind)!;
const deployment = () => byKind('Deployment');
const container = () => deployment().spec.template.spec.containers[0];
const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
/** `ENV A=1 \ B=2` in the runtime stage (the last FROM). */
const dockerEnv = (): Record<string, string> => {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const block = /\nENV ((?:[^\n]*\\\n)*[^\n]*)/.exec(runtime)?.[1] ?? '';
  return Object.fromEntries(block.split(/\s*\\\n\s*|\s+/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
};

describe('deploy/kubernetes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('lists in the kustomization every manifest there is', () => {
    const kustomization = loadAll(readFileSync(path.join(manifestsDir, 'kustomization.yaml'), 'utf8'))[0] as { resources: string[] };
    const files = readdirSync(manifestsDir).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Secret', 'Service']);
  });

  it('runs two replicas as a non-root user, with probes on paths the server answers', async () => {
    expect(deployment().spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment().spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    const { readinessProbe, livenessProbe } = container();
    expect(readinessProbe.httpGet.path).toBe('/__ready__');
    for (const probe of [readinessProbe, livenessProbe]) {
      expect((await server.request('GET', probe.httpGet.path, { as: null })).status).toBe(200);
      expect(container().ports.map((port: { name: string }) => port.name)).toContain(probe.httpGet.port);
    }
  });

  it('sets only settings the server reads, from the Deployment, the Secret and the Dockerfile', () => {
    const names = [
      ...container().env.map((variable: { name: string }) => variable.name),
      ...Object.keys(byKind('Secret').stringData),
      ...Object.keys(dockerEnv()).filter((name) => name !== 'NODE_ENV'),
    ];
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !SETTING_NAMES.includes(name))).toEqual([]);
  });

  it('makes settings the server accepts once the Secret holds real values', () => {
    const env = {
      ...dockerEnv(),
      ...Object.fromEntries(container().env.map((variable: { name: string; value: string }) => [variable.name, variable.value])),
      ...byKind('Secret').stringData,
      ENVDESK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    const settings = readSettings(env);
    expect(settings).toMatchObject({ host: '0.0.0.0', port: 3939, databaseUrl: expect.stringMatching(/^postgres:\/\//) });
    // The placeholder itself is refused at start, naming the variable, rather than used.
    expect(() => readSettings({ ...env, ENVDESK_SECRET_KEY: byKind('Secret').stringData.ENVDESK_SECRET_KEY })).toThrow(/ENVDESK_SECRET_KEY/);
  });

  it('mounts the ConfigMap where ENVDESK_ENVIRONMENTS_FILE points, and its file is a valid environments file', () => {
    const file = container().env.find((variable: { name: string }) => variable.name === 'ENVDESK_ENVIRONMENTS_FILE').value as string;
    const mount = container().volumeMounts.find((volumeMount: { mountPath: string }) => file.startsWith(`${volumeMount.mountPath}/`));
    const volume = deployment().spec.template.spec.volumes.find((entry: { name: string }) => entry.name === mount.name);
    const configMap = byKind('ConfigMap');
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    const parsed = parseDocument(configMap.data[path.basename(file)]);
    expect(parsed.ok).toBe(true);
    const entries = parsed.ok ? readEnvironmentsFile(parsed.document) : null;
    expect(entries?.ok && entries.value.length).toBeGreaterThan(0);
  });

  it('routes the Service to the container port', () => {
    expect(byKind('Service').spec.ports[0].targetPort).toBe(container().ports[0].name);
    expect(byKind('Service').spec.selector).toEqual(deployment().spec.selector.matchLabels);
  });
});

describe('Dockerfile', () => {
  it('serves on all interfaces as a non-root user, checks health on /__ready__, and keeps the data folder in a volume', () => {
    expect(dockerEnv()).toMatchObject({ HOST: '0.0.0.0', PORT: '3939', ENVDESK_DATA_DIR: '/var/lib/envdesk' });
    expect(dockerfile).toMatch(/\nUSER node\n/);
    expect(dockerfile).toMatch(/\nHEALTHCHECK [^\n]*\\\n[^\n]*\/__ready__/);
    expect(dockerfile).toMatch(/\nVOLUME \/var\/lib\/envdesk\n/);
    expect(dockerfile).toMatch(/\nEXPOSE 3939\n/);
  });

  it('copies from the build only what exists there, and starts the bundle the build makes', () => {
    const copied = [...dockerfile.matchAll(/\nCOPY (?:--from=build )?\/src\/(\S+) /g)].map((match) => match[1]!);
    expect(copied).toContain('apps/server/dist');
    for (const source of copied.filter((item) => !item.includes('dist') && item !== 'node_modules')) expect(existsSync(path.join(repoRoot, source))).toBe(true);
    expect(dockerfile).toContain('CMD ["node", "apps/server/dist/bundle/main.js"]');
    expect(readFileSync(path.join(repoRoot, 'tools/build-server.ts'), 'utf8')).toContain('dist/bundle');
  });
});
