import * as z from 'zod/mini';

/** Whom a content permission names: one user or one group. */
export const PrincipalTypeSchema = z.enum(['user', 'group']);
export type PrincipalType = z.infer<typeof PrincipalTypeSchema>;

/** `viewer` may see the content; `owner` (a collaborator) may also change, deploy and share it. */
export const ContentPermissionRoleSchema = z.enum(['viewer', 'owner']);
export type ContentPermissionRole = z.infer<typeof ContentPermissionRoleSchema>;

/** One entry of a content item's access list, in Connect's shape (`id` a string). */
export const ContentPermissionSchema = z.object({
  id: z.string(),
  content_guid: z.uuid(),
  principal_guid: z.uuid(),
  principal_type: PrincipalTypeSchema,
  role: ContentPermissionRoleSchema,
});
export type ContentPermission = z.infer<typeof ContentPermissionSchema>;

/** What the rules read of an entry: who it names and what it lets them do. */
export type ContentGrant = Pick<ContentPermission, 'principal_guid' | 'principal_type' | 'role'>;

const permissionFields = {
  principal_guid: z.uuid('must be a user or group GUID'),
  principal_type: PrincipalTypeSchema,
  role: ContentPermissionRoleSchema,
  /** Connect mails the principal when true; envdesk sends no mail and accepts the flag. */
  send_email: z.optional(z.nullable(z.boolean())),
};

/** `POST /v1/content/{guid}/permissions`: adds the entry, or changes the role of the principal's entry. */
export const CreateContentPermissionInputSchema = z.object(permissionFields);
export type CreateContentPermissionInput = z.infer<typeof CreateContentPermissionInputSchema>;

/** `PUT /v1/content/{guid}/permissions/{id}`: the fields present replace (posit-sdk sends all three). */
export const UpdateContentPermissionInputSchema = z.partial(z.object(permissionFields));
export type UpdateContentPermissionInput = z.infer<typeof UpdateContentPermissionInputSchema>;
