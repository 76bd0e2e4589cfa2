import * as z from 'zod/mini';
import { lineOfText } from '../validation.js';

export const UserRoleSchema = z.enum(['administrator', 'publisher', 'viewer'], {
  error: 'must be one of administrator, publisher, viewer',
});
export type UserRole = z.infer<typeof UserRoleSchema>;

export const UserSchema = z.object({
  guid: z.uuid(),
  username: z.string(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  user_role: UserRoleSchema,
  created_time: z.string(),
  updated_time: z.string(),
  active_time: z.nullable(z.string()),
  confirmed: z.boolean(),
  locked: z.boolean(),
});
export type User = z.infer<typeof UserSchema>;

export const UsernameSchema = lineOfText({ trim: true }).check(
  z.minLength(1, 'is required'),
  z.maxLength(64),
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'may hold letters, digits, ".", "_", "@" and "-", starting with a letter or digit'),
);

const EmailSchema = z.union([z.literal(''), z.email('must be an email address')]);

export const PasswordSchema = lineOfText().check(z.minLength(8, 'must be at least 8 characters'), z.maxLength(256));

export const CreateUserInputSchema = z.object({
  username: UsernameSchema,
  email: z._default(EmailSchema, ''),
  first_name: z._default(lineOfText({ trim: true }).check(z.maxLength(100)), ''),
  last_name: z._default(lineOfText({ trim: true }).check(z.maxLength(100)), ''),
  user_role: z._default(UserRoleSchema, 'viewer'),
  /** Without a password the user exists (for permissions and groups) but cannot sign in. */
  password: z.optional(PasswordSchema),
});
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

export const UpdateUserInputSchema = z.object({
  username: z.optional(UsernameSchema),
  email: z.optional(EmailSchema),
  first_name: z.optional(lineOfText({ trim: true }).check(z.maxLength(100))),
  last_name: z.optional(lineOfText({ trim: true }).check(z.maxLength(100))),
  user_role: z.optional(UserRoleSchema),
});
export type UpdateUserInput = z.infer<typeof UpdateUserInputSchema>;

export const LockUserInputSchema = z.object({ locked: z.boolean() });

export const ListUsersQuerySchema = z.object({
  prefix: z.optional(lineOfText()),
  user_role: z.optional(lineOfText()),
  account_status: z.optional(lineOfText()),
  page_number: z._default(z.coerce.number().check(z.int(), z.gte(1)), 1),
  page_size: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 20),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuerySchema>;

export const GroupSchema = z.object({
  guid: z.uuid(),
  name: z.string(),
  owner_guid: z.nullable(z.uuid()),
});
export type Group = z.infer<typeof GroupSchema>;

export const CreateGroupInputSchema = z.object({
  name: lineOfText({ trim: true }).check(z.minLength(1, 'is required'), z.maxLength(100)),
});
export type CreateGroupInput = z.infer<typeof CreateGroupInputSchema>;

export const AddGroupMemberInputSchema = z.object({ user_guid: z.uuid('must be a user GUID') });

export const ListGroupsQuerySchema = z.object({
  prefix: z.optional(lineOfText()),
  page_number: z._default(z.coerce.number().check(z.int(), z.gte(1)), 1),
  page_size: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 20),
});
export type ListGroupsQuery = z.infer<typeof ListGroupsQuerySchema>;

/**
 * `GET /v1/auth/session` (envdesk): who is signed in, or null. The web app starts with it rather
 * than with `GET /v1/user`, whose 401 for a signed-out visitor browsers log as a console error.
 */
export const SessionStateSchema = z.object({ user: z.nullable(UserSchema) });
export type SessionState = z.infer<typeof SessionStateSchema>;

/** Bounded, so a sign-in attempt (recorded by the throttle before its password is checked) stays small. */
export const LoginInputSchema = z.object({
  username: lineOfText().check(z.minLength(1, 'is required'), z.maxLength(256)),
  // Exempt from the text rule: a password is only compared with its hash, never stored or shown,
  // and one set before the rule existed must keep working.
  password: z.string().check(z.minLength(1, 'is required'), z.maxLength(1024)),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

/** An API key as listed: the secret itself is shown only once, in CreatedApiKey. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  created_time: z.string(),
  last_used_time: z.nullable(z.string()),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreatedApiKeySchema = z.extend(ApiKeySchema, { key: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const CreateApiKeyInputSchema = z.object({
  name: lineOfText({ trim: true }).check(z.minLength(1, 'is required'), z.maxLength(100, 'must be at most 100 characters')),
});

/** Connect's paginated list shape for users, groups and members. */
export function paginatedSchema<T extends z.ZodMiniType>(item: T) {
  return z.object({ results: z.array(item), current_page: z.number().check(z.int()), total: z.number().check(z.int()) });
}
