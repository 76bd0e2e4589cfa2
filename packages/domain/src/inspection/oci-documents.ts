import * as z from 'zod/mini';

/**
 * The OCI image documents inspection reads (image-spec: descriptor, image index, image manifest,
 * image config), and `docker save`'s own manifest.json. Docker's manifest list and schema-2
 * manifest have the same fields. Only what inspection uses is checked; other fields pass through.
 */
export const OciPlatformSchema = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.optional(z.string()),
});
export type OciPlatform = z.infer<typeof OciPlatformSchema>;

export const OciDescriptorSchema = z.object({
  // Optional in early OCI documents; a layer's compression is also told by its first bytes.
  mediaType: z._default(z.string(), ''),
  digest: z.string(),
  size: z.number().check(z.int(), z.gte(0)),
  platform: z.optional(OciPlatformSchema),
  annotations: z.optional(z.record(z.string(), z.string())),
});
export type OciDescriptor = z.infer<typeof OciDescriptorSchema>;

export const OciIndexSchema = z.object({
  mediaType: z.optional(z.string()),
  manifests: z.array(OciDescriptorSchema),
});
export type OciIndex = z.infer<typeof OciIndexSchema>;

export const OciManifestSchema = z.object({
  mediaType: z.optional(z.string()),
  config: OciDescriptorSchema,
  layers: z.array(OciDescriptorSchema),
});
export type OciManifest = z.infer<typeof OciManifestSchema>;

export const OciImageConfigSchema = z.object({
  os: z.optional(z.string()),
  architecture: z.optional(z.string()),
  variant: z.optional(z.string()),
  config: z.optional(z.nullable(z.object({ Env: z.optional(z.nullable(z.array(z.string()))) }))),
  rootfs: z.optional(z.object({ diff_ids: z.array(z.string()) })),
});
export type OciImageConfig = z.infer<typeof OciImageConfigSchema>;

/** `docker save` / `podman save` (docker-archive): one entry per saved image. */
export const DockerArchiveManifestSchema = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.optional(z.nullable(z.array(z.string()))),
    Layers: z.array(z.string()),
  }),
);
export type DockerArchiveManifest = z.infer<typeof DockerArchiveManifestSchema>;

/** The `PATH` an image's config sets in `Env` (the last one wins, as in a shell), or null. */
export function pathFromConfig(config: OciImageConfig): string | null {
  let path: string | null = null;
  for (const variable of config.config?.Env ?? []) {
    if (variable.startsWith('PATH=')) path = variable.slice('PATH='.length);
  }
  return path;
}
