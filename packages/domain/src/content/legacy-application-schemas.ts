import * as z from 'zod/mini';
import { lineOfText, parseRecordId } from '../validation.js';
import { ContentSchema } from './content-schemas.js';

/**
 * Connect's unversioned applications API (`/__api__/applications`), which the R package rsconnect
 * still calls to find content by name before a deploy and by numeric id on a redeploy, and which
 * rsconnect-python calls for `--app-id 3`.
 */

/** The fields a `filter=key:value` may name; `like` matches part of the value, any case. */
export const LEGACY_APPLICATION_FILTER_KEYS = ['account_id', 'name', 'guid', 'title', 'content_category'] as const;
export type LegacyApplicationFilterKey = (typeof LEGACY_APPLICATION_FILTER_KEYS)[number];

export interface LegacyApplicationFilter {
  readonly key: LegacyApplicationFilterKey;
  readonly operator: 'eq' | 'like';
  readonly value: string;
}

const FILTER_PATTERN = /^([a-z_]+):(?:(eq|like):)?(.*)$/s;

/** `name:foo`, `account_id:3`, `name:like:foo` (rsconnect's filterQuery), or null when malformed. */
export function parseLegacyApplicationFilter(text: string): LegacyApplicationFilter | null {
  const match = FILTER_PATTERN.exec(text);
  if (!match) return null;
  const key = match[1] as LegacyApplicationFilterKey;
  if (!LEGACY_APPLICATION_FILTER_KEYS.includes(key)) return null;
  return { key, operator: (match[2] as 'eq' | 'like' | undefined) ?? 'eq', value: match[3]! };
}

const FilterTextSchema = lineOfText().check(
  z.maxLength(1024),
  z.refine(
    (text) => parseLegacyApplicationFilter(text) !== null,
    `must be key:value or key:like:value, with key one of ${LEGACY_APPLICATION_FILTER_KEYS.join(', ')}`,
  ),
);

/** Paging as rsconnect sends it: `count` per page, `start` offset, `cont` the continuation it was given. */
export const LegacyApplicationsQuerySchema = z.object({
  filter: z.pipe(
    z.optional(z.union([FilterTextSchema, z.array(FilterTextSchema).check(z.maxLength(20))])),
    z.transform((filter) => (filter === undefined ? [] : Array.isArray(filter) ? filter : [filter]).map((text) => parseLegacyApplicationFilter(text)!)),
  ),
  count: z._default(z.coerce.number().check(z.int('must be a whole number'), z.gte(0), z.lte(1000)), 100),
  start: z._default(z.coerce.number().check(z.int('must be a whole number'), z.gte(0)), 0),
  cont: z.optional(lineOfText().check(z.maxLength(64))),
});
export type LegacyApplicationsQuery = z.infer<typeof LegacyApplicationsQuerySchema>;

/** `/applications/{id}`: the numeric id rsconnect keeps in its deployment record, or a GUID. */
export function parseLegacyApplicationId(text: string): { id: number } | { guid: string } | null {
  const id = parseRecordId(text);
  if (id !== null) return { id };
  return z.uuid().safeParse(text).success ? { guid: text.toLowerCase() } : null;
}

/** Connect's numbering of app modes in the unversioned API (`AppMode` ordinals). */
export const LEGACY_APP_MODE_ORDINALS: Readonly<Record<string, number>> = {
  unknown: 0,
  shiny: 1,
  'rmd-shiny': 2,
  'rmd-static': 3,
  static: 4,
  api: 5,
  'tensorflow-saved-model': 6,
  'jupyter-static': 7,
  'python-api': 8,
  'python-dash': 9,
  'python-streamlit': 10,
  'python-bokeh': 11,
  'python-fastapi': 12,
  'quarto-shiny': 13,
  'quarto-static': 14,
  'python-shiny': 15,
  'jupyter-voila': 16,
  'python-gradio': 17,
  'python-panel': 18,
  nodejs: 20,
};

/**
 * An application as the unversioned API shows it: the v1 content record with numeric `id` and
 * `bundle_id`, the app mode's number, `url`, the owner's fields flattened, and a `build_status`
 * (envdesk: 2 once a bundle is active, else 0). `last_deployed_time` is the creation time until the
 * first deploy: rsconnect builds a table of every application and needs the column in each row.
 */
export const LegacyApplicationSchema = z.extend(z.omit(ContentSchema, { id: true, bundle_id: true, app_mode: true, last_deployed_time: true }), {
  id: z.number(),
  bundle_id: z.nullable(z.number()),
  app_mode: z.number(),
  last_deployed_time: z.string(),
  url: z.string(),
  build_status: z.number(),
  has_parameters: z.boolean(),
  is_scheduled: z.boolean(),
  owner_username: z.string(),
  owner_first_name: z.string(),
  owner_last_name: z.string(),
});
export type LegacyApplication = z.infer<typeof LegacyApplicationSchema>;

/** One page of `GET /__api__/applications`: `continuation` is where the next page starts, null after the last. */
export const LegacyApplicationPageSchema = z.object({
  applications: z.array(LegacyApplicationSchema),
  count: z.number(),
  total: z.number(),
  continuation: z.nullable(z.string()),
});
export type LegacyApplicationPage = z.infer<typeof LegacyApplicationPageSchema>;
