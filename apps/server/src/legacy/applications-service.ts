import {
  type Actor,
  ApiError,
  ErrorCode,
  type LegacyApplicationFilter,
  type LegacyApplicationsQuery,
  notFound,
  parseLegacyApplicationId,
  parseRecordId,
} from '@envdesk/domain';
import type { ContentRecord } from '../content/content-store.js';
import type { ContentService } from '../content/content-service.js';
import type { Store } from '../db/store.js';

/** Whether a record passes one `filter=key:value` of the unversioned applications API. */
function matches(record: ContentRecord, { key, operator, value }: LegacyApplicationFilter): boolean {
  if (key === 'account_id') return record.owner.id === parseRecordId(value);
  const field = { name: record.name, guid: record.guid, title: record.title, content_category: record.content_category }[key];
  if (field === null) return false;
  return operator === 'like' ? field.toLowerCase().includes(value.toLowerCase()) : field === value;
}

/**
 * Connect's unversioned applications API over the content service: a caller finds only the content
 * the content service lets them read, by the same rules as `GET /v1/content`.
 */
export function createApplicationsService({ store, content }: { store: Pick<Store, 'content'>; content: Pick<ContentService, 'list' | 'readable'> }) {
  return {
    /**
     * One page of the content `actor` may read that passes every filter. `account_id:N` is the
     * content user N owns (rsconnect sends the caller's own id); `start` is where the page begins.
     */
    async list(actor: Actor, query: LegacyApplicationsQuery): Promise<{ records: ContentRecord[]; total: number; next: number | null }> {
      const byName = query.filter.find((filter) => filter.key === 'name' && filter.operator === 'eq');
      const found = (await content.list(actor, { name: byName?.value })).filter((record) => query.filter.every((filter) => matches(record, filter)));
      const records = found.slice(query.start, query.start + query.count);
      const end = query.start + records.length;
      return { records, total: found.length, next: end < found.length ? end : null };
    },

    /** By the numeric id rsconnect keeps, or by GUID; 404 when it does not exist or is not the caller's to read. */
    async get(actor: Actor, text: string): Promise<ContentRecord> {
      const id = parseLegacyApplicationId(text);
      if (!id) throw new ApiError(ErrorCode.InvalidId, 'The application id must be a number or a GUID.', { field: 'id' });
      if ('guid' in id) return content.readable(actor, id.guid);
      const record = await store.content.findById(id.id);
      if (!record) throw notFound('Content');
      return content.readable(actor, record.guid);
    },
  };
}
export type ApplicationsService = ReturnType<typeof createApplicationsService>;
