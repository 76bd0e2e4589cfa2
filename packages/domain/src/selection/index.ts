export * from './manifest-schema.js';
export * from './version-matching.js';
export * from './select-environment.js';
export { type EnvironmentEntry, type InstallationIndex, buildInstallationIndex } from './installation-index.js';
export { environmentLabel } from './deploy-log.js';
export * from './local-execution.js';
