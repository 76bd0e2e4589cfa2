import { AUDIT_ACTIONS, type Actor, type AuditLogsPage, type AuditLogsQuery, type AuditSearchQuery } from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import type { Store } from '../db/store.js';

/**
 * Connect's audit log API over the recorded events (issue 13 § 2): administrators only, since it
 * names every user and what they changed.
 */
export function createAuditService({ store }: { store: Pick<Store, 'audit'> }) {
  return {
    actions(actor: Actor) {
      authorize(actor, 'audit:read');
      return AUDIT_ACTIONS;
    },

    /** A keyset page; `url` is the full address of this route, which the paging links extend. */
    async page(actor: Actor, query: AuditLogsQuery, url: string): Promise<AuditLogsPage> {
      authorize(actor, 'audit:read');
      const page = await store.audit.keysetPage(query);
      const link = (cursor: Record<string, string> = {}) =>
        `${url}?${new URLSearchParams({ limit: String(query.limit), ascOrder: String(query.ascOrder), ...cursor }).toString()}`;
      const { previous, next } = page.cursors;
      return {
        results: page.results,
        paging: {
          cursors: page.cursors,
          first: previous === null ? null : link(),
          previous: previous === null ? null : link({ previous }),
          next: next === null ? null : link({ next }),
          last: page.lastCursor === null ? null : link({ previous: page.lastCursor }),
        },
      };
    },

    async search(actor: Actor, query: AuditSearchQuery) {
      authorize(actor, 'audit:read');
      return store.audit.search(query.q, { offset: (query.page_number - 1) * query.page_size, limit: query.page_size, order: query.order });
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
