import { z } from 'zod';
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
  active_time: z.string().nullable(),
  confirmed: z.boolean(),
  locked: z.boolean(),
});
export type User = z.infer<typeof UserSchema>;

export const UsernameSchema = lineOfText({ trim: true })
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'may hold letters, digits, ".", "_", "@" and "-", starting with a letter or digit');

const EmailSchema = z.union([z.literal(''), z.email('must be an email address')]);

export const PasswordSchema = lineOfText().min(8, 'must be at least 8 characters').max(256);

export const CreateUserInputSchema = z.object({
  username: UsernameSchema,
  email: EmailSchema.default(''),
  first_name: lineOfText({ trim: true }).max(100).default(''),
  last_name: lineOfText({ trim: true }).max(100).default(''),
  user_role: UserRoleSchema.default('viewer'),
  /** Without a password the user exists (for permissions and groups) but cannot sign in. */
  password: PasswordSchema.optional(),
});
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

export const UpdateUserInputSchema = z.object({
  username: UsernameSchema.optional(),
  email: EmailSchema.optional(),
  first_name: lineOfText({ trim: true }).max(100).optional(),
  last_name: lineOfText({ trim: true }).max(100).optional(),
  user_role: UserRoleSchema.optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserInputSchema>;

export const LockUserInputSchema = z.object({ locked: z.boolean() });

export const ListUsersQuerySchema = z.object({
  prefix: lineOfText().optional(),
  user_role: lineOfText().optional(),
  account_status: lineOfText().optional(),
  page_number: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(20),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuerySchema>;

export const GroupSchema = z.object({
  guid: z.uuid(),
  name: z.string(),
  owner_guid: z.uuid().nullable(),
});
export type Group = z.infer<typeof GroupSchema>;

export const CreateGroupInputSchema = z.object({
  name: lineOfText({ trim: true }).min(1, 'is required').max(100),
});
export type CreateGroupInput = z.infer<typeof CreateGroupInputSchema>;

export const AddGroupMemberInputSchema = z.object({ user_guid: z.uuid('must be a user GUID') });

export const ListGroupsQuerySchema = z.object({
  prefix: lineOfText().optional(),
  page_number: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(20),
});
export type ListGroupsQuery = z.infer<typeof ListGroupsQuerySchema>;

/** Bounded, so a sign-in attempt (recorded by the throttle before its password is checked) stays small. */
export const LoginInputSchema = z.object({
  username: lineOfText().min(1, 'is required').max(256),
  // Exempt from the text rule: a password is only compared with its hash, never stored or shown,
  // and one set before the rule existed must keep working.
  password: z.string().min(1, 'is required').max(1024),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

/** An API key as listed: the secret itself is shown only once, in CreatedApiKey. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  created_time: z.string(),
  last_used_time: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const CreateApiKeyInputSchema = z.object({
  name: lineOfText({ trim: true }).min(1, 'is required').max(100),
});

/** Connect's paginated list shape for users, groups and members. */
export function paginatedSchema<T extends z.ZodType>(item: T) {
  return z.object({ results: z.array(item), current_page: z.number().int(), total: z.number().int() });
}
