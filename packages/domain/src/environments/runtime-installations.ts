import * as z from 'zod/mini';
import { compareVersions, parseVersion } from '../versions/version.js';
import { type Environment, type Language, isDisabled } from './environment-schemas.js';

/** One language version in one image, as Connect's `/v1/server_settings/{language}` lists it. */
export const RuntimeInstallationSchema = z.object({
  version: z.string(),
  cluster_name: z.string(),
  image_name: z.string(),
});
export type RuntimeInstallation = z.infer<typeof RuntimeInstallationSchema>;

export const RuntimeInstallationsSchema = z.object({
  installations: z.array(RuntimeInstallationSchema),
  /** Python only: whether API content may be hosted; envdesk always hosts it. */
  api_enabled: z.optional(z.boolean()),
});
export type RuntimeInstallations = z.infer<typeof RuntimeInstallationsSchema>;

const versionOrder = (a: RuntimeInstallation, b: RuntimeInstallation): number => {
  const [left, right] = [parseVersion(a.version), parseVersion(b.version)];
  const byVersion = left && right ? compareVersions(left, right) : 0;
  return byVersion || a.image_name.localeCompare(b.image_name);
};

/**
 * What `rsconnect details` shows for `language`: every installation of it across `environments`,
 * oldest version first. Disabled environments (`matching: none`) are left out: no content ever
 * runs on them, so listing their versions would promise what a deploy cannot get.
 */
export function runtimeInstallations(environments: readonly Environment[], language: Language): RuntimeInstallations {
  const installations = environments
    .filter((environment) => !isDisabled(environment))
    .flatMap((environment) =>
      environment[language].installations.map((installation) => ({
        version: installation.version,
        cluster_name: environment.cluster_name,
        image_name: environment.name,
      })),
    )
    .sort(versionOrder);
  return language === 'python' ? { installations, api_enabled: true } : { installations };
}
