import { readEnvironmentsFile } from '@envdesk/domain';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushLayout } from '../inspection/registry/testing/push-layout.js';
import { type TestRegistry, startTestRegistry } from '../inspection/registry/testing/registry-process.js';
import {
  type BuiltLayout,
  type ImageSpec,
  aDataScienceImage,
  executable,
  folder,
  pythonInstallation,
  writeDockerSave,
  writeOciArchive,
  writeOciLayout,
} from '../inspection/testing/image-builders.js';
import { imageFolder } from '../inspection/testing/inspect-for-tests.js';
import { runCli } from './envdesk.js';

const temp = imageFolder();
let registry: TestRegistry;
let layout: BuiltLayout;
let multiPlatform: BuiltLayout;
let saved: string;

/** Python and R only on `PATH` (no home holds them), R with no version to be found. */
const onlyOnPath: ImageSpec = {
  env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
  layers: [{ entries: [folder('usr'), folder('usr/bin'), executable('usr/bin/R'), ...pythonInstallation('usr/local', '3.12.4')] }],
};

beforeAll(async () => {
  registry = await startTestRegistry();
  layout = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
  multiPlatform = await writeOciLayout(temp.place('multi'), [
    aDataScienceImage({ platform: { os: 'linux', architecture: 'amd64' } }),
    aDataScienceImage({ rVersion: '4.5.0', platform: { os: 'linux', architecture: 'arm64' } }),
  ]);
  saved = await writeDockerSave(layout, temp.place('saved.tar'), { format: 'legacy' });
  await pushLayout({ host: registry.host, repository: 'team/r' }, multiPlatform, '4.5');
}, 30_000);
afterAll(async () => {
  await registry?.stop();
  temp.cleanup();
});

async function inspect(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { ENVDESK_DATA_DIR: temp.place('data'), ENVDESK_INSECURE_REGISTRIES: registry.host };
  const code = await runCli(['environments', 'inspect', ...args], (t) => out.push(t), (t) => err.push(t), env);
  return { code, out: out.join(''), err: err.join('') };
}

const R_441 = { installations: [{ version: '4.4.1', path: '/opt/R/4.4.1/bin/R' }] };
const PYTHON = { installations: [{ version: '3.11.9', path: '/opt/python/3.11.9/bin/python3' }] };
const QUARTO = { installations: [{ version: '1.5.57', path: '/opt/quarto/bin/quarto' }] };

