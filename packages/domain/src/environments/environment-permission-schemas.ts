import * as z from 'zod/mini';

/** One grant: exactly one of a user or a group may use the environment. */
export const EnvironmentPermissionSchema = z.object({
  id: z.string(),
  guid: z.uuid(),
  environment_guid: z.uuid(),
  user_guid: z.nullable(z.uuid()),
  group_guid: z.nullable(z.uuid()),
});
export type EnvironmentPermission = z.infer<typeof EnvironmentPermissionSchema>;

export const CreateEnvironmentPermissionInputSchema = z
  .object({
    user_guid: z.nullish(z.uuid('must be a user GUID')),
    group_guid: z.nullish(z.uuid('must be a group GUID')),
  })
  .check(
    z.refine((input) => Boolean(input.user_guid) !== Boolean(input.group_guid), {
      message: 'give exactly one of user_guid or group_guid',
      path: ['user_guid'],
    }),
  );
export type CreateEnvironmentPermissionInput = z.infer<typeof CreateEnvironmentPermissionInputSchema>;
