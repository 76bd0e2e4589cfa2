import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImageSource } from './image-source.js';
import { RegistryClient } from './registry/registry-client.js';
import { pushLayout } from './registry/testing/push-layout.js';
import { type TestRegistry, startTestRegistry } from './registry/testing/registry-process.js';
import { type BuiltLayout, aDataScienceImage, writeDockerSave, writeOciArchive, writeOciLayout } from './testing/image-builders.js';
import { failureOf, imageFolder, inspectForTest } from './testing/inspect-for-tests.js';

const temp = imageFolder();
let registry: TestRegistry;
let layout: BuiltLayout;
let twoTags: BuiltLayout;

beforeAll(async () => {
  registry = await startTestRegistry();
  layout = await writeOciLayout(temp.place('layout'), [aDataScienceImage()], { tag: '4.4' });
  twoTags = await writeOciLayout(temp.place('two'), [aDataScienceImage({ rVersion: '4.5.0' })], { tag: '4.5' });
  await pushLayout({ host: registry.host, repository: 'team/r' }, layout, '4.4');
}, 30_000);
afterAll(async () => {
  await registry?.stop();
  temp.cleanup();
});

const cli = () => ({ registry: new RegistryClient({ insecureRegistries: [registry.host] }), allowLocalPaths: true });
const api = () => ({ registry: new RegistryClient({ insecureRegistries: [registry.host] }), allowLocalPaths: false });

/** The 400 `openImageSource` refuses with, and the field it names. */
async function refusal(work: Promise<unknown>): Promise<{ message: string; field: unknown }> {
  const error = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected a 400, got ${String(error)}`);
  expect(error.status).toBe(400);
  return { message: error.message, field: error.payload?.['field'] };
}

describe('openImageSource from the command line (local paths allowed)', () => {
  it('reads an OCI layout folder named by oci:<path>[:tag] or by its path alone', async () => {
    const tagged = await inspectForTest(await openImageSource(`oci:${layout.folder}:4.4`, cli()));
    expect(tagged.digest).toBe(layout.images[0]!.manifest.digest);
    expect(tagged.tree.children('/opt/R')).toEqual(['4.4.1']);
    expect((await openImageSource(`oci:${layout.folder}`, cli())).describe()).toBe(`the OCI layout ${path.basename(layout.folder)}`);
    expect((await inspectForTest(await openImageSource(layout.folder, cli()))).digest).toBe(layout.images[0]!.manifest.digest);
    expect(await failureOf(inspectForTest(await openImageSource(`oci:${layout.folder}:9.9`, cli())))).toContain('has no image tagged "9.9"; it has 4.4');
  });

  it('reads an oci-archive named by oci-archive:<path>[:tag]', async () => {
    const archive = await writeOciArchive(twoTags, temp.place('r.oci.tar'));
    const image = await inspectForTest(await openImageSource(`oci-archive:${archive}:4.5`, cli()));
    expect(image.tree.children('/opt/R')).toEqual(['4.5.0']);
  });

  it('reads a docker save tarball named by docker-archive:<path>, or by an existing path ending .tar', async () => {
    const saved = await writeDockerSave(layout, temp.place('r.tar'), { format: 'legacy' });
    for (const name of [`docker-archive:${saved}`, saved]) {
      const image = await inspectForTest(await openImageSource(name, cli()));
      expect(image.digest).toBe(layout.images[0]!.config.digest);
      expect(image.tree.children('/opt/R')).toEqual(['4.4.1']);
    }
  });

  it('reads anything else from its registry', async () => {
    const source = await openImageSource(`${registry.host}/team/r:4.4`, cli());
    expect(source.describe()).toBe(`${registry.host}/team/r:4.4`);
    const image = await inspectForTest(source);
    expect(image.digest).toBe(layout.images[0]!.manifest.digest);
  });

  it('says what is wrong with a path that is not an image', async () => {
    const missing = temp.place('missing');
    expect(await refusal(openImageSource(missing, cli()))).toEqual({ message: `There is no file or folder ${missing} to inspect.`, field: 'name' });
    expect((await refusal(openImageSource(`oci:${missing}`, cli()))).message).toBe(`There is no file or folder ${missing} to inspect.`);
    const saved = await writeDockerSave(layout, temp.place('other.tar'), { format: 'legacy' });
    expect((await refusal(openImageSource(`oci:${saved}`, cli()))).message).toContain('is a file, not an OCI layout folder; write oci-archive:');
    expect((await refusal(openImageSource(`oci-archive:${layout.folder}`, cli()))).message).toContain('is a folder, not an archive; write oci:');
    const notes = temp.place('notes.tar');
    await writeFile(notes, 'not a tar at all');
    expect((await refusal(openImageSource(notes, cli()))).field).toBe('name');
    expect((await refusal(openImageSource(path.dirname(layout.folder), cli()))).message).toContain('is neither an OCI layout folder (it has no oci-layout file) nor a .tar archive');
  });
});

describe('openImageSource from the API (local paths refused)', () => {
  it('refuses every way of naming a file, even one that exists, with a 400 naming the field name', async () => {
    const saved = await writeDockerSave(layout, temp.place('api.tar'), { format: 'legacy' });
    const names = [
      layout.folder,
      `oci:${layout.folder}:4.4`,
      `oci-archive:${saved}`,
      `docker-archive:${saved}`,
      saved,
      './image',
      '../../etc/passwd',
      '~/images/r',
      'image.tar.gz',
      'oci:r',
      'C:\\images\\r.tar',
    ];
    for (const name of names) {
      const { message, field } = await refusal(openImageSource(name, api()));
      expect(field).toBe('name');
      expect(message).toBe(`"${name}" names a file, and the server reads images only from registries (write a reference such as ghcr.io/org/image:tag). Saved images are inspected from the command line.`);
    }
  });

  it('reads an image reference from its registry', async () => {
    const image = await inspectForTest(await openImageSource(`${registry.host}/team/r:4.4`, api()));
    expect(image.tree.children('/opt/R')).toEqual(['4.4.1']);
  });

  it('refuses what is not an image reference, naming the field name', async () => {
    expect(await refusal(openImageSource('Team/R:4.4', api()))).toEqual({ message: expect.stringContaining('is not a container image reference'), field: 'name' });
    expect(await refusal(openImageSource('   ', api()))).toEqual({ message: expect.stringContaining('Name the image to inspect'), field: 'name' });
  });
});
