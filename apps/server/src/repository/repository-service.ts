import {
  type Actor,
  type ContentRepository,
  type PatchContentRepositoryInput,
  type PutContentRepositoryInput,
  notFound,
} from '@envdesk/domain';
import { type Clock, timestamp } from '../clock.js';
import type { ContentService } from '../content/content-service.js';
import type { Store } from '../db/store.js';
import type { RepositorySettings } from './repository-store.js';

/** Connect's object: envdesk polls nothing, so there is never an error or a commit to report. */
const present = (settings: RepositorySettings): ContentRepository => ({ ...settings, last_error: null, last_known_commit: null });

/** Git repository settings of content (`/v1/content/{guid}/repository`), kept as clients set them. */
export function createRepositoryService({
  store,
  clock,
  content,
}: {
  store: Pick<Store, 'repositories' | 'transaction'>;
  clock: Clock;
  content: Pick<ContentService, 'authorized'>;
}) {
  return {
    async get(actor: Actor, guid: string): Promise<ContentRepository> {
      const record = await content.authorized(actor, guid, 'content:read-links');
      const settings = await store.repositories.ofContent(record.id);
      if (!settings) throw notFound('Repository');
      return present(settings);
    },

    /** PUT: the settings become those given, Connect's defaults filling what is left out. */
    async put(actor: Actor, guid: string, input: PutContentRepositoryInput): Promise<ContentRepository> {
      const record = await content.authorized(actor, guid, 'content:write-links');
      await store.repositories.put(record.id, input, timestamp(clock));
      return present(input);
    },

    /** PATCH: fields present replace; content without settings gets them only when a repository is given. */
    async patch(actor: Actor, guid: string, input: PatchContentRepositoryInput): Promise<ContentRepository> {
      const record = await content.authorized(actor, guid, 'content:write-links');
      return store.transaction(async (tx) => {
        const current = await tx.repositories.ofContent(record.id);
        const repository = input.repository ?? current?.repository;
        if (repository === undefined) throw notFound('Repository');
        const settings: RepositorySettings = {
          repository,
          branch: input.branch ?? current?.branch ?? 'main',
          directory: input.directory ?? current?.directory ?? '.',
          polling: input.polling ?? current?.polling ?? false,
        };
        await tx.repositories.put(record.id, settings, timestamp(clock));
        return present(settings);
      });
    },

    async remove(actor: Actor, guid: string): Promise<void> {
      const record = await content.authorized(actor, guid, 'content:write-links');
      await store.repositories.remove(record.id);
    },
  };
}
export type RepositoryService = ReturnType<typeof createRepositoryService>;
