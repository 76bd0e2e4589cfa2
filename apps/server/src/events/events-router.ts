import { ApiError, ErrorCode, EventIdSchema, EventsQuerySchema, parseOrThrow } from '@envdesk/domain';
import type { AuthService } from '../auth/auth-service.js';
import { authenticateCredential, credentialOf } from '../http/authenticate.js';
import { type RouteSpec, actorOf, route } from '../http/routes.js';
import type { EventHub } from './event-hub.js';

/** `GET /v1/events` (envdesk): the changes the caller may see, as server-sent events. */
export function eventsRoutes(hub: EventHub, auth: AuthService): RouteSpec[] {
  return [
    route('get', '/v1/events', 'events:read', async (req, res) => {
      const query = parseOrThrow(EventsQuerySchema, req.query);
      // EventSource sends the header when it reconnects; the query is for clients that cannot set headers.
      const header = req.get('last-event-id');
      if (header !== undefined && header !== '' && !EventIdSchema.safeParse(header).success) {
        throw new ApiError(ErrorCode.BadRequest, 'Last-Event-ID must be an event id (digits).', { field: 'Last-Event-ID' });
      }
      const resumeFrom = query.lastEventId ?? (header || undefined);
      // A stream outlives the request that opened it: the hub asks again who holds its credential,
      // so a demoted, locked or signed-out caller stops receiving what they may no longer see.
      const credential = credentialOf(req);
      const recheck = async () => {
        if (!credential) return null;
        const result = await authenticateCredential(auth, credential);
        return result.ok ? result.value.actor : null;
      };
      await hub.open(actorOf(req), res, resumeFrom === undefined ? null : Number(resumeFrom), recheck);
    }),
  ];
}
