import {
  type InspectedImage,
  imageReferenceProblem,
  installationsFromInspection,
  inspectedTitle,
  toEnvironmentsFileDocument,
  toLegacyClusterDefinitions,
} from '@envdesk/domain';
import { createImageInspector } from '../inspection/image-inspector.js';
import { registryClientFromSettings } from '../inspection/registry/registry-client.js';
import { readSettings } from '../settings.js';
import { toYaml } from '../sync/environments-file-reader.js';

type Output = (text: string) => void;
type Env = Record<string, string | undefined>;

const FORMATS = ['yaml', 'json', 'legacy'] as const;
type Format = (typeof FORMATS)[number];

export interface InspectArguments {
  readonly images: readonly string[];
  readonly platform: string | undefined;
  readonly pathLookups: boolean;
  readonly format: Format;
}

/** `IMAGE… [--platform P] [--no-path-lookups] [--format yaml|json|legacy]`, or what is wrong with them. */
export function parseInspectArguments(args: readonly string[]): InspectArguments | { problem: string } {
  const images: string[] = [];
  let platform: string | undefined;
  let pathLookups = true;
  let format: Format = 'yaml';
  for (let position = 0; position < args.length; position += 1) {
    const argument = args[position]!;
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    const value = (): string | undefined => inline ?? args[(position += 1)];
    if (flag === '--no-path-lookups' && inline === undefined) pathLookups = false;
    else if (flag === '--platform') {
      platform = value();
      if (!platform) return { problem: '--platform needs a platform, for example linux/amd64' };
    } else if (flag === '--format') {
      const chosen = value();
      if (!FORMATS.includes(chosen as Format)) return { problem: `--format is one of ${FORMATS.join(', ')}` };
      format = chosen as Format;
    } else if (flag.startsWith('--')) return { problem: `unknown option ${flag}` };
    else images.push(argument);
  }
  if (images.length === 0) return { problem: 'name at least one image to inspect' };
  return { images, platform, pathLookups, format };
}

/** The API's shape for an environment made from an inspected image: name, title and every language's installations. */
function toApiJson(image: InspectedImage): Record<string, unknown> {
  return { name: image.name, title: inspectedTitle(image.installations) ?? image.name, matching: 'any', ...installationsFromInspection(image.installations) };
}

/**
 * Inspects each image in turn (sharing one layer cache) and prints one document with them all.
 * Progress and warnings (installations left out for lack of a version) go to `errOut`; a failure stops at
 * the first image that cannot be read, its message naming it.
 */
export async function inspectCommand(parsed: InspectArguments, out: Output, errOut: Output, env: Env): Promise<number> {
  const settings = readSettings(env);
  const registry = await registryClientFromSettings(settings);
  const inspector = createImageInspector({ registry, allowLocalPaths: true, maxBytes: settings.inspectMaxBytes, timeoutMs: settings.inspectTimeoutMs });
  const inspected: Array<InspectedImage & { digest: string; platform: string }> = [];
  for (const name of parsed.images) {
    errOut(`${name}: inspecting\n`);
    let image;
    try {
      image = await inspector.inspect({ name, platform: parsed.platform, pathLookups: parsed.pathLookups, onProgress: (line) => errOut(`${name}: ${line}\n`) });
    } catch (error) {
      throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const warning of image.warnings) errOut(`warning: ${name}: ${warning}\n`);
    // A saved image names the environment by the reference it gives itself; the legacy shape prints what was typed, as the scripts do.
    const named = parsed.format !== 'legacy' && image.imageName !== null ? image.imageName : name;
    if (imageReferenceProblem(named) !== null) {
      errOut(`warning: ${named} is not an image reference; write the image's reference (ghcr.io/org/image:tag) as its name before using the output\n`);
    }
    inspected.push({ name: named, digest: image.digest, platform: image.platform, installations: image.installations });
  }
  if (parsed.format === 'json') out(`${JSON.stringify(inspected.map(toApiJson), null, 2)}\n`);
  else out(toYaml(parsed.format === 'legacy' ? toLegacyClusterDefinitions(inspected) : toEnvironmentsFileDocument(inspected)));
  return 0;
}
