import * as z from 'zod/mini';
import { type Result, err, ok } from '../errors.js';
import { formatPath, safeParseHostile } from '../validation.js';
import type { FileProblem } from './environments-file.js';

/**
 * The deprecated Launcher.ClusterDefinitions shape (`name: Kubernetes`, `images: [...]`). Each
 * image becomes one declarative entry, without the wrapper (seed: "Migrating from legacy bootstrapping").
 */
const LegacySchema = z.object({
  name: z.literal('Kubernetes', { error: 'must be "Kubernetes"' }),
  images: z.nullish(z.array(z.record(z.string(), z.unknown()))),
});

export function convertLegacyDefinitions(document: unknown): Result<Array<Record<string, unknown>>, FileProblem[]> {
  const parsed = safeParseHostile(LegacySchema, document);
  if (!parsed.success) {
    return err(parsed.error.issues.map((issue) => ({ entry: null, field: formatPath(issue.path) || null, message: issue.message })));
  }
  return ok((parsed.data.images ?? []).map((image) => ({ ...image })));
}
