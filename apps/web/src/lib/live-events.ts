import { type LiveEvent, LiveEventSchema, type User } from '@envdesk/domain';
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { offers } from './access';
import { API_ROOT } from './api-client';
import { environmentKeys } from './environments/list-environments';

/**
 * The tab follows other people's changes (issue 13 § 4): one EventSource for the whole app, whose
 * events mark the queries they touch as stale, so whatever is on screen reloads just that. A
 * dropped stream reconnects by itself and the server replays what it missed (Last-Event-ID).
 */

export const liveKeys = {
  /** The latest change to one record that arrived on the stream (no request: the stream fills it). */
  lastChange: (subjectType: string, guid: string) => ['live', 'last-change', subjectType, guid] as const,
};

// Written out rather than imported, so the Content pages' code stays out of the first download.
const CONTENT_ROOT = ['content'] as const;
const PRINCIPALS_ROOT = ['principals'] as const;
// The auth feature's key: lib/ may not import from a feature (eslint.config.js).
const CURRENT_USER = ['auth', 'current-user'] as const;

/** Marks stale what `event` changed, and remembers it as its record's latest change. */
export function applyLiveEvent(queryClient: QueryClient, event: LiveEvent): void {
  const guid = event.subject_guid;
  if (guid) queryClient.setQueryData(liveKeys.lastChange(event.subject_type, guid), event);
  switch (event.subject_type) {
    case 'environment':
      void queryClient.invalidateQueries({ queryKey: environmentKeys.list() });
      if (guid) {
        void queryClient.invalidateQueries({ queryKey: environmentKeys.detail(guid) });
        void queryClient.invalidateQueries({ queryKey: environmentKeys.permissions(guid) });
      }
      // Which environment content would get depends on them all.
      void queryClient.invalidateQueries({ queryKey: CONTENT_ROOT, predicate: (query) => query.queryKey.includes('selection') });
      break;
    case 'content':
      void queryClient.invalidateQueries({ queryKey: CONTENT_ROOT });
      break;
    case 'user':
    case 'group':
      void queryClient.invalidateQueries({ queryKey: PRINCIPALS_ROOT });
      break;
  }
}

/** Opens the app's event stream while `user` is signed in and may have one. */
export function useLiveEvents(user: User): void {
  const queryClient = useQueryClient();
  const allowed = offers(user, 'events:read');
  useEffect(() => {
    // Browsers all have EventSource; a test environment without one just gets no live updates.
    if (!allowed || typeof EventSource === 'undefined') return;
    const source = new EventSource(`${API_ROOT}/v1/events`);
    source.onmessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      const event = LiveEventSchema.safeParse(data);
      if (event.success) applyLiveEvent(queryClient, event.data);
    };
    source.addEventListener('sync_status', () => void queryClient.invalidateQueries({ queryKey: environmentKeys.syncStatus() }));
    // More was missed than the server replays: everything on screen reloads.
    source.addEventListener('reset', () => void queryClient.invalidateQueries());
    // The server ended the stream and refused it again: the user was demoted, locked or signed out
    // elsewhere. Asking who is signed in now takes the app to what they may still see.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) void queryClient.invalidateQueries({ queryKey: CURRENT_USER });
    };
    return () => source.close();
  }, [allowed, user.guid, queryClient]);
}

/** The latest change to a record that came on the stream, if any did since the tab opened. */
export function useLastChange(subjectType: LiveEvent['subject_type'], guid: string): LiveEvent | undefined {
  return useQuery<LiveEvent | null>({
    queryKey: liveKeys.lastChange(subjectType, guid),
    queryFn: () => null,
    enabled: false,
    staleTime: Infinity,
  }).data ?? undefined;
}
