import {
  AddGroupMemberInputSchema,
  CreateGroupInputSchema,
  CreateUserInputSchema,
  ListGroupsQuerySchema,
  ListUsersQuerySchema,
  LockUserInputSchema,
  UpdateUserInputSchema,
  parseOrThrow,
} from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { UsersService } from './users-service.js';

/** Users, groups and group members, paginated as Connect paginates them. */
export function usersRoutes(service: UsersService): RouteSpec[] {
  return [
    route('get', '/v1/users', 'users:read', async (req, res) => {
      res.json(await service.listUsers(actorOf(req), parseOrThrow(ListUsersQuerySchema, req.query)));
    }),
    route('post', '/v1/users', 'users:write', async (req, res) => {
      res.json(await service.createUser(actorOf(req), parseOrThrow(CreateUserInputSchema, req.body)));
    }),
    route('get', '/v1/users/:guid', 'users:read', async (req, res) => {
      res.json(await service.getUser(actorOf(req), param(req, 'guid')));
    }),
    route('put', '/v1/users/:guid', 'users:write', async (req, res) => {
      const input = parseOrThrow(UpdateUserInputSchema, req.body);
      res.json(await service.updateUser(actorOf(req), param(req, 'guid'), input));
    }),
    route('post', '/v1/users/:guid/lock', 'users:write', async (req, res) => {
      const { locked } = parseOrThrow(LockUserInputSchema, req.body);
      await service.lockUser(actorOf(req), param(req, 'guid'), locked);
      res.json({});
    }),

    route('get', '/v1/groups', 'groups:read', async (req, res) => {
      res.json(await service.listGroups(actorOf(req), parseOrThrow(ListGroupsQuerySchema, req.query)));
    }),
    route('post', '/v1/groups', 'groups:write', async (req, res) => {
      res.json(await service.createGroup(actorOf(req), parseOrThrow(CreateGroupInputSchema, req.body)));
    }),
    route('get', '/v1/groups/:guid', 'groups:read', async (req, res) => {
      res.json(await service.getGroup(actorOf(req), param(req, 'guid')));
    }),
    route('delete', '/v1/groups/:guid', 'groups:write', async (req, res) => {
      await service.removeGroup(actorOf(req), param(req, 'guid'));
      res.status(204).end();
    }),
    route('get', '/v1/groups/:guid/members', 'groups:read', async (req, res) => {
      const query = parseOrThrow(ListGroupsQuerySchema, req.query);
      res.json(await service.listMembers(actorOf(req), param(req, 'guid'), query));
    }),
    route('post', '/v1/groups/:guid/members', 'groups:write', async (req, res) => {
      const { user_guid } = parseOrThrow(AddGroupMemberInputSchema, req.body);
      await service.addMember(actorOf(req), param(req, 'guid'), user_guid);
      res.status(204).end();
    }),
    route('delete', '/v1/groups/:guid/members/:user', 'groups:write', async (req, res) => {
      await service.removeMember(actorOf(req), param(req, 'guid'), param(req, 'user'));
      res.status(204).end();
    }),
  ];
}
