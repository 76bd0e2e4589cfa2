import { z } from 'zod';

/** One grant: exactly one of a user or a group may use the environment. */
export const EnvironmentPermissionSchema = z.object({
  id: z.string(),
  guid: z.uuid(),
  environment_guid: z.uuid(),
  user_guid: z.uuid().nullable(),
  group_guid: z.uuid().nullable(),
});
export type EnvironmentPermission = z.infer<typeof EnvironmentPermissionSchema>;

export const CreateEnvironmentPermissionInputSchema = z
  .object({
    user_guid: z.uuid('must be a user GUID').nullish(),
    group_guid: z.uuid('must be a group GUID').nullish(),
  })
  .refine((input) => Boolean(input.user_guid) !== Boolean(input.group_guid), {
    message: 'give exactly one of user_guid or group_guid',
    path: ['user_guid'],
  });
export type CreateEnvironmentPermissionInput = z.infer<typeof CreateEnvironmentPermissionInputSchema>;
