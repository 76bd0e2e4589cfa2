/**
 * ENVDESK_ENVIRONMENTS_MAX_BYTES's default: far above 10,000 entries (about 3 MiB), far below what
 * exhausts memory. Apart from the file's reader so that reading settings does not load the YAML
 * parser, which a start without ENVDESK_ENVIRONMENTS_FILE never needs.
 */
export const DEFAULT_ENVIRONMENTS_MAX_BYTES = 64 * 1024 * 1024;
