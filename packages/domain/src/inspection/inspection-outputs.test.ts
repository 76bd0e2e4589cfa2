import { describe, expect, it } from 'vitest';
import { CreateEnvironmentInputSchema } from '../environments/environment-schemas.js';
import { readEnvironmentsFile } from '../sync/environments-file.js';
import { convertLegacyDefinitions } from '../sync/legacy-cluster-definitions.js';
import type { FoundInstallation } from './detect-installations.js';
import {
  type InspectedImage,
  inspectedTitle,
  inspectionWarnings,
  installationsFromInspection,
  toEnvironmentsFileDocument,
  toLegacyClusterDefinitions,
} from './inspection-outputs.js';

const found = (path: string, version: string | null): FoundInstallation => ({
  path,
  version,
  version_source: version === null ? null : 'folder name',
  found_in: 'PATH',
  aliases: [],
});

const kitchenSink: InspectedImage = {
  name: 'ghcr.io/my-org/connect-runtime:r4.4-py3.12',
  installations: {
    python: [found('/opt/python/3.11.9/bin/python3.11', '3.11.9'), found('/opt/python/3.12.4/bin/python3.12', '3.12.4')],
    quarto: [found('/opt/quarto/1.4.557/bin/quarto', '1.4.557')],
    r: [found('/opt/R/4.4.1/bin/R', '4.4.1'), found('/opt/R/devel/bin/R', null)],
  },
};
const pythonOnly: InspectedImage = {
  name: 'python:3.12-slim',
  installations: { python: [found('/usr/local/bin/python3.12', '3.12.4')], quarto: [], r: [] },
};
const nothing: InspectedImage = { name: 'debian:bookworm', installations: { python: [], quarto: [], r: [] } };

describe('installationsFromInspection', () => {
  it('gives the API shape of an environment’s installations, leaving out what has no version', () => {
    const installations = installationsFromInspection(kitchenSink.installations);
    expect(installations).toEqual({
      python: {
        installations: [
          { version: '3.11.9', path: '/opt/python/3.11.9/bin/python3.11' },
          { version: '3.12.4', path: '/opt/python/3.12.4/bin/python3.12' },
        ],
      },
      quarto: { installations: [{ version: '1.4.557', path: '/opt/quarto/1.4.557/bin/quarto' }] },
      r: { installations: [{ version: '4.4.1', path: '/opt/R/4.4.1/bin/R' }] },
    });
    expect(CreateEnvironmentInputSchema.safeParse({ name: kitchenSink.name, ...installations }).success).toBe(true);
  });
});

describe('inspectionWarnings', () => {
  it('names each installation found without a version, saying to type its version in, as it is left out of the environment', () => {
    expect(inspectionWarnings(kitchenSink.installations)).toEqual([
      "R at /opt/R/devel/bin/R has no version the image tells (no version file, no version in its folder's name), so it is left out: to keep it, add it to the environment with its version typed in (for example 4.4.1).",
    ]);
    expect(inspectionWarnings(pythonOnly.installations)).toEqual([]);
  });

  it('leaves out, with a warning, an installation at a path an environment cannot hold, rather than one that fails to save', () => {
    const hostile = { python: [found('/opt/python/3.12.4\n/bin/python3', '3.12.4')], quarto: [], r: [] };
    expect(installationsFromInspection(hostile).python).toEqual({ installations: [] });
    expect(inspectionWarnings(hostile)).toEqual(['Python at /opt/python/3.12.4\n/bin/python3 (version 3.12.4) is left out: an environment cannot hold an installation at that path.']);
    expect(inspectedTitle(hostile)).toBeNull();
  });
});

describe('toEnvironmentsFileDocument', () => {
  it('writes one executionEnvironments entry per image that the file sync reads back as found', () => {
    const document = toEnvironmentsFileDocument([kitchenSink, pythonOnly]);
    expect(document.executionEnvironments[1]).toEqual({
      name: 'python:3.12-slim',
      title: 'Python 3.12.4',
      matching: 'any',
      python: { installations: [{ version: '3.12.4', path: '/usr/local/bin/python3.12' }] },
    });
    const read = readEnvironmentsFile(JSON.parse(JSON.stringify(document)));
    expect(read.ok && read.value.map((entry) => entry.definition)).toMatchObject([
      {
        name: kitchenSink.name,
        title: 'R 4.4.1 / Python 3.11.9, 3.12.4 / Quarto 1.4.557',
        matching: 'any',
        ...installationsFromInspection(kitchenSink.installations),
      },
      { name: 'python:3.12-slim', r: { installations: [] }, quarto: { installations: [] } },
    ]);
  });

  it('cuts a title listing many versions short so the file still reads', () => {
    const many: InspectedImage = {
      name: 'ghcr.io/my-org/every-python',
      installations: {
        python: Array.from({ length: 40 }, (_, i) => found(`/opt/python/3.${i}.1/bin/python3.${i}`, `3.${i}.1`)),
        quarto: [],
        r: [],
      },
    };
    const title = inspectedTitle(many.installations) ?? '';
    expect(title).toHaveLength(255);
    expect(title.startsWith('Python 3.0.1, 3.1.1, ')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    expect(readEnvironmentsFile(toEnvironmentsFileDocument([many])).ok).toBe(true);
  });

  it('titles an image where nothing was found by its name, with no language keys', () => {
    expect(toEnvironmentsFileDocument([nothing]).executionEnvironments).toEqual([{ name: 'debian:bookworm', title: 'debian:bookworm', matching: 'any' }]);
    expect(inspectedTitle(nothing.installations)).toBeNull();
  });
});

describe('toLegacyClusterDefinitions', () => {
  it('prints the name: Kubernetes / images: document build-image-yaml.sh prints, path before version', () => {
    const document = toLegacyClusterDefinitions([pythonOnly, nothing]);
    expect(document).toEqual({
      name: 'Kubernetes',
      images: [
        { name: 'python:3.12-slim', python: { installations: [{ path: '/usr/local/bin/python3.12', version: '3.12.4' }] } },
        { name: 'debian:bookworm' },
      ],
    });
    expect(Object.keys(document.images[0]?.python as object)).toEqual(['installations']);
    expect(Object.keys((document.images[0]?.python as { installations: object[] }).installations[0] as object)).toEqual(['path', 'version']);
  });

  it('lists languages in the scripts’ order (python, quarto, r) and converts back to the same environments', () => {
    const document = toLegacyClusterDefinitions([kitchenSink]);
    expect(Object.keys(document.images[0] as object)).toEqual(['name', 'python', 'quarto', 'r']);
    const converted = convertLegacyDefinitions(JSON.parse(JSON.stringify(document)));
    expect(converted.ok).toBe(true);
    const read = converted.ok ? readEnvironmentsFile(converted.value) : null;
    expect(read?.ok && read.value[0]?.definition).toMatchObject({ name: kitchenSink.name, ...installationsFromInspection(kitchenSink.installations) });
  });
});

