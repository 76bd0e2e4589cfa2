import * as z from 'zod/mini';

/** Connect's vanity URL: a path on the server that routes to one content item. */
export const VanitySchema = z.object({
  content_guid: z.string(),
  path: z.string(),
  created_time: z.string(),
});
export type Vanity = z.infer<typeof VanitySchema>;

/** Longer than any real address needs; keeps a hostile path from filling an index. */
export const MAX_VANITY_PATH_LENGTH = 1024;

/**
 * Paths the server itself answers under (Connect's list), refused as vanity URLs whatever follows
 * them: `/__api__/`, the dashboard, sign-in pages …
 */
export const RESERVED_VANITY_PREFIXES = [
  '/__',
  '/favicon.ico',
  '/connect',
  '/apps',
  '/users',
  '/groups',
  '/setpassword',
  '/user-completion',
  '/confirm',
  '/recent',
  '/reports',
  '/plots',
  '/unpublished',
  '/settings',
  '/metrics',
  '/tokens',
  '/help',
  '/login',
  '/welcome',
  '/register',
  '/resetpassword',
  '/content',
] as const;

/**
 * A vanity path in Connect's form, with one slash first and last (`example` → `/example/`,
 * `/a//b` → `/a/b/`), or the reason it cannot be one.
 */
export function normalizeVanityPath(input: string): { ok: true; path: string } | { ok: false; message: string } {
  const segments = input.trim().split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return { ok: false, message: 'must name a path other than "/"' };
  if (!segments.every((segment) => /^[A-Za-z0-9_-]+$/.test(segment))) {
    return { ok: false, message: 'may hold only letters, digits, "-", "_" and "/"' };
  }
  const path = `/${segments.join('/')}/`;
  if (path.length > MAX_VANITY_PATH_LENGTH) return { ok: false, message: `must be at most ${MAX_VANITY_PATH_LENGTH} characters` };
  const lower = path.toLowerCase();
  const reserved = RESERVED_VANITY_PREFIXES.find((prefix) => lower.startsWith(prefix));
  if (reserved) return { ok: false, message: `must not start with the reserved "${reserved}"` };
  return { ok: true, path };
}

/** `PUT /v1/content/{guid}/vanity`: the path is normalised; `force` takes it from other content. */
export const VanityInputSchema = z.object({
  path: z.pipe(
    z.string().check(z.maxLength(MAX_VANITY_PATH_LENGTH * 2, `must be at most ${MAX_VANITY_PATH_LENGTH} characters`)),
    z.transform((value, ctx) => {
      const normalized = normalizeVanityPath(value);
      if (normalized.ok) return normalized.path;
      ctx.issues.push({ code: 'custom', message: normalized.message, input: value });
      return z.NEVER;
    }),
  ),
  force: z._default(z.boolean(), false),
});
export type VanityInput = z.infer<typeof VanityInputSchema>;