describe('envdesk environments inspect', () => {
  it('prints the declarative file for an OCI layout and a docker save tarball, with progress on standard error', async () => {
    const { code, out, err } = await inspect(layout.folder, saved);
    expect(code).toBe(0);
    const document = yaml.load(out) as { executionEnvironments: unknown[] };
    // The tarball names its image (RepoTags); the layout's index gives a bare tag (`latest`), which names none.
    expect(document.executionEnvironments).toEqual(
      [layout.folder, 'example.test/data-science:latest'].map((name) => ({
        name,
        title: 'R 4.4.1 / Python 3.11.9 / Quarto 1.5.57',
        matching: 'any',
        python: PYTHON,
        quarto: QUARTO,
        r: R_441,
      })),
    );
    expect(err).toContain(`warning: ${layout.folder} is not an image reference; write the image's reference`);
    expect(err).not.toContain(`warning: ${saved} is not`);
    expect(err).toMatch(/manifest sha256:[0-9a-f]{64} \(linux\/amd64\)/);
    expect(err).toContain('layer 4/4');
    expect(out).not.toContain('layer');
  });

  it('prints the API JSON and the legacy Launcher.ClusterDefinitions shape', async () => {
    const json = await inspect(layout.folder, '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual([
      { name: layout.folder, title: 'R 4.4.1 / Python 3.11.9 / Quarto 1.5.57', matching: 'any', python: PYTHON, quarto: QUARTO, r: R_441 },
    ]);
    const legacy = await inspect(`docker-archive:${saved}`, '--format=legacy');
    expect(legacy.code).toBe(0);
    expect(yaml.load(legacy.out)).toEqual({
      name: 'Kubernetes',
      images: [
        {
          name: `docker-archive:${saved}`,
          python: { installations: [{ path: '/opt/python/3.11.9/bin/python3', version: '3.11.9' }] },
          quarto: { installations: [{ path: '/opt/quarto/bin/quarto', version: '1.5.57' }] },
          r: { installations: [{ path: '/opt/R/4.4.1/bin/R', version: '4.4.1' }] },
        },
      ],
    });
    expect(legacy.out.indexOf('path:')).toBeLessThan(legacy.out.indexOf('version:'));
  });

  it('names the environment of a saved image by the reference the image gives itself, in YAML and JSON', async () => {
    const named = await writeOciLayout(temp.place('named'), [aDataScienceImage()], { tag: 'ghcr.io/my-org/data-science:2026.01' });
    const archive = await writeOciArchive(named, temp.place('named-oci.tar'));
    // Docker 25: a layout whose index names the image by tag alone, and manifest.json with its RepoTags.
    const docker25 = await writeDockerSave(layout, temp.place('docker25.tar'), { format: 'oci', repoTag: 'registry.example.org/team/r:4.4' });
    const yamlRun = await inspect(named.folder, archive, `oci:${named.folder}:2026.01`, docker25);
    expect(yamlRun.code).toBe(0);
    const names = (yaml.load(yamlRun.out) as { executionEnvironments: Array<{ name: string }> }).executionEnvironments.map((entry) => entry.name);
    expect(names).toEqual(['ghcr.io/my-org/data-science:2026.01', 'ghcr.io/my-org/data-science:2026.01', 'ghcr.io/my-org/data-science:2026.01', 'registry.example.org/team/r:4.4']);
    expect(yamlRun.err).not.toContain('is not an image reference');
    const jsonRun = await inspect(`docker-archive:${saved}`, '--format', 'json');
    expect(JSON.parse(jsonRun.out)[0].name).toBe('example.test/data-science:latest');
  });

  it('reads the platform asked for from a multi-platform layout', async () => {
    const arm = yaml.load((await inspect(multiPlatform.folder, '--platform', 'linux/arm64')).out) as { executionEnvironments: Array<{ r: unknown }> };
    expect(arm.executionEnvironments[0]!.r).toEqual({ installations: [{ version: '4.5.0', path: '/opt/R/4.5.0/bin/R' }] });
    const amd = await inspect(multiPlatform.folder, '--platform', 'linux/amd64');
    expect(amd.err).toContain('(linux/amd64)');
    expect((yaml.load(amd.out) as { executionEnvironments: Array<{ r: unknown }> }).executionEnvironments[0]!.r).toEqual(R_441);
  });

  it('looks on PATH unless told not to, and warns of installations without a version instead of printing them', async () => {
    const onPath = await writeOciLayout(temp.place('on-path'), [onlyOnPath]);
    const looked = await inspect(onPath.folder, '--format', 'json');
    expect(looked.code).toBe(0);
    expect(looked.err).toContain(
      `warning: ${onPath.folder}: R at /usr/bin/R has no version the image tells (no version file, no version in its folder's name), so it is left out: to keep it, add it to the environment with its version typed in (for example 4.4.1).`,
    );
    const found = JSON.parse(looked.out)[0];
    expect([found.python, found.r]).toEqual([{ installations: [{ version: '3.12.4', path: '/usr/local/bin/python3' }] }, { installations: [] }]);
    const notLooked = await inspect(onPath.folder, '--format', 'json', '--no-path-lookups');
    expect(notLooked.err).not.toContain('has no version');
    expect(JSON.parse(notLooked.out)[0].python).toEqual({ installations: [] });
  });

  it('reads images from a registry into a file the file sync reads back as the environments', async () => {
    const { code, out, err } = await inspect(`${registry.host}/team/r:4.5`, `${registry.host}/team/r:4.5`, '--platform', 'linux/arm64');
    expect(code).toBe(0);
    expect(err).toContain(multiPlatform.images[1]!.manifest.digest);
    expect(err).not.toContain('warning');
    const read = readEnvironmentsFile(yaml.load(out));
    if (!read.ok) throw new Error(`the file sync could not read the output: ${JSON.stringify(read.error)}`);
    expect(read.value.map(({ definition }) => [definition.name, definition.title, definition.r?.installations])).toEqual([
      [`${registry.host}/team/r:4.5`, 'R 4.5.0 / Python 3.11.9 / Quarto 1.5.57', [{ version: '4.5.0', path: '/opt/R/4.5.0/bin/R' }]],
      [`${registry.host}/team/r:4.5`, 'R 4.5.0 / Python 3.11.9 / Quarto 1.5.57', [{ version: '4.5.0', path: '/opt/R/4.5.0/bin/R' }]],
    ]);
  });

  it('says in one line what is wrong, exits 1 and prints nothing on standard output', async () => {
    const cases: Array<[string[], string]> = [
      [[temp.place('missing')], 'There is no file or folder'],
      [['../../etc/passwd'], '../../etc/passwd'],
      [[layout.folder, multiPlatform.folder, '--platform', 'plan9/mips'], 'has no plan9/mips variant'],
      [[`${registry.host}/team/r:no-such-tag`], `${registry.host}/team/r:no-such-tag`],
      [['127.0.0.1:1/team/r:1'], '127.0.0.1:1'],
    ];
    for (const [args, expected] of cases) {
      const { code, out, err } = await inspect(...args);
      expect(code, args.join(' ')).toBe(1);
      expect(out).toBe('');
      const failure = err.split('\n').filter((line) => line.startsWith('envdesk: '));
      expect(failure).toHaveLength(1);
      expect(failure[0]).toContain(expected);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses unknown options and missing images with its usage, exit 2', async () => {
    for (const args of [[], ['--format', 'xml', layout.folder], ['--frobnicate', layout.folder], [layout.folder, '--platform']]) {
      const { code, err } = await inspect(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toContain('Usage: envdesk environments');
    }
  });
});
